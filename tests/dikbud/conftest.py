"""Fixtures: the simulated Dapodik web service in process, with faults to switch on, and
the dikbud subgraph wired to it through httpx's ASGI transport (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import httpx
import pytest

from subgraphs.dikbud.legacy import DapodikSimulator
from subgraphs.dikbud.schema import make_app
from subgraphs.dikbud.source import DapodikApi, connect
from subgraphs.toolkit import GatewayTrust, SubgraphLimits
from tests.support.clock import TODAY
from tests.support.faults import Faulty
from tests.support.wired import FAST_RETRY, TIMEOUT, in_process
from tests.support.wired import Wired as SimulatedWired

TOKEN = "test-dapodik-token-0123"
HEAVY = SubgraphLimits(max_cost=100_000)
"""For the tests' queries that ask for everything at once: they cost more than the gateway
forwards (its max_cost is 5,000; the portal's operations cost at most about 1,500), and the
subgraph's default limits refuse them. ``@pytest.mark.parametrize("wired", [HEAVY],
indirect=True)`` serves a test with these."""

Wired = SimulatedWired[DapodikSimulator, DapodikApi]
"""The dikbud subgraph over the simulated web service."""
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
            app = make_app(source, trust=GatewayTrust.unsigned(), limits=limits or SubgraphLimits())
            return await stack.enter_async_context(in_process(simulator, faulty, source, app))

        yield build


@pytest.fixture
async def wired(wire: Wire, request: pytest.FixtureRequest) -> Wired:
    return await wire(limits=getattr(request, "param", None))
