"""The production transport: HTTP/1.1 to subgraphs over pooled keep-alive connections.

A subgraph call is a small JSON POST answered by a JSON body, many times per client request,
so the client side of the gateway is kept to what that needs: one ``asyncio.Protocol`` per
connection with ``httptools``' response parser (the C parser uvicorn uses for the server
side), the request head of each URL encoded once, and a pool of idle connections per
origin. General-purpose clients spend several times more CPU per call on features a
subgraph call does not use (redirects, cookies, streaming, per-call timeout objects).

Per origin (scheme, host, port): at most ``limit_per_host`` connections; a call beyond that
waits for one to come back. A connection returns to the pool when its answer was read to
the end and the server allows keep-alive; one idle longer than ``keepalive_timeout`` is
closed instead of reused. One request at a time per connection (no pipelining).

Outcomes are those of :mod:`gateway.transport`; a body larger than ``max_response_bytes``
fails like a bad answer (``SUBREQUEST_HTTP_ERROR``) instead of filling the memory.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import httptools

from ..errors import ErrorCode, TransportError
from .base import (
    DEFAULT_HEADERS,
    checked_body,
    connection_error,
    request_headers,
    timeout_error,
)

__all__ = ["PooledTransport"]


@dataclass(frozen=True, slots=True)
class _Target:
    """One subgraph URL, parsed once."""

    origin: tuple[str, str, int]
    host: str
    port: int
    tls: bool
    head: bytes
    """The request line and the ``Host`` header, encoded."""


def _target(url: str) -> _Target:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TransportError(
            f"subgraph URL {url!r} is not an http(s) URL", ErrorCode.SUBREQUEST_HTTP_ERROR
        )
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    host = parts.hostname
    # an IPv6 literal keeps its brackets in the Host header
    host_header = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        host_header = f"{host_header}:{port}"
    head = f"POST {path} HTTP/1.1\r\nHost: {host_header}\r\n".encode("ascii")
    return _Target((parts.scheme, host, port), host, port, tls, head)


_Answer = tuple[int, str | None, str | None, bytes]
"""An answer's status, ``Content-Type``, ``Cache-Control`` and body."""


def _header_lines(headers: Mapping[str, str]) -> bytes:
    """The default headers replaced by ``headers`` by name, as header lines."""
    # every call carries its own signature and request id: the defaults' lines are built
    # once, and only the call's own headers are checked each time
    if not any(name.lower() in _DEFAULT_NAMES for name in headers):
        return _PLAIN_HEADER_LINES + _lines(headers)
    return _lines(request_headers(headers))


def _lines(headers: Mapping[str, str]) -> bytes:
    lines = []
    for name, value in headers.items():
        text = name + value
        if ":" in name or "\r" in text or "\n" in text or "\0" in text:
            # never let a forwarded value split the request (header injection)
            raise ValueError(f"header {name!r} cannot be sent")
        lines.append(f"{name}: {value}\r\n")
    return "".join(lines).encode("latin-1")


_DEFAULT_NAMES = frozenset(name.lower() for name in DEFAULT_HEADERS)
_PLAIN_HEADER_LINES = _lines(DEFAULT_HEADERS)


