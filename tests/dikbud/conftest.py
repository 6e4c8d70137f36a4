"""Fixtures: the simulated Dapodik web service in process, with faults to switch on, and
the dikbud subgraph wired to it through httpx's ASGI transport (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from subgraphs.dikbud.legacy import DapodikSimulator
from subgraphs.dikbud.schema import make_app
from subgraphs.dikbud.source import DapodikApi, connect
from subgraphs.toolkit import GatewayTrust, RetryPolicy, SubgraphLimits
from tests.support.clock import TODAY
from tests.support.faults import Faulty

FAST_RETRY = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01)
TIMEOUT = 0.5
TOKEN = "test-dapodik-token-0123"
HEAVY = SubgraphLimits(max_cost=100_000)
"""For the tests' queries that ask for everything at once: they cost more than the gateway
forwards (its max_cost is 5,000; the portal's operations cost at most about 1,500), and the
subgraph's default limits refuse them. ``@pytest.mark.parametrize("wired", [HEAVY],
indirect=True)`` serves a test with these."""


@dataclass
class Wired:
    """The simulator, its fault switch, the adapter and a client of the subgraph."""

    simulator: DapodikSimulator
    faulty: Faulty
    source: DapodikApi
    client: httpx.AsyncClient

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def break_upstream(self, mode: str, prefix: str = "/") -> None:
        self.faulty.break_upstream(mode, prefix)


Wire = Callable[..., Awaitable[Wired]]


@pytest.fixture
def simulator() -> DapodikSimulator:
    return DapodikSimulator(tokens=(TOKEN,), today=TODAY)


@pytest.fixture
async def sim_client(simulator: DapodikSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """A raw HTTP client of the simulator (no credentials)."""
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dapodik") as client:
        yield client


@pytest.fixture
async def wire() -> AsyncIterator[Wire]:
    """Wires a subgraph to a fresh simulator; ``page_size`` sets both sides' page cap,
    ``limits`` the subgraph's."""
    async with AsyncExitStack() as stack:

        async def build(page_size: int = 100, limits: SubgraphLimits | None = None) -> Wired:
            simulator = DapodikSimulator(tokens=(TOKEN,), max_limit=page_size, today=TODAY)
            faulty = Faulty(simulator.app, slow_seconds=TIMEOUT * 3)
            source = connect(
                "http://dapodik",
                token=TOKEN,
                page_size=page_size,
                timeout=TIMEOUT,
                retry=FAST_RETRY,
                transport=httpx.ASGITransport(app=faulty),
            )
            stack.push_async_callback(source.aclose)
            app = make_app(source, trust=GatewayTrust.unsigned(), limits=limits or SubgraphLimits())
            transport = httpx.ASGITransport(app=app)
            client = httpx.AsyncClient(transport=transport, base_url="http://subgraph")
            await stack.enter_async_context(client)
            return Wired(simulator, faulty, source, client)

        yield build


@pytest.fixture
async def wired(wire: Wire, request: pytest.FixtureRequest) -> Wired:
    return await wire(limits=getattr(request, "param", None))
