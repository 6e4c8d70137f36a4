"""An ASGI wrapper that breaks a simulated legacy system on demand.

Every OPD's tests wire its subgraph to its simulator through :class:`Faulty`, then switch
a fault on for the paths starting with a prefix: the subgraph must turn each into a clear
error on that OPD's fields only.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["FAULT_MODES", "Faulty"]

#: Every mode :class:`Faulty` knows, for parametrised tests.
FAULT_MODES = ("down", "slow", "500", "malformed", "shape")


@dataclass
class Faulty:
    """Wraps a simulator: ``mode`` breaks the paths starting with ``prefix``.

    Modes: ``down`` (connection refused), ``slow`` (answers after ``slow_seconds``),
    ``500``, ``malformed`` (a body that does not parse) and ``shape`` (a body that parses
    but lacks the expected records). ``bodies`` overrides the body (and content type) of a
    mode, so a REST-XML system can answer broken XML or an external-entity payload.
    """

    app: ASGIApp
    mode: str | None = None
    prefix: str = "/"
    slow_seconds: float = 1.5
    content_type: bytes = b"application/json"
    bodies: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def break_upstream(self, mode: str | None, prefix: str = "/") -> None:
        """Switch ``mode`` on for paths under ``prefix`` (``None`` heals the system)."""
        self.mode = mode
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or self.mode is None
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        self.hits.append(scope["path"])
        if self.mode == "down":
            raise httpx.ConnectError("connection refused")
        if self.mode == "slow":
            await asyncio.sleep(self.slow_seconds)
            await self.app(scope, receive, send)
            return
        status, body = self.bodies.get(self.mode) or _DEFAULT_BODIES[self.mode]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", self.content_type)],
            }
        )
        await send({"type": "http.response.body", "body": body})


_DEFAULT_BODIES: dict[str, tuple[int, bytes]] = {
    "500": (500, b'{"status": "error", "message": "Internal Server Error"}'),
    "malformed": (200, b'{"status": "success", "data": [{"kode": '),
    "shape": (200, b'{"status": "success", "results": 1, "data": [{"unexpected": 1}]}'),
}
