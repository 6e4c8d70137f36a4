"""Wiring one gateway from its configuration: engine settings, transport, engine, app."""

from __future__ import annotations

import asyncio
import gc
import os

import orjson
from starlette.applications import Starlette

from .config import GatewayConfig, config_from_mapping
from .engine import Engine
from .http1 import PooledTransport
from .server import ExecutesGraphQL, create_app
from .transport import Transport

__all__ = [
    "RESOLVED_CONFIG_ENV",
    "build_engine",
    "settle_heap",
    "worker_app",
]

RESOLVED_CONFIG_ENV = "SIMPUL_RESOLVED_CONFIG"
"""Carries the parent's resolved configuration (JSON) to uvicorn's worker processes."""


def build_engine(config: GatewayConfig, transport: Transport | None = None) -> Engine:
    """Load ``config.supergraph`` into an engine; raises ``SupergraphError`` when invalid."""
    return Engine.from_file(config.supergraph, transport or PooledTransport(), config.engine)


def settle_heap() -> None:
    """Keep the cyclic garbage collector off the long-lived heap, once an engine is loaded.

    A request allocates thousands of short-lived dicts and lists (subgraph answers, the
    merged tree, the response); with the default thresholds the collector runs every few
    hundred allocations and its older generations re-walk the supergraph, the API schema and
    the caches each time, about a tenth of a request's CPU. Frozen objects are never walked
    again (they are still freed by reference counting), and a larger first threshold lets
    most request garbage go by reference counting before a collection starts.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def worker_app() -> Starlette:
    """The app of one uvicorn worker process, configured by :data:`RESOLVED_CONFIG_ENV`.

    The parent process has already validated the supergraph; the worker loads it in the
    background, so it reports not ready until then.
    """
    config = config_from_mapping(orjson.loads(os.environ[RESOLVED_CONFIG_ENV]), {}, {})

    async def load() -> ExecutesGraphQL:
        engine = await asyncio.to_thread(build_engine, config)
        settle_heap()
        return engine

    return create_app(load, config)
