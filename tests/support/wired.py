"""An OPD's subgraph driven in process (httpx's ASGI transport, no sockets): what the OPD
test folders share.

Each folder's conftest builds its simulator, the :class:`Faulty` switch in front of it and
the adapter its own way (keys, page sizes, broken bodies), then hands them with the app to
:func:`in_process`. Folders whose legacy system is a database or a folder of files keep
their own fixture, on :class:`Subgraph`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
from starlette.types import ASGIApp

from subgraphs.toolkit import Closeable, RetryPolicy
from tests.support.faults import Faulty

__all__ = ["FAST_RETRY", "TIMEOUT", "Subgraph", "Wired", "in_process"]

FAST_RETRY = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01)
"""The adapters' retries in tests: the real count of tries, without the real waits."""
TIMEOUT = 0.5
"""The adapters' timeout in tests; give :class:`Faulty` ``slow_seconds=TIMEOUT * 3``."""

SimulatorT = TypeVar("SimulatorT")
SourceT = TypeVar("SourceT", bound=Closeable)


@dataclass
class Subgraph:
    """A client of a subgraph app."""

    client: httpx.AsyncClient

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """POST ``query`` to ``/graphql``; the JSON body of its 200 answer."""
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def cache_control(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> str | None:
        """The ``Cache-Control`` of ``query``'s answer, which must come without errors
        (``None``: the answer may not be kept)."""
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200 and "errors" not in response.json(), response.text
        header: str | None = response.headers.get("cache-control")
        return header


@dataclass
class Wired(Subgraph, Generic[SimulatorT, SourceT]):
    """The simulator, its fault switch, the adapter and a client of the subgraph over it."""

    simulator: SimulatorT
    faulty: Faulty
    source: SourceT

    def break_upstream(self, mode: str, prefix: str = "/") -> None:
        """Switch the fault ``mode`` on for the simulator's paths under ``prefix``."""
        self.faulty.break_upstream(mode, prefix)


@asynccontextmanager
async def in_process(
    simulator: SimulatorT, faulty: Faulty, source: SourceT, app: ASGIApp
) -> AsyncIterator[Wired[SimulatorT, SourceT]]:
    """A client of ``app``, the subgraph over ``source`` (which reads ``simulator``
    through ``faulty``); the client and ``source`` are closed after."""
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as client:
            yield Wired(client, simulator=simulator, faulty=faulty, source=source)
    finally:
        await source.aclose()