class _Connection(asyncio.Protocol):
    """One keep-alive connection: sends a request, parses its answer."""

    def __init__(self, max_response_bytes: int) -> None:
        self._max = max_response_bytes
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._answer: asyncio.Future[_Answer] | None = None
        self._body: list[bytes] = []
        self._size = 0
        self._content_type: str | None = None
        self._cache_control: str | None = None
        self._keep_alive = False
        self._headers_done = False
        self._framed = False
        self.closed = False
        self.idle_since = 0.0

    def _expect_answer(self) -> asyncio.Future[_Answer]:
        self._answer = asyncio.get_running_loop().create_future()
        self._body = []
        self._size = 0
        self._content_type = None
        self._cache_control = None
        self._keep_alive = False
        self._headers_done = False
        self._framed = False
        return self._answer

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but behave as one.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if self._answer is None or self._answer.done():
            # bytes nobody asked for: the connection cannot be trusted any more
            self.close()
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            # httptools wraps what a callback raises: on_body's refusal of a large body
            if self._size > self._max:
                self._fail(f"answered more than {self._max} bytes")
            else:
                self._fail(f"answered invalid HTTP ({error})")

    def eof_received(self) -> bool:
        return False  # close the connection; connection_lost finishes what is pending

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        answer = self._answer
        if answer is None or answer.done():
            return
        if exc is None and self._headers_done and not self._framed:
            # no Content-Length and not chunked: the body is what came before the close
            answer.set_result(
                (
                    self._parser.get_status_code(),
                    self._content_type,
                    self._cache_control,
                    b"".join(self._body),
                )
            )
        else:
            reason = str(exc) if exc else "the connection was closed before the answer ended"
            answer.set_exception(ConnectionError(reason))

    # httptools callbacks
    def on_message_begin(self) -> None:
        if self._answer is None or self._answer.done():
            # a second answer to one request: stops the parser, the connection is closed
            raise ValueError("unexpected answer")

    def on_header(self, name: bytes, value: bytes) -> None:
        # httptools gathers a header split over several packets before calling this
        name = name.lower()
        if name == b"content-type":
            self._content_type = value.decode("latin-1")
        elif name == b"cache-control":
            # one directive list over every line (RFC 9110, 5.3): a proxy's line after the
            # subgraph's must not hide its "private" or "no-store"
            line = value.decode("latin-1")
            known = self._cache_control
            self._cache_control = line if known is None else f"{known}, {line}"
        elif name == b"content-length" or name == b"transfer-encoding":
            self._framed = True

    def on_headers_complete(self) -> None:
        self._headers_done = True

    def on_body(self, body: bytes) -> None:
        self._size += len(body)
        if self._size > self._max:
            raise OverflowError  # stops the parser; data_received reports it
        self._body.append(body)

    def on_message_complete(self) -> None:
        answer = self._answer
        # read here: the parser resets its flags for the next message afterwards
        self._keep_alive = self._parser.should_keep_alive()
        if answer is not None and not answer.done():
            status = self._parser.get_status_code()
            answer.set_result(
                (status, self._content_type, self._cache_control, b"".join(self._body))
            )

    # the pool's side
    async def exchange(self, request: bytes) -> _Answer:
        """Send one request and wait for its whole answer."""
        assert self._transport is not None
        answer = self._expect_answer()
        self._transport.write(request)
        return await answer

    @property
    def reusable(self) -> bool:
        return not self.closed and self._keep_alive

    def close(self) -> None:
        self.closed = True
        if self._transport is not None:
            self._transport.close()

    def time_out(self) -> None:
        """The call's time is up: fail its answer and drop the connection."""
        self._fail(TimeoutError())

    def _fail(self, reason: str | BaseException) -> None:
        answer = self._answer
        if answer is not None and not answer.done():
            answer.set_exception(_BadAnswer(reason) if isinstance(reason, str) else reason)
        self.close()


class _BadAnswer(Exception):
    pass


