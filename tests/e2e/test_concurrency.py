"""Many requests at once through the engine's adaptive limit on executions."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from gateway.config import EngineSettings
from tests.e2e.conftest import Federate
from tests.e2e.harness import Scope
from tests.e2e.test_failures import APPS, SUPERGRAPH


async def test_slow_subgraphs_get_every_request_at_once(federate: Federate) -> None:
    """Work-conserving: with the CPU idle, 40 requests reach a slow subgraph together."""
    arrived = 0
    everyone = asyncio.Event()
    products = APPS["products"]

    async def gathering(scope: Scope, receive: Any, send: Any) -> None:
        nonlocal arrived
        if scope["type"] == "http":
            arrived += 1
            if arrived == 40:
                everyone.set()
            # answers only once all 40 calls are in: a limit below 40 would never get there
            await asyncio.wait_for(everyone.wait(), 30)
        await products(scope, receive, send)

    apps: Mapping[str, Any] = {**APPS, "products": gathering}
    federation = federate(SUPERGRAPH, apps, EngineSettings(expose_query_plan=True))
    bodies = await asyncio.gather(*(federation.run("{ products { name } }") for _ in range(40)))
    assert all(body["data"]["products"][0] == {"name": "Lidah buaya"} for body in bodies)
    assert arrived == 40
