"""A bounded load over real HTTP, as ``make bench`` puts on the gateway: a fixed number of
clients, each sending its next request as soon as its last one is answered, until told to
stop or a time limit passes; every answer is kept with when it was asked and how long it
took, for the test to judge afterwards.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Answer", "Request", "bounded_load"]

Request = tuple[str, dict[str, Any]]
"""A request's name (what the test calls it) and its JSON body."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One request's answer."""

    name: str
    started: float
    """``time.monotonic()`` when it was sent."""
    elapsed: float
    status: int
    body: Any
    """The parsed JSON (``None``: not JSON)."""

    @property
    def errors(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("errors") or [])

    @property
    def stale(self) -> list[dict[str, Any]]:
        """The answer's ``extensions.stale`` marks."""
        return list(((self.body or {}).get("extensions") or {}).get("stale") or [])


async def bounded_load(
    url: str,
    request: Callable[[int, int], Request],
    *,
    clients: int,
    stop: asyncio.Event,
    seconds: float,
    answers: list[Answer],
) -> None:
    """POST ``request(client, n)`` (the ``n``-th request of ``client``) to ``url`` from
    ``clients`` clients over keep-alive connections, until ``stop`` is set or ``seconds``
    have passed; each answer is added to ``answers`` as it comes, so that the test can
    watch the load while it runs."""
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient, number: int) -> None:
        sent = 0
        while not stop.is_set() and time.monotonic() < deadline:
            name, body = request(number, sent)
            sent += 1
            started = time.monotonic()
            response = await http.post(url, json=body)
            try:
                parsed = response.json()
            except ValueError:
                parsed = None
            elapsed = time.monotonic() - started
            answers.append(Answer(name, started, elapsed, response.status_code, parsed))

    async with httpx.AsyncClient(timeout=120, limits=limits, trust_env=False) as http:
        await asyncio.gather(*(client(http, number) for number in range(clients)))
