"""Engines over in-process subgraphs, closed after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping

import pytest

from gateway.access import AccessOptions
from gateway.config import EngineSettings
from gateway.supergraph import Supergraph
from gateway.transport import ASGIApp
from tests.e2e.harness import Federation

Federate = Callable[..., Federation]


@pytest.fixture
async def federate() -> AsyncIterator[Federate]:
    """Build :class:`Federation` objects: ``federate(supergraph, apps, config=None,
    access=None)``."""
    built: list[Federation] = []

    def build(
        supergraph: Supergraph,
        apps: Mapping[str, ASGIApp],
        config: EngineSettings | None = None,
        access: AccessOptions | None = None,
    ) -> Federation:
        federation = Federation(supergraph, apps, config, access)
        built.append(federation)
        return federation

    try:
        yield build
    finally:
        for federation in built:
            await federation.engine.close()
