"""What can go wrong between a subgraph and the system it wraps.

Adapters raise only these, so a subgraph handles one small hierarchy whatever the protocol::

    UpstreamError                 base: the legacy system could not give an answer
     ├── UpstreamUnavailable      down, connection refused, HTTP 5xx after retries,
     │                            a missing export file
     ├── UpstreamTimeout          no answer within the adapter's timeout, after retries
     ├── UpstreamBadResponse      an answer we cannot read: malformed JSON or XML, an XML
     │                            payload with a DTD or entities, the wrong shape, a broken file
     └── UpstreamRejected         the system refused the request: HTTP 4xx, a constraint

Each error has a public ``message`` safe to show a client (it names the upstream, never a
URL, credential, SQL text or stack) and a ``detail`` for the logs. The app factory turns
them into GraphQL errors whose ``extensions.code`` is the class's ``code``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "SubgraphErrorCode",
    "UpstreamBadResponse",
    "UpstreamError",
    "UpstreamRejected",
    "UpstreamTimeout",
    "UpstreamUnavailable",
]


class SubgraphErrorCode(StrEnum):
    """The ``extensions.code`` values a toolkit subgraph answers with."""

    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
    UPSTREAM_TIMEOUT = "UPSTREAM_TIMEOUT"
    UPSTREAM_BAD_RESPONSE = "UPSTREAM_BAD_RESPONSE"
    UPSTREAM_REJECTED = "UPSTREAM_REJECTED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    BAD_REQUEST = "BAD_REQUEST"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    """A call without the gateway's valid signature (HTTP 401)."""
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    """The document nests deeper than ``SubgraphLimits.max_depth`` (:mod:`.limits`)."""
    MAX_ALIASES_LIMIT = "MAX_ALIASES_LIMIT"
    """The document has more aliases than ``SubgraphLimits.max_aliases``."""
    MAX_TOKENS_LIMIT = "MAX_TOKENS_LIMIT"
    """The document has more tokens than ``SubgraphLimits.max_tokens``."""
    COST_ESTIMATED_TOO_EXPENSIVE = "COST_ESTIMATED_TOO_EXPENSIVE"
    """The operation's estimated cost is over ``SubgraphLimits.max_cost``."""
    AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE"
    """Personal data is not processed: its processing cannot be recorded."""


class UpstreamError(Exception):
    """The legacy system behind a subgraph could not give an answer."""

    code = SubgraphErrorCode.UPSTREAM_UNAVAILABLE
    summary = "could not be reached"

    def __init__(self, upstream: str, detail: str = "") -> None:
        self.upstream = upstream
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The client-facing text: which upstream failed and how, nothing internal."""
        return f"Upstream system {self.upstream!r} {self.summary}."

    def __str__(self) -> str:
        # str() goes to logs, where the detail is what an operator needs
        return f"{self.message} {self.detail}".rstrip()


class UpstreamUnavailable(UpstreamError):
    """The system is down, refused the connection or kept answering 5xx."""

    code = SubgraphErrorCode.UPSTREAM_UNAVAILABLE
    summary = "is unavailable"


class UpstreamTimeout(UpstreamError):
    """The system did not answer in time."""

    code = SubgraphErrorCode.UPSTREAM_TIMEOUT
    summary = "did not answer in time"


class UpstreamBadResponse(UpstreamError):
    """The system answered something that cannot be read or has the wrong shape."""

    code = SubgraphErrorCode.UPSTREAM_BAD_RESPONSE
    summary = "gave an answer that could not be read"


class UpstreamRejected(UpstreamError):
    """The system refused the request (HTTP 4xx, a database constraint)."""

    code = SubgraphErrorCode.UPSTREAM_REJECTED
    summary = "rejected the request"

    def __init__(self, upstream: str, detail: str = "", *, status: int | None = None) -> None:
        self.status = status
        super().__init__(upstream, detail)
