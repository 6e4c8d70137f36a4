"""Wiring one gateway from its configuration: engine settings, transport, engine, app."""

from __future__ import annotations

import asyncio
import os

import orjson
from starlette.applications import Starlette

from .config import EngineSettings, GatewayConfig, config_from_mapping
from .engine import Engine, EngineConfig
from .server import ExecutesGraphQL, create_app
from .transport import AiohttpTransport, Transport

__all__ = ["RESOLVED_CONFIG_ENV", "build_engine", "engine_config", "worker_app"]

RESOLVED_CONFIG_ENV = "SIMPUL_RESOLVED_CONFIG"
"""Carries the parent's resolved configuration (JSON) to uvicorn's worker processes."""


def engine_config(settings: EngineSettings) -> EngineConfig:
    """The engine's configuration from the ``[engine]`` section."""
    return EngineConfig(
        subgraph_timeout=settings.subgraph_timeout,
        expose_query_plan=settings.expose_query_plan,
        max_depth=settings.max_depth,
        max_query_bytes=settings.max_query_bytes,
        document_cache_size=settings.document_cache_size,
        plan_cache_size=settings.plan_cache_size,
        override_labels=frozenset(settings.override_labels),
        forward_headers=settings.forward_headers,
        dedup_subgraph_requests=settings.dedup_subgraph_requests,
        dedup_client_requests=settings.dedup_client_requests,
    )


def build_engine(config: GatewayConfig, transport: Transport | None = None) -> Engine:
    """Load ``config.supergraph`` into an engine; raises ``SupergraphError`` when invalid."""
    return Engine.from_file(
        config.supergraph, transport or AiohttpTransport(), engine_config(config.engine)
    )


def worker_app() -> Starlette:
    """The app of one uvicorn worker process, configured by :data:`RESOLVED_CONFIG_ENV`.

    The parent process has already validated the supergraph; the worker loads it in the
    background, so it reports not ready until then.
    """
    config = config_from_mapping(orjson.loads(os.environ[RESOLVED_CONFIG_ENV]), {}, {})

    async def load() -> ExecutesGraphQL:
        return await asyncio.to_thread(build_engine, config)

    return create_app(load, config)
