"""What every transport promises: the :class:`Transport` protocol and the answers' rules.

The executor depends only on :class:`Transport`. Production uses
:class:`~gateway.transport.pooled.PooledTransport` (HTTP/1.1 over pooled keep-alive
connections); tests also use :class:`~gateway.transport.httpx_client.HttpxTransport` over
``httpx.ASGITransport`` to run subgraphs in process.

Every transport answers alike:

- a 2xx answer: its body; one with a ``Cache-Control`` header (what the gateway's cache
  may keep) as a :class:`Body`, which carries it;
- a non-2xx answer in ``application/graphql-response+json`` whose body is a GraphQL
  response (an object with ``data`` or ``errors``): its body, because under that media type
  a 4xx status is how a subgraph reports request errors, which the executor must see;
- any other non-2xx answer: :class:`~gateway.errors.TransportError` with ``status`` set;
- a connection failure: ``TransportError`` with code ``SUBREQUEST_HTTP_ERROR``;
- no complete answer within ``timeout`` seconds: ``TransportError`` with code
  ``SUBREQUEST_TIMEOUT``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any, Protocol

import orjson

from ..errors import ErrorCode, TransportError

__all__ = [
    "ASGIApp",
    "Body",
    "Transport",
    "cache_control_of",
    "checked_body",
    "connection_error",
    "request_headers",
    "timeout_error",
]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
DEFAULT_HEADERS: Mapping[str, str] = {
    "Content-Type": "application/json",
    "Accept": f"{GRAPHQL_RESPONSE_JSON}, application/json",
}

ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]
"""An ASGI application, as ``HttpxTransport.for_apps`` accepts it."""


class Body(bytes):
    """An answer's body, with its ``Cache-Control`` header. Plain ``bytes`` is an answer
    without one, of which the gateway keeps nothing: so the protocol stays ``bytes``, and
    transports (and fakes) that know nothing of caching need no change. orjson reads only
    exact ``bytes``: give it ``memoryview(body)``."""

    cache_control: str | None = None

    @classmethod
    def of(cls, content: bytes, cache_control: str | None) -> bytes:
        """``content`` with ``cache_control``; ``content`` itself without one."""
        if cache_control is None:
            return content
        body = cls(content)
        body.cache_control = cache_control
        return body


def cache_control_of(body: bytes) -> str | None:
    """The ``Cache-Control`` a transport's answer came with, if any."""
    return body.cache_control if isinstance(body, Body) else None


class Transport(Protocol):
    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        """POST ``body`` (JSON) to ``url`` and return the response body of a 2xx answer
        (a :class:`Body` when the answer's ``Cache-Control`` is to be seen).

        Raises :class:`gateway.errors.TransportError` on connection failure, timeout or a
        non-2xx status. The executor relies on the transport to end every call within
        ``timeout`` seconds.
        """
        ...

    async def close(self) -> None: ...


def request_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers of one subgraph call: the defaults, replaced by ``headers`` by name."""
    given = {name.lower() for name in headers}
    merged = {name: value for name, value in DEFAULT_HEADERS.items() if name.lower() not in given}
    merged.update(headers)
    return merged


def checked_body(
    url: str, status: int, content_type: str | None, body: bytes, cache_control: str | None = None
) -> bytes:
    """Return ``body`` (with ``cache_control``, see :class:`Body`) if the answer is usable,
    else raise :class:`TransportError`."""
    if 200 <= status < 300:
        return Body.of(body, cache_control)
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type == GRAPHQL_RESPONSE_JSON and _is_graphql_response(body):
        # a request error: nothing of it is kept, whatever its headers say
        return body
    raise TransportError(
        f"subgraph at {url} answered HTTP {status}", ErrorCode.SUBREQUEST_HTTP_ERROR, status
    )


def _is_graphql_response(body: bytes) -> bool:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return isinstance(document, dict) and ("data" in document or "errors" in document)


def timeout_error(url: str, timeout: float) -> TransportError:
    """The failure of a call with no complete answer within ``timeout`` seconds."""
    return TransportError(
        f"subgraph at {url} did not answer within {timeout:g} s", ErrorCode.SUBREQUEST_TIMEOUT
    )


def connection_error(url: str, cause: BaseException) -> TransportError:
    """The failure of a call whose connection could not be made or broke before the answer."""
    reason = str(cause) or type(cause).__name__
    return TransportError(
        f"subgraph at {url} could not be reached: {reason}", ErrorCode.SUBREQUEST_HTTP_ERROR
    )
