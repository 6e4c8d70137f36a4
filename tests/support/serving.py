"""An ASGI app served over real HTTP in the test's own event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any, Literal

from gateway.server.embedded import EmbeddedServer, bind_socket

__all__ = ["free_port", "serving"]


@contextlib.asynccontextmanager
async def serving(app: Any, lifespan: Literal["on", "off", "auto"] = "on") -> AsyncIterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1 until the block ends: its base URL."""
    server = EmbeddedServer(app, bind_socket("127.0.0.1", 0), lifespan=lifespan)
    task = asyncio.create_task(server.run_on_socket())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.should_exit = True
        await task


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on (a service to start there, or one down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
