"""Slow and greedy clients: what one client's connections may hold, and for how long.

uvicorn waits for a request's headers and body as long as the client keeps its connection
open, so a hundred clients trickling one byte a second hold a hundred connections forever
(slowloris), and a client that stops reading its answer keeps it in memory. The protocol
here is uvicorn's httptools protocol with deadlines:

- the headers of a request must arrive within ``header_timeout`` seconds of the connection
  (or of the previous answer, on a kept-alive connection), its body within
  ``body_timeout`` seconds of the headers;
- an answer the client stops reading for ``write_timeout`` seconds is dropped with its
  connection, and the memory it held with it;
- one client address holds at most ``max_connections_per_client`` connections: the next is
  closed as soon as it opens.

The limits are the ``[server]`` settings, installed once per process by :func:`install`
(uvicorn builds the protocol itself, in each worker).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..config import ServerSettings

__all__ = ["GuardedHttpToolsProtocol", "install"]

_settings = ServerSettings()
_open: Counter[str] = Counter()


def install(settings: ServerSettings) -> None:
    """Use ``settings``' limits for the connections this process accepts from now on."""
    global _settings
    _settings = settings


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol, with read and write deadlines and a per-address cap."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading: asyncio.TimerHandle | None = None
        self._writing: asyncio.TimerHandle | None = None
        self._address = ""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._address = self.client[0] if self.client else ""
        _open[self._address] += 1
        cap = _settings.max_connections_per_client
        if cap and _open[self._address] > cap:
            self.logger.info("too many connections from one client: closing the newest")
            transport.abort()
            return
        self._read_within(_settings.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop(self._reading)
        self._stop(self._writing)
        if self._address in _open:
            _open[self._address] -= 1
            if _open[self._address] <= 0:
                del _open[self._address]
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._reading is None:
            self._read_within(_settings.header_timeout)

    def on_headers_complete(self) -> None:
        self._read_within(_settings.body_timeout)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._stop(self._reading)
        self._reading = None
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport is not None and not self.transport.is_closing():
            # a kept-alive connection: the next request's headers are awaited from now
            self._read_within(_settings.header_timeout)

    def pause_writing(self) -> None:
        super().pause_writing()
        self._stop(self._writing)
        self._writing = self.loop.call_later(_settings.write_timeout, self._drop, "answer unread")

    def resume_writing(self) -> None:
        self._stop(self._writing)
        self._writing = None
        super().resume_writing()

    def _read_within(self, seconds: float) -> None:
        self._stop(self._reading)
        self._reading = self.loop.call_later(seconds, self._drop, "request too slow")

    def _drop(self, why: str) -> None:
        self.logger.info("closing a connection: %s", why)
        if self.transport is not None:
            self.transport.abort()

    @staticmethod
    def _stop(timer: asyncio.TimerHandle | None) -> None:
        if timer is not None:
            timer.cancel()
