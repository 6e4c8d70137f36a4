"""The HTTP plumbing shared by the REST-JSON and REST-XML adapters.

One pooled ``httpx.AsyncClient`` per upstream; every call has a deadline, reads are retried
on transient failures (see :mod:`subgraphs.toolkit.retry`), and every failure leaves as one
of the :mod:`subgraphs.toolkit.errors` classes:

| what happened                              | raised                 | retried (reads) |
|--------------------------------------------|------------------------|-----------------|
| connection refused, reset, DNS failure     | UpstreamUnavailable    | yes             |
| no complete answer within ``timeout``      | UpstreamTimeout        | yes             |
| HTTP 5xx, 408, 429                         | UpstreamUnavailable    | yes             |
| HTTP 4xx                                   | UpstreamRejected       | no              |
| HTTP 3xx (usually an expired login)        | UpstreamBadResponse    | no              |
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from ..errors import UpstreamBadResponse, UpstreamRejected, UpstreamTimeout, UpstreamUnavailable
from ..retry import NO_RETRY, RetryPolicy, with_retries
from ..tracing import legacy_call, traced_headers

__all__ = ["HttpSource", "QueryParams"]

QueryParams = Mapping[str, str | int | float | bool | None]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Statuses that say "try again later" rather than "this request is wrong"
TRANSIENT_STATUSES = frozenset({408, 429})


class HttpSource:
    """A legacy system reached over HTTP: base URL, credentials, deadline and retries.

    ``timeout`` bounds one whole try (connect, send, wait, read the body), so a server that
    trickles its answer cannot hold a request longer. ``transport`` replaces the network,
    e.g. ``httpx.ASGITransport(app=simulator)`` to run against an in-process simulator.
    """

    accept = "*/*"

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 5.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.name = name
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy()
        # what a span says of the system: its host, never a path (it may hold a NIK)
        self._host = urlsplit(base_url).hostname or ""
        self._client = httpx.AsyncClient(
            base_url=base_url,
            auth=auth,
            headers={"Accept": self.accept, "User-Agent": "simpul-subgraph", **(headers or {})},
            timeout=httpx.Timeout(timeout),
            transport=transport,
            # A legacy system that redirects usually sends us to a login page: an error,
            # not something to follow
            follow_redirects=False,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        read: bool | None = None,
    ) -> httpx.Response:
        """Send one request and return its 2xx response, or raise an ``Upstream*`` error.

        ``read`` says whether the call only reads, and so may be retried; by default it is
        true for GET, HEAD and OPTIONS. Pass ``read=True`` for a POST that only queries.
        """
        method = method.upper()
        is_read = method in READ_METHODS if read is None else read
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}

        async def attempt() -> httpx.Response:
            return await self._send(method, path, clean_params, json, content, headers)

        return await with_retries(attempt, self.retry if is_read else NO_RETRY)

    async def _send(
        self,
        method: str,
        path: str,
        params: QueryParams,
        json: Any,
        content: bytes | str | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        # The query string may carry credentials, so only the method and path are logged
        where = f"{method} {path}"
        attributes = {"http.request.method": method, "server.address": self._host}
        with legacy_call(self.name, attributes) as span:
            if span is not None:
                headers = traced_headers(headers)
            response = await self._try(where, method, path, params, json, content, headers)
            if span is not None:
                span.set_attribute("http.response.status_code", response.status_code)
            return self._checked(where, response)

    async def _try(
        self,
        where: str,
        method: str,
        path: str,
        params: QueryParams,
        json: Any,
        content: bytes | str | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        try:
            async with asyncio.timeout(self.timeout):
                return await self._client.request(
                    method, path, params=params, json=json, content=content, headers=headers
                )
        except (TimeoutError, httpx.TimeoutException) as error:
            raise UpstreamTimeout(self.name, f"{where}: no answer in {self.timeout}s") from error
        except httpx.TransportError as error:
            raise UpstreamUnavailable(self.name, f"{where}: {type(error).__name__}") from error

    def _checked(self, where: str, response: httpx.Response) -> httpx.Response:
        """``response`` if it is a 2xx, else the ``Upstream*`` error it means."""
        status = response.status_code
        if status >= 500 or status in TRANSIENT_STATUSES:
            raise UpstreamUnavailable(self.name, f"{where}: HTTP {status}")
        if status >= 400:
            raise UpstreamRejected(self.name, f"{where}: HTTP {status}", status=status)
        if status >= 300:
            raise UpstreamBadResponse(self.name, f"{where}: unexpected redirect (HTTP {status})")
        return response

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
