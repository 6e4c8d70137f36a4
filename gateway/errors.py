"""Client-facing error codes and the gateway's internal error hierarchy.

Every error a client sees is a GraphQL error (``message``, optional ``path`` and
``locations``) with ``extensions.code`` drawn from :class:`ErrorCode` (defined with every
other family of codes in :mod:`gateway.error_codes`, which ``docs/errors.md`` is generated
from). Internal failures are subclasses of :class:`GatewayError`::

    GatewayError
    ├── RequestError        the request cannot be executed (parse, validation, variables, ...)
    └── TransportError      a subgraph could not be reached or answered badly
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .error_codes import ErrorCode

__all__ = ["ErrorCode", "GatewayError", "RequestError", "TransportError", "graphql_error"]


def graphql_error(
    message: str,
    code: ErrorCode | str,
    path: Sequence[str | int] | None = None,
    locations: Sequence[dict[str, int]] | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    """Build one error entry of a GraphQL response."""
    error: dict[str, Any] = {"message": message}
    if locations:
        error["locations"] = list(locations)
    if path is not None:
        error["path"] = list(path)
    error["extensions"] = {"code": code.value if isinstance(code, ErrorCode) else code}
    error["extensions"].update(extensions)
    return error


class GatewayError(Exception):
    """Base class of the gateway's internal failures."""


class RequestError(GatewayError):
    """The request cannot be executed; ``errors`` are ready to send to the client."""

    def __init__(
        self,
        errors: list[dict[str, Any]],
        status: int = 400,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(errors[0]["message"] if errors else "request error")
        self.errors = errors
        self.status = status
        self.headers = dict(headers or {})


class TransportError(GatewayError):
    """A subgraph call failed before a usable GraphQL response arrived."""

    def __init__(
        self,
        message: str,
        code: ErrorCode = ErrorCode.SUBREQUEST_HTTP_ERROR,
        status: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
