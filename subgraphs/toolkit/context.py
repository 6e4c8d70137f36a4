"""What every resolver of a toolkit subgraph finds in ``info.context``."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from gateway.access.call_token import VerifiedCall

if TYPE_CHECKING:
    from .access_record import AccessRecord

__all__ = ["SubgraphContext", "source_of"]

S = TypeVar("S")


class SubgraphContext:
    """One GraphQL request's context: the HTTP request, the OPD's adapter and this
    request's DataLoaders.

    The adapter and the loaders live here, not in module globals: two apps in one process
    each read their own system, a batch never mixes keys of two requests and nothing cached
    outlives the request that loaded it. Build one by hand to run a schema without HTTP,
    e.g. ``schema.execute(query, context_value=SubgraphContext(source=adapter))``.
    """

    def __init__(
        self,
        request: Request | None = None,
        response: Response | None = None,
        *,
        source: object = None,
        call: VerifiedCall | None = None,
        access_record: AccessRecord | None = None,
    ) -> None:
        self.request = request
        self.response = response
        self.source = source
        """The OPD's adapter to its legacy system, as the app was given it
        (``create_app(..., source=...)``); read it with :func:`source_of`."""
        self.call = call
        """The gateway's signed word on this call (client, officer, purpose, request id);
        ``None`` when the subgraph serves unsigned calls."""
        self.access_record = access_record
        """Where this subgraph records its own processing of personal data
        (:func:`~subgraphs.toolkit.access_record.record_processing`); ``None``: nowhere."""
        self.loaders: dict[object, Any] = {}
        """DataLoaders by the :class:`~subgraphs.toolkit.loaders.BatchLoader` they serve."""
        self.batches: set[asyncio.Task[Any]] = set()
        """The loaders' batch fetches running for this request: DataLoaders run them in
        tasks of their own, which :meth:`cancel_batches` cancels with the request."""

    def cancel_batches(self) -> None:
        """Cancel the batch fetches still running (the caller has left)."""
        for task in list(self.batches):
            task.cancel()


def source_of(context: object, kind: type[S]) -> S:
    """The OPD's adapter in ``context`` (``info.context`` in a resolver, the context a
    :class:`~subgraphs.toolkit.loaders.BatchLoader` hands its fetch), as a ``kind``.

    Raises :class:`TypeError` naming ``kind`` when the context is not a
    :class:`SubgraphContext`, holds another adapter, or holds none (the app was built
    without ``source=``).
    """
    # ``context`` is typed ``object`` because strawberry types ``info.context`` as Any
    source = context.source if isinstance(context, SubgraphContext) else None
    if isinstance(source, kind):
        return source
    if not isinstance(context, SubgraphContext):
        found = f"is a {type(context).__name__}, not a SubgraphContext"
    elif source is None:
        found = "holds no adapter"
    else:
        found = f"holds a {type(source).__name__}"
    raise TypeError(
        f"a {kind.__name__} was asked for, but the request's context {found}: serve the "
        "schema with create_app(..., source=...), or pass "
        "context_value=SubgraphContext(source=...) to schema.execute()"
    )
