"""Fixtures: Diskominfo's simulated service in process, with faults to switch on, and the
kominfo subgraph wired to it through httpx's ASGI transport (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from subgraphs.kominfo.legacy import KominfoSimulator
from subgraphs.kominfo.schema import make_app
from subgraphs.kominfo.source import KominfoApi, connect
from subgraphs.toolkit import GatewayTrust
from tests.support.clock import TODAY
from tests.support.faults import Faulty
from tests.support.wired import FAST_RETRY, TIMEOUT, in_process
from tests.support.wired import Wired as SimulatedWired

API_KEY = "test-kominfo-key-0123"
LAPOR_TOKEN = "test-lapor-token-0123"

Wired = SimulatedWired[KominfoSimulator, KominfoApi]
"""The kominfo subgraph over the simulated service."""


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
    async with in_process(simulator, faulty, source, app) as subgraph:
        yield subgraph
