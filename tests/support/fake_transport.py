"""A transport answering each subgraph with a Python function, recording every call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.errors import TransportError

Handler = Callable[[dict[str, Any]], Any]
"""Receives the request body (query, variables); returns a response dict or raises."""


@dataclass
class FakeTransport:
    handlers: Mapping[str, Handler]
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        request = orjson.loads(body)
        self.calls.append((url, request))
        answer = self.handlers[url](request)
        if isinstance(answer, bytes):
            return answer
        return orjson.dumps(answer)

    async def close(self) -> None:
        return None

    def count(self, url: str) -> int:
        return sum(1 for called, _ in self.calls if called == url)


def down(_: dict[str, Any]) -> Any:
    raise TransportError("connection refused by http://down/graphql")
