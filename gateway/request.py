"""A GraphQL request as the engine receives it, whatever HTTP form it came in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GraphQLRequest", "GraphQLResponse", "RequestContext"]


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    query: str | None
    """The document's text; ``None`` when the request names a persisted document."""
    operation_name: str | None = None
    variables: Mapping[str, Any] | None = None
    extensions: Mapping[str, Any] | None = None
    document_id: str | None = None
    """A persisted document's id (``documentId``, ``sha256:<hex>``)."""


@dataclass(frozen=True, slots=True)
class RequestContext:
    """What the engine needs to know about the HTTP exchange."""

    method: str = "POST"
    headers: Mapping[str, str] = field(default_factory=dict)
    """Incoming headers, names lower-cased."""
    include_plan: bool = False
    """Put the printed query plan in ``extensions.queryPlan`` (opt-in, for debugging)."""
    request_id: str | None = None
    include_cost: bool = False
    """Put the estimated and actual cost in ``extensions.cost`` (opt-in)."""
    incremental: str | None = None
    """The client takes ``@defer``'s incremental delivery, in this format: ``"20220824"``
    (Apollo Client's ``deferSpec``) or ``"draft"`` (``pending``/``completed``); ``None``:
    deferred fragments are answered with the rest."""
    derived: bool = False
    """The query text was made by the gateway from a document this request was allowed to
    run (a deferred fragment's operation): the persisted-document rules are met already."""


@dataclass(frozen=True, slots=True)
class GraphQLResponse:
    body: dict[str, Any]
    status: int = 200
    """The status for ``application/graphql-response+json``; for ``application/json``
    the server answers 200 to every well-formed request, as the spec recommends."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """HTTP headers the answer needs (``WWW-Authenticate``, ``Retry-After``)."""
    subsequent: AsyncIterator[dict[str, Any]] | None = None
    """With ``@defer``: the payloads after ``body`` (the initial one), the last with
    ``hasNext: false``."""
