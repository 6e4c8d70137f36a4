"""A transport over ``httpx``: for tests and in-process subgraphs (ASGI apps by URL)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx

from .base import ASGIApp, checked_body, connection_error, request_headers, timeout_error

__all__ = ["HttpxTransport"]


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
            url,
            response.status_code,
            response.headers.get("content-type"),
            response.content,
            response.headers.get("cache-control"),
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
