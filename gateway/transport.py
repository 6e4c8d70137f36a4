"""How the gateway talks HTTP to subgraphs.

The executor depends only on :class:`Transport`. Production uses :class:`AiohttpTransport`
(pooled keep-alive connections; httpx's pool degrades badly under concurrency), tests use
:class:`HttpxTransport` over ``httpx.ASGITransport`` to run subgraphs in process.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

__all__ = ["Transport"]


class Transport(Protocol):
    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        """POST ``body`` (JSON) to ``url`` and return the response body of a 2xx answer.

        Raises :class:`gateway.errors.TransportError` on connection failure, timeout or a
        non-2xx status.
        """
        ...

    async def close(self) -> None: ...
