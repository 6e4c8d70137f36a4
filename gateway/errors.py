"""Client-facing error codes and the gateway's internal error hierarchy.

Every error a client sees is a GraphQL error (``message``, optional ``path`` and
``locations``) with ``extensions.code`` drawn from :class:`ErrorCode`; ``docs/errors.md``
lists them. Internal failures are subclasses of :class:`GatewayError`::

    GatewayError
    ├── RequestError        the request cannot be executed (parse, validation, variables, ...)
    └── TransportError      a subgraph could not be reached or answered badly
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

__all__ = ["ErrorCode", "GatewayError", "RequestError", "TransportError", "graphql_error"]


class ErrorCode(StrEnum):
    BAD_REQUEST = "BAD_REQUEST"
    """The HTTP request is not a GraphQL-over-HTTP request (bad JSON, missing query, ...)."""
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    """Variables missing or of the wrong type."""
    OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
    """No operation with the requested name, or several operations and no name."""
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    """A mutation sent with GET."""
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    MAX_TOKENS_LIMIT = "MAX_TOKENS_LIMIT"
    """The document has more tokens than the parser reads (``limits.max_tokens``)."""
    MAX_ALIASES_LIMIT = "MAX_ALIASES_LIMIT"
    MAX_ROOT_FIELDS_LIMIT = "MAX_ROOT_FIELDS_LIMIT"
    MAX_FIELDS_LIMIT = "MAX_FIELDS_LIMIT"
    MAX_HEIGHT_LIMIT = "MAX_HEIGHT_LIMIT"
    MAX_DIRECTIVES_LIMIT = "MAX_DIRECTIVES_LIMIT"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    """An APQ hash the gateway has not seen yet: send the query text with it."""
    PERSISTED_QUERY_NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
    """The gateway runs only its trusted documents (safelist), and this is not one."""
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
    COST_ESTIMATED_TOO_EXPENSIVE = "COST_ESTIMATED_TOO_EXPENSIVE"
    """The operation's estimated cost is over the maximum (demand control)."""
    SUBREQUEST_HTTP_ERROR = "SUBREQUEST_HTTP_ERROR"
    """A subgraph was down, timed out, answered a non-2xx status or a body that is not JSON."""
    SUBREQUEST_TIMEOUT = "SUBREQUEST_TIMEOUT"
    DOWNSTREAM_SERVICE_ERROR = "DOWNSTREAM_SERVICE_ERROR"
    """A subgraph answered GraphQL errors without a code of their own."""
    QUERY_PLANNING_FAILED = "QUERY_PLANNING_FAILED"
    """The operation is valid but the supergraph offers no way to resolve it."""
    INVALID_SUBGRAPH_RESPONSE = "INVALID_SUBGRAPH_RESPONSE"
    """A subgraph's answer does not match what the gateway asked for."""
    NOT_READY = "NOT_READY"
    TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
    """One client address has ``server.max_requests_per_client`` requests in flight (429)."""
    RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE"
    """The answer is larger than ``server.max_response_bytes``."""
    CORS_REFUSED = "CORS_REFUSED"
    """A browser's preflight from an origin, or for a method or header, not allowed (403)."""
    CSRF_PREVENTION = "CSRF_PREVENTION"
    """A GET without a preflight-forcing header while CSRF prevention is on (400)."""
    UNAUTHENTICATED = "UNAUTHENTICATED"
    """A credential (token or API key) was sent and is not valid, or one is required (401)."""
    UNAUTHORIZED_FIELD_OR_TYPE = "UNAUTHORIZED_FIELD_OR_TYPE"
    """The caller may not reach this field or type; it was not asked of any subgraph."""
    PERSONAL_DATA_LIMIT_EXCEEDED = "PERSONAL_DATA_LIMIT_EXCEEDED"
    """One operation selects a personal-data field more often than its grant allows."""
    RATE_LIMITED = "RATE_LIMITED"
    """The client application has used its personal-data allowance for this minute."""
    RATE_LIMIT_UNAVAILABLE = "RATE_LIMIT_UNAVAILABLE"
    """The shared counters cannot be read: personal data is refused rather than unlimited."""
    AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE"
    """Personal data is not served: its processing cannot be recorded (no access log is
    configured, or it cannot be written right now)."""
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
    """The gateway's configuration turns introspection off (``access.introspection``)."""
    OPERATION_TOO_COMPLEX = "OPERATION_TOO_COMPLEX"
    """The operation reaches protected fields through too many selections to check."""
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


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