class _Origin:
    """The connections to one (scheme, host, port)."""

    def __init__(self, limit: int) -> None:
        self.idle: collections.deque[_Connection] = collections.deque()
        self.open = 0
        self.limit = limit
        self.waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    def wake_one(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return


class PooledTransport:
    """HTTP/1.1 calls to subgraphs over per-origin pools of keep-alive connections.

    Connections belong to the event loop they were opened in; the pool starts over when
    used from another loop, and after :meth:`close`.
    """

    def __init__(
        self,
        limit_per_host: int = 100,
        keepalive_timeout: float = 30.0,
        max_response_bytes: int = 256 * 1024 * 1024,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._limit = limit_per_host
        self._keepalive = keepalive_timeout
        self._max_response = max_response_bytes
        self._ssl = ssl_context
        self._targets: dict[str, _Target] = {}
        self._origins: dict[tuple[str, str, int], _Origin] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        """POST ``body`` to ``url``; see :mod:`gateway.transport` for the outcomes."""
        target = self._targets.get(url)
        if target is None:
            target = self._targets[url] = _target(url)
        lines = _header_lines(headers) if headers else _PLAIN_HEADER_LINES
        request = b"%s%sContent-Length: %d\r\n\r\n%s" % (target.head, lines, len(body), body)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            status, content_type, cache_control, content = await self._exchange(
                target, request, deadline
            )
        except TimeoutError as error:
            raise timeout_error(url, timeout) from error
        except _BadAnswer as error:
            raise TransportError(
                f"subgraph at {url} {error}", ErrorCode.SUBREQUEST_HTTP_ERROR
            ) from error
        except OSError as error:  # refused, reset, unreachable, closed mid-answer
            raise connection_error(url, error) from error
        return checked_body(url, status, content_type, content, cache_control)

    async def _exchange(self, target: _Target, request: bytes, deadline: float) -> _Answer:
        origin = self._origin(target.origin)
        connection = self._idle(origin)
        if connection is None:
            async with asyncio.timeout_at(deadline):
                connection = await self._acquire(origin, target)
        # A timer on the loop, not a timeout scope: this runs for every call, and the answer
        # future is the one thing to interrupt.
        timer = asyncio.get_running_loop().call_at(deadline, connection.time_out)
        done = False
        try:
            answer = await connection.exchange(request)
            done = True
            return answer
        finally:
            timer.cancel()
            self._release(origin, connection, done)

    def _origin(self, key: tuple[str, str, int]) -> _Origin:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._drop_all()
            self._loop = loop
        origin = self._origins.get(key)
        if origin is None:
            origin = self._origins[key] = _Origin(self._limit)
        return origin

    def _idle(self, origin: _Origin) -> _Connection | None:
        """A pooled connection still fit for use, if there is one."""
        now = time.monotonic()
        while origin.idle:
            connection = origin.idle.pop()  # the most recent: the least likely to be stale
            if connection.closed:
                origin.open -= 1
            elif now - connection.idle_since > self._keepalive:
                connection.close()
                origin.open -= 1
            else:
                return connection
        return None

    async def _acquire(self, origin: _Origin, target: _Target) -> _Connection:
        """A connection once the pool has room (none is idle): one freed meanwhile, else a
        new one."""
        while origin.open >= origin.limit:
            waiter = asyncio.get_running_loop().create_future()
            origin.waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    origin.wake_one()  # pass the turn on
                raise
            connection = self._idle(origin)
            if connection is not None:
                return connection
        origin.open += 1
        try:
            return await self._connect(target)
        except BaseException:
            origin.open -= 1
            origin.wake_one()
            raise

    async def _connect(self, target: _Target) -> _Connection:
        loop = asyncio.get_running_loop()
        tls: ssl.SSLContext | None = None
        if target.tls:
            if self._ssl is None:
                self._ssl = ssl.create_default_context()
            tls = self._ssl
        max_response = self._max_response
        _, connection = await loop.create_connection(
            lambda: _Connection(max_response),
            target.host,
            target.port,
            ssl=tls,
            server_hostname=target.host if tls else None,
        )
        return connection

    def _release(self, origin: _Origin, connection: _Connection, done: bool) -> None:
        if done and connection.reusable:
            connection.idle_since = time.monotonic()
            origin.idle.append(connection)
        else:
            # cancelled or failed mid-answer: what is left on the wire belongs to no one
            connection.close()
            origin.open -= 1
        origin.wake_one()

    def _drop_all(self) -> None:
        loop = self._loop
        for origin in self._origins.values():
            for connection in origin.idle:
                # a connection is closed by its own loop; a closed loop took its sockets along
                if loop is None or loop.is_closed():
                    continue
                if loop is asyncio.get_running_loop():
                    connection.close()
                else:
                    loop.call_soon_threadsafe(connection.close)
        self._origins.clear()

    async def close(self) -> None:
        """Close the idle connections; the transport opens new ones if used again."""
        self._drop_all()
        self._loop = None
