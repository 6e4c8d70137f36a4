"""Fixtures: DPMPTSP's simulated services in process, with faults to switch on, and the
dpmptsp subgraph wired to them through httpx's ASGI transport (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from subgraphs.dpmptsp.legacy import DpmptspSimulator
from subgraphs.dpmptsp.schema import make_app
from subgraphs.dpmptsp.source import DpmptspApi, connect
from subgraphs.toolkit import GatewayTrust, SubgraphLimits
from tests.support.clock import TODAY
from tests.support.faults import Faulty
from tests.support.wired import FAST_RETRY, TIMEOUT, in_process
from tests.support.wired import Wired as SimulatedWired

KEY = "test-dpmptsp-key-0123"
SICANTIK = {"X-API-Key": KEY}
OSS = {"user_key": KEY}

# What a broken XML service answers in the "shape" mode: well-formed, wrong records
SHAPE = (
    200,
    b"<?xml version='1.0' encoding='utf-8'?><response><status>success</status>"
    b"<kode>200</kode><total>1</total><data><permohonan><unexpected>1</unexpected>"
    b"</permohonan></data><dataNIB><nib_data><unexpected>1</unexpected></nib_data></dataNIB>"
    b"<dataIzin><izin><unexpected>1</unexpected></izin></dataIzin></response>",
)
MALFORMED = (200, b"<?xml version='1.0'?><response><status>success</status><data><permohonan>")
SERVER_ERROR = (500, b"<response><status>error</status><message>Internal</message></response>")

HEAVY = SubgraphLimits(max_cost=100_000)
"""For the tests' queries that ask for everything at once: they cost more than the gateway
forwards (its max_cost is 5,000; the portal's operations cost at most about 1,500), and the
subgraph's default limits refuse them. ``@pytest.mark.parametrize("wired", [HEAVY],
indirect=True)`` serves a test with these."""

Wired = SimulatedWired[DpmptspSimulator, DpmptspApi]
"""The dpmptsp subgraph over the simulated services."""


@pytest.fixture(scope="session")
def shared_simulator() -> DpmptspSimulator:
    return DpmptspSimulator(api_keys=(KEY,), today=TODAY)


@pytest.fixture
def simulator(shared_simulator: DpmptspSimulator) -> DpmptspSimulator:
    """The simulator with fresh call counters and its usual key (the data is read-only)."""
    shared_simulator.calls.clear()
    shared_simulator.api_keys = (KEY,)
    return shared_simulator


@pytest.fixture
async def sim_client(simulator: DpmptspSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """A raw HTTP client of the simulator (no credentials)."""
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dpmptsp") as client:
        yield client


@pytest.fixture
async def wired(
    simulator: DpmptspSimulator, request: pytest.FixtureRequest
) -> AsyncIterator[Wired]:
    faulty = Faulty(
        simulator.app,
        slow_seconds=TIMEOUT * 3,
        content_type=b"application/xml",
        bodies={"shape": SHAPE, "malformed": MALFORMED, "500": SERVER_ERROR},
    )
    source = connect(
        "http://dpmptsp",
        api_key=KEY,
        timeout=TIMEOUT,
        retry=FAST_RETRY,
        transport=httpx.ASGITransport(app=faulty),
    )
    limits = getattr(request, "param", None) or SubgraphLimits()
    app = make_app(source, trust=GatewayTrust.unsigned(), limits=limits)
    async with in_process(simulator, faulty, source, app) as subgraph:
        yield subgraph
