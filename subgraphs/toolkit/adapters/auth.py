"""Credentials for legacy HTTP systems, as httpx auth flows.

They add a header to every request and nothing else; the secret never appears in an error
message or log line, only in the header sent to the upstream.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

__all__ = ["ApiKeyHeader", "BearerToken"]


class BearerToken(httpx.Auth):
    """``Authorization: Bearer <token>``, as Dapodik's web service expects."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("BearerToken needs a non-empty token")
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the header and send the request once."""
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerToken(***)"


class ApiKeyHeader(httpx.Auth):
    """An API key in a named header, such as ``X-API-Key: <key>``."""

    def __init__(self, key: str, header: str = "X-API-Key") -> None:
        if not key or not header:
            raise ValueError("ApiKeyHeader needs a non-empty key and header name")
        self.header = header
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the header and send the request once."""
        request.headers[self.header] = self._key
        yield request

    def __repr__(self) -> str:
        return f"ApiKeyHeader(header={self.header!r}, key=***)"
