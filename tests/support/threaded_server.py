"""ASGI apps served over real HTTP from a thread of the test process, for what runs in other
processes (a gateway, the city) to call, from tests and fixtures without an event loop of
their own: subgraphs, an OTLP receiver. (In a test's event loop: ``tests.support.serving``.)"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any

import uvicorn

from bench.run import free_port
from gateway.transport import ASGIApp

__all__ = ["serving_in_thread"]


class _Router:
    """An ASGI app sending ``/<name>/...`` to the app ``name``."""

    def __init__(self, apps: Mapping[str, ASGIApp]) -> None:
        self.apps = apps

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        name, _, rest = scope["path"].lstrip("/").partition("/")
        app = self.apps.get(name)
        if app is None:
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app({**scope, "path": "/" + rest, "raw_path": ("/" + rest).encode()}, receive, send)


@contextmanager
def serving_in_thread(apps: Mapping[str, ASGIApp]) -> Iterator[str]:
    """``apps`` served on a free port of this process, each under ``/<name>/``; the base
    URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(_Router(apps), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
