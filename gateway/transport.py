"""How the gateway talks HTTP to subgraphs.

The executor depends only on :class:`Transport`. Production uses
:class:`gateway.http1.PooledTransport` (HTTP/1.1 over pooled keep-alive connections), tests
also use :class:`HttpxTransport` over ``httpx.ASGITransport`` to run subgraphs in process.

Every transport answers alike:

- a 2xx answer: its body;
- a non-2xx answer in ``application/graphql-response+json`` whose body is a GraphQL
  response (an object with ``data`` or ``errors``): its body, because under that media type
  a 4xx status is how a subgraph reports request errors, which the executor must see;
- any other non-2xx answer: :class:`~gateway.errors.TransportError` with ``status`` set;
- a connection failure: ``TransportError`` with code ``SUBREQUEST_HTTP_ERROR``;
- no complete answer within ``timeout`` seconds: ``TransportError`` with code
  ``SUBREQUEST_TIMEOUT``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any, Protocol

import httpx
import orjson

from .errors import ErrorCode, TransportError

__all__ = ["ASGIApp", "HttpxTransport", "Transport", "connection_error", "timeout_error"]

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


class Transport(Protocol):
    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        """POST ``body`` (JSON) to ``url`` and return the response body of a 2xx answer.

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


def checked_body(url: str, status: int, content_type: str | None, body: bytes) -> bytes:
    """Return ``body`` if the answer is usable, else raise :class:`TransportError`."""
    if 200 <= status < 300:
        return body
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type == GRAPHQL_RESPONSE_JSON and _is_graphql_response(body):
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


class HttpxTransport:
    """A transport over an ``httpx.AsyncClient``, for tests and in-process subgraphs.

    The transport owns the client and closes it in :meth:`close`.
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    @classmethod
    def for_apps(cls, apps: Mapping[str, ASGIApp]) -> HttpxTransport:
        """A transport that routes each subgraph URL to an in-process ASGI app.

        A request goes to the app whose URL matches it exactly (query string aside), else
        to the app whose URL has the same origin; any other URL fails like a refused
        connection.
        """
        return cls(httpx.AsyncClient(transport=_RoutingTransport(apps)))

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        """POST ``body`` to ``url``; see the module docstring for the outcomes."""
        try:
            # httpx does not time out an in-process ASGI app: the deadline is kept here too
            async with asyncio.timeout(timeout):
                response = await self._client.post(
                    url, content=body, headers=request_headers(headers), timeout=timeout
                )
        except (httpx.TimeoutException, TimeoutError) as error:
            raise timeout_error(url, timeout) from error
        except (httpx.HTTPError, OSError) as error:
            raise connection_error(url, error) from error
        return checked_body(
            url, response.status_code, response.headers.get("content-type"), response.content
        )

    async def close(self) -> None:
        """Close the client."""
        await self._client.aclose()


class _RoutingTransport(httpx.AsyncBaseTransport):
    def __init__(self, apps: Mapping[str, ASGIApp]) -> None:
        self._by_url: dict[str, httpx.ASGITransport] = {}
        self._by_origin: dict[str, httpx.ASGITransport] = {}
        for url, app in apps.items():
            transport = httpx.ASGITransport(app=app)
            parsed = httpx.URL(url)
            self._by_url[_without_query(parsed)] = transport
            self._by_origin.setdefault(_origin(parsed), transport)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._by_url.get(_without_query(request.url)) or self._by_origin.get(
            _origin(request.url)
        )
        if transport is None:
            raise httpx.ConnectError(f"no in-process app at {request.url}", request=request)
        # Yield once, as a network call would: callers must not depend on synchronous answers.
        await asyncio.sleep(0)
        return await transport.handle_async_request(request)


def _origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii')}"


def _without_query(url: httpx.URL) -> str:
    return f"{_origin(url)}{url.path.rstrip('/')}"
