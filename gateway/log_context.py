"""What a log line says about the request it was written in: its request id and trace id.

The server sets them when a request arrives (context variables, so that every task the
request starts sees them and no other request does); the engine replaces the trace id
with its span's when it traces. :mod:`gateway.server.log_format` writes them in JSON lines.
"""

from __future__ import annotations

from contextvars import ContextVar

__all__ = ["REQUEST_ID", "TRACE_ID"]

REQUEST_ID: ContextVar[str | None] = ContextVar("simpul_request_id", default=None)
TRACE_ID: ContextVar[str | None] = ContextVar("simpul_trace_id", default=None)
