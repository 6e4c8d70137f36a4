"""What every resolver of a toolkit subgraph finds in ``info.context``."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from gateway.access.call_token import VerifiedCall

if TYPE_CHECKING:
    from .access_record import AccessRecord

__all__ = ["SubgraphContext"]


class SubgraphContext:
    """One GraphQL request's context: the HTTP request and this request's DataLoaders.

    Loaders live here, not in module globals, so that a batch never mixes keys of two
    requests and nothing cached outlives the request that loaded it. Build one by hand
    (``SubgraphContext()``) to run a schema without HTTP, e.g. ``schema.execute(query,
    context_value=SubgraphContext())``.
    """

    def __init__(
        self,
        request: Request | None = None,
        response: Response | None = None,
        *,
        call: VerifiedCall | None = None,
        access_record: AccessRecord | None = None,
    ) -> None:
        self.request = request
        self.response = response
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
