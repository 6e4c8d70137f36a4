"""Engines over in-process subgraphs, closed after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping

import pytest

from gateway.access import AccessOptions
from gateway.audit import AuditTrail
from gateway.cache import SubgraphCache
from gateway.config import EngineSettings
from gateway.supergraph import Supergraph
from gateway.traffic import Traffic
from gateway.transport import ASGIApp
from tests.e2e.harness import Federation
from tests.support.audit import AuditFiles

Federate = Callable[..., Federation]


_LOG = object()


@pytest.fixture
async def federate(audit: AuditFiles) -> AsyncIterator[Federate]:
    """Build :class:`Federation` objects: ``federate(supergraph, apps, config=None,
    access=None, audit=<the test's access log>, traffic=None, urls=None, cache=None)``
    (``audit=None``: no access log)."""
    built: list[Federation] = []
    audit_files = audit

    def build(
        supergraph: Supergraph,
        apps: Mapping[str, ASGIApp],
        config: EngineSettings | None = None,
        access: AccessOptions | None = None,
        audit: AuditTrail | object | None = _LOG,
        traffic: Traffic | None = None,
        urls: Mapping[str, str] | None = None,
        cache: SubgraphCache | None = None,
    ) -> Federation:
        trail = audit_files.trail() if audit is _LOG else audit
        assert trail is None or isinstance(trail, AuditTrail)
        federation = Federation(supergraph, apps, config, access, trail, traffic, urls, cache)
        built.append(federation)
        return federation

    try:
        yield build
    finally:
        for federation in built:
            await federation.engine.close()
