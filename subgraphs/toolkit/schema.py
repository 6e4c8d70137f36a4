"""Building a subgraph's schema: strawberry's federation schema, pinned to a Federation v2
version that the composers we use accept."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, TypeVar, cast

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from .cache_control import CacheControlExtension
from .error_log import log_errors
from .errors import SubgraphErrorCode

__all__ = [
    "DATA_SUBJECT_TAG",
    "FEDERATION_VERSION",
    "PERSONAL_CATEGORIES",
    "FederationVersion",
    "SubgraphSchema",
    "bad_input",
    "data_subject",
    "described",
    "personal_data",
    "subgraph_schema",
]

F = TypeVar("F", bound=Callable[..., Any])

FederationVersion = Literal["2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9"]

FEDERATION_VERSION: FederationVersion = "2.9"
"""The newest Federation version that ``@theguild/federation-composition`` (our reference
composer) links; strawberry would otherwise print a newer one that it refuses."""


def subgraph_schema(
    query: type,
    *,
    mutation: type | None = None,
    types: Iterable[type] = (),
    federation_version: FederationVersion = FEDERATION_VERSION,
    **options: Any,
) -> strawberry.federation.Schema:
    """A Federation v2 schema for ``query`` (and ``mutation``), ready for :func:`create_app`.

    ``types`` lists entity types no root field reaches, which the gateway still resolves
    through ``_entities``. Answers carry the ``Cache-Control`` their fields declare
    (:mod:`.cache_control`). Other ``options`` go to ``strawberry.federation.Schema``.
    """
    extensions = [CacheControlExtension, *options.pop("extensions", ())]
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        types=list(types),
        federation_version=federation_version,
        extensions=extensions,
        **options,
    )


class SubgraphSchema(strawberry.federation.Schema):
    """strawberry's federation schema, logging failures without documents (see
    :mod:`.error_log`)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)


def described(
    description: str,
    *,
    directives: Sequence[object] = (),
    metadata: Mapping[str, object] | None = None,
) -> Callable[[F], F]:
    """``@strawberry.field(description=..., directives=..., metadata=...)`` for a resolver,
    keeping its type for mypy; ``directives`` are schema directives such as
    :func:`.pages.paged`'s, ``metadata`` e.g. :func:`.cache_control.cache_control`'s hint."""
    field = strawberry.field(
        description=description, directives=directives, metadata=dict(metadata or {})
    )
    return cast(Callable[[F], F], field)


def bad_input(message: str, *, pesan: str) -> GraphQLError:
    """The error refusing a client's argument (``BAD_USER_INPUT``), to raise in a resolver::

        raise bad_input("The NPSN must be 8 digits.", pesan="NPSN harus 8 digit.")

    ``message`` is English, for the developer, like every error message of the city;
    ``pesan`` says the same in Indonesian for the person who typed the value, and reaches
    the client as ``extensions.pesan`` for an Indonesian UI to show (docs/frontend.md,
    "Error messages and language"). Both reach the client as written."""
    if not message.strip() or not pesan.strip():
        # an empty text would leave a developer or a citizen with no reason at all
        raise ValueError("bad_input needs both an English message and an Indonesian pesan")
    return GraphQLError(
        message,
        extensions={"code": SubgraphErrorCode.BAD_USER_INPUT.value, "pesan": pesan},
    )


PERSONAL_CATEGORIES = ("pribadi", "spesifik")
"""UU 27/2022's kinds of personal data: general (``pribadi``) and specific (``spesifik``:
health, children's, financial, biometric, criminal records, ...)."""


DATA_SUBJECT_TAG = "pdp:subjek"
"""The tag of an argument or field whose value identifies a data subject (a NIK): the
gateway records the subjects of each processing of personal data by it (as keyed hashes),
so that a resident's history can be answered."""


def data_subject(description: str | None = None) -> Any:
    """The mark of an argument identifying the data subject whose personal data a field
    processes, for ``Annotated``; the gateway's access record then names the subject::

        async def verifikasi(self, nik: Annotated[str, data_subject()], ...) -> ...
    """
    return strawberry.federation.argument(description=description, tags=[DATA_SUBJECT_TAG])


def personal_data(
    policy: str, category: str = "pribadi", *, subject: bool = False
) -> dict[str, Any]:
    """The marks of a field holding personal data, for ``strawberry.federation.field``
    (or ``.mutation``): ``@policy`` naming the grant that opens it and
    ``@tag(name: "pdp:<category>")``. The gateway then serves it only to client
    applications the grants file gives ``policy``, for a purpose the grant lists, within
    the grant's limits; with a record of each use::

        @strawberry.federation.field(**personal_data("dukcapil.biodata"))
        def nama_lengkap(self) -> str: ...

    ``subject=True`` marks a field whose value identifies the data subject (the NIK of a
    resident's record) as well.
    """
    if category not in PERSONAL_CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(PERSONAL_CATEGORIES)}")
    if not policy:
        raise ValueError("personal data needs a policy: without one, no grant could open it")
    tags = [f"pdp:{category}", *([DATA_SUBJECT_TAG] if subject else [])]
    return {"policy": [[policy]], "tags": tags}
