"""Identical work in flight at once, done once: later callers wait for the first one's result.

The gateway's two in-flight de-duplications (subgraph calls, client requests) share this.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["InFlight"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class InFlight(Generic[K, V]):
    """Runs at most one ``start()`` per key at a time; a finished run is never reused."""

    def __init__(self) -> None:
        self._tasks: dict[K, asyncio.Task[V]] = {}

    async def run(self, key: K, start: Callable[[], Awaitable[V]]) -> V:
        """``start()``'s result, or that of the identical run already in flight."""
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.ensure_future(start())
            self._tasks[key] = task
            task.add_done_callback(lambda done: self._settled(key, done))
        # one caller giving up (its timeout, its client gone) must not cancel the others' run
        return await asyncio.shield(task)

    def _settled(self, key: K, task: asyncio.Task[V]) -> None:
        if self._tasks.get(key) is task:
            del self._tasks[key]
        if not task.cancelled():
            task.exception()  # retrieved here, so a run nobody waits for any more is quiet
