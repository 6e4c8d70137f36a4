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

from gateway.error_codes import SubgraphErrorCode

__all__ = [
    "SubgraphErrorCode",
    "UpstreamBadResponse",
    "UpstreamError",
    "UpstreamRejected",
    "UpstreamTimeout",
    "UpstreamUnavailable",
]


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
