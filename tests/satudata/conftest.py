"""Fixtures: the simulated open-data portal in process, with faults to switch on, and the
satudata subgraph wired to it through httpx's ASGI transport (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from subgraphs.satudata.legacy import CkanSimulator
from subgraphs.satudata.schema import make_app
from subgraphs.satudata.source import CkanApi, connect
from subgraphs.toolkit import GatewayTrust, RetryPolicy
from tests.support.clock import TODAY
from tests.support.faults import Faulty

FAST_RETRY = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01)
TIMEOUT = 0.5


@dataclass
class Wired:
    """The simulator, its fault switch, the adapter and a client of the subgraph."""

    simulator: CkanSimulator
    faulty: Faulty
    source: CkanApi
    client: httpx.AsyncClient

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session")
def simulator() -> CkanSimulator:
    return CkanSimulator(today=TODAY)


@pytest.fixture
async def portal(simulator: CkanSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """A raw HTTP client of the simulated portal."""
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://data.test") as client:
        yield client


@pytest.fixture
async def wired(simulator: CkanSimulator) -> AsyncIterator[Wired]:
    faulty = Faulty(
        simulator.app,
        slow_seconds=TIMEOUT * 3,
        bodies={"shape": (200, b'{"help": "", "success": true, "result": {"rows": []}}')},
    )
    source = connect(
        "http://data.test",
        timeout=TIMEOUT,
        retry=FAST_RETRY,
        transport=httpx.ASGITransport(app=faulty),
    )
    app = make_app(source, trust=GatewayTrust.unsigned())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://subgraph"
    ) as client:
        yield Wired(simulator, faulty, source, client)
    await source.aclose()
