"""Fixtures: the simulated open-data portal in process, with faults to switch on, and the
satudata subgraph wired to it through httpx's ASGI transport (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from subgraphs.satudata.legacy import CkanSimulator
from subgraphs.satudata.schema import make_app
from subgraphs.satudata.source import CkanApi, connect
from subgraphs.toolkit import GatewayTrust
from tests.support.clock import TODAY
from tests.support.faults import Faulty
from tests.support.wired import FAST_RETRY, TIMEOUT, in_process
from tests.support.wired import Wired as SimulatedWired

Wired = SimulatedWired[CkanSimulator, CkanApi]
"""The satudata subgraph over the simulated portal."""


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
    async with in_process(simulator, faulty, source, app) as subgraph:
        yield subgraph
