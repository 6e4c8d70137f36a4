"""How the gateway talks HTTP to subgraphs: one protocol (:mod:`.base`), one module per
transport (:mod:`.pooled`, the production one; :mod:`.httpx_client`, for tests and
in-process subgraphs)."""

from .base import ASGIApp, Transport, connection_error, timeout_error
from .httpx_client import HttpxTransport
from .pooled import PooledTransport

__all__ = [
    "ASGIApp",
    "HttpxTransport",
    "PooledTransport",
    "Transport",
    "connection_error",
    "timeout_error",
]
