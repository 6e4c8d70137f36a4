"""Stopping without losing a request: the drain on SIGTERM.

uvicorn stops on SIGTERM by closing its listening socket at once, then waits for the requests
in flight. Behind a load balancer (a Kubernetes Service) that loses requests: the balancer
learns that the replica is going only when its readiness probe fails, a few seconds later,
and until then it still sends new connections, which are refused. So the gateway drains
first, for ``server.drain_seconds``:

- ``/ready`` answers 503 at once, so the balancer takes the replica out;
- new connections are still accepted and every request answered, each answer with
  ``Connection: close`` so that kept-alive clients reconnect, to a replica that stays;
- then uvicorn's own graceful shutdown runs: the socket is closed, the requests in flight
  finish, and the process exits 0.

A second SIGTERM, or SIGINT (Ctrl-C), skips what is left of the drain.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import FrameType
from typing import Any

import uvicorn

__all__ = ["DRAIN_STATE", "Drain", "DrainingServer", "is_draining"]

logger = uvicorn.server.logger

DRAIN_STATE = "simpul.drain"
"""The key of the :class:`Drain` in the ASGI lifespan state, which every request's scope
carries (``scope["state"]``)."""


@dataclass(slots=True)
class Drain:
    """Whether this process is draining, and until when (``time.monotonic()``)."""

    until: float | None = None

    @property
    def active(self) -> bool:
        """Whether a SIGTERM has come: readiness fails from then on."""
        return self.until is not None


def is_draining(scope: Mapping[str, Any]) -> bool:
    """Whether the server serving ``scope`` is draining (``False`` for a server that does
    not drain, such as a test client)."""
    drain = scope.get("state", {}).get(DRAIN_STATE)
    return isinstance(drain, Drain) and drain.active


class DrainingServer(uvicorn.Server):
    """uvicorn's server, draining for ``drain_seconds`` on SIGTERM before it stops."""

    def __init__(self, config: uvicorn.Config, drain_seconds: float) -> None:
        super().__init__(config)
        self.drain_seconds = drain_seconds
        self.drain = Drain()

    async def startup(self, sockets: list[Any] | None = None) -> None:
        # The lifespan state is copied into every request's scope: the app finds the drain
        # there without a module global, and an app served otherwise finds none.
        self.lifespan.state[DRAIN_STATE] = self.drain
        await super().startup(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig == signal.SIGTERM and not self.drain.active and self.drain_seconds > 0:
            # Not recorded as captured: uvicorn would raise it again once stopped, and the
            # default action of SIGTERM would end the process with 143 instead of 0.
            self.drain.until = time.monotonic() + self.drain_seconds
            logger.info("SIGTERM: not ready any more; draining for %gs", self.drain_seconds)
            return
        if sig == signal.SIGTERM:
            self.should_exit = True  # a second SIGTERM: stop now, and exit 0
            return
        super().handle_exit(sig, frame)

    async def on_tick(self, counter: int) -> bool:
        should_exit = await super().on_tick(counter)
        if self.drain.until is None:
            return should_exit
        headers = self.server_state.default_headers
        if (b"connection", b"close") not in headers:
            # refreshed every second by uvicorn: put back at every tick
            self.server_state.default_headers = [*headers, (b"connection", b"close")]
        return should_exit or time.monotonic() >= self.drain.until
