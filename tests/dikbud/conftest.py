"""Fixtures: the simulated Dapodik web service in process, and a raw client of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from subgraphs.dikbud.legacy import DapodikSimulator


@pytest.fixture
def simulator() -> DapodikSimulator:
    return DapodikSimulator()


@pytest.fixture
async def sim_client(simulator: DapodikSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """A raw HTTP client of the simulator (no credentials)."""
    transport = httpx.ASGITransport(app=simulator.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dapodik") as client:
        yield client
