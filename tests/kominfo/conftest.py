"""Fixtures: Diskominfo's simulated service in process, with faults to switch on, and the
kominfo subgraph wired to it through httpx's ASGI transport (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from subgraphs.kominfo.legacy import KominfoSimulator
from subgraphs.kominfo.schema import make_app
from subgraphs.kominfo.source import KominfoApi, connect
from subgraphs.toolkit import GatewayTrust, RetryPolicy
from tests.support.clock import TODAY
from tests.support.faults import Faulty

FAST_RETRY = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01)
TIMEOUT = 0.5
API_KEY = "test-kominfo-key-0123"
LAPOR_TOKEN = "test-lapor-token-0123"


@dataclass
class Wired:
    """The simulator, its fault switch, the adapters and a client of the subgraph."""

    simulator: KominfoSimulator
    faulty: Faulty
    source: KominfoApi
    client: httpx.AsyncClient

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def break_upstream(self, mode: str, prefix: str = "/") -> None:
        self.faulty.break_upstream(mode, prefix)


@pytest.fixture
def simulator() -> KominfoSimulator:
    return KominfoSimulator(api_keys=(API_KEY,), lapor_tokens=(LAPOR_TOKEN,), today=TODAY)


@pytest.fixture
async def sim_client(simulator: KominfoSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """A raw HTTP client of the simulator (no credentials)."""
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://kominfo") as client:
        yield client


@pytest.fixture
async def wired(simulator: KominfoSimulator) -> AsyncIterator[Wired]:
    faulty = Faulty(
        simulator.app,
        slow_seconds=TIMEOUT * 3,
        bodies={
            "shape": (
                200,
                b'{"status": "success", "success": true, "results": 1,'
                b' "meta": {"total": 1}, "data": [{"unexpected": 1}]}',
            )
        },
    )
    source = connect(
        "http://kominfo",
        api_key=API_KEY,
        lapor_token=LAPOR_TOKEN,
        timeout=TIMEOUT,
        retry=FAST_RETRY,
        transport=httpx.ASGITransport(app=faulty),
    )
    app = make_app(source, trust=GatewayTrust.unsigned())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as client:
        yield Wired(simulator, faulty, source, client)
    await source.aclose()
