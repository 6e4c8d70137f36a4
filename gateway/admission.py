"""How many executions run at once: as few as keep the CPU busy.

An execution alternates between Python work (gathering, merging, shaping) and waiting for
subgraphs. Starting every request at once keeps the CPU busy too, but interleaves them:
each one's subgraph answers and merged tree are cold in the CPU caches by the time its next
stage runs, and the same work costs up to twice the CPU (docs/performance.md). A fixed cap
would fix that for fast subgraphs and starve slow ones (throughput = cap / latency).

So the limit adapts, and it is work-conserving: every ``period`` seconds while requests
run, the share of that time the process spent on the CPU is measured. Below ``idle``
with requests waiting to start, the CPU had time nobody used: the limit grows by half.
Above ``busy``, the CPU is saturated and fewer executions would do the same work: the limit
shrinks by one, never below ``minimum``. With slow subgraphs the CPU idles and the limit
grows to whatever the load needs; with fast ones it settles where the CPU just stays busy.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Admission", "AdmissionSettings"]


@dataclass(frozen=True, slots=True)
class AdmissionSettings:
    initial: int = 16
    minimum: int = 2
    maximum: int = 10_000
    period: float = 0.02
    idle: float = 0.9
    busy: float = 0.97


class Admission:
    """A semaphore whose size follows the CPU's use (see the module docstring)."""

    def __init__(
        self,
        settings: AdmissionSettings | None = None,
        cpu_clock: Callable[[], float] = time.process_time,
        wall_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or AdmissionSettings()
        self.limit = self.settings.initial
        self.active = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._cpu_clock = cpu_clock
        self._wall_clock = wall_clock
        self._sample: tuple[float, float] | None = None
        self._ticking: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def waiting(self) -> int:
        """Requests waiting to start."""
        return sum(1 for waiter in self._waiters if not waiter.done())

    async def __aenter__(self) -> None:
        if self._ticking is None or self._loop is not asyncio.get_running_loop():
            self._start_ticking()
        if self.active < self.limit and not self._waiters:
            self.active += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter  # the releaser counted this execution as active
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._leave()  # admitted, then cancelled before it started
            raise

    async def __aexit__(self, *_: object) -> None:
        self._leave()

    def _leave(self) -> None:
        self.active -= 1
        self._admit()

    def _admit(self) -> None:
        while self._waiters and self.active < self.limit:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self.active += 1
                waiter.set_result(None)

    def adjust(self, cpu_share: float) -> None:
        """Move the limit for the CPU share of the last period."""
        settings = self.settings
        if cpu_share < settings.idle and self.waiting:
            self.limit = min(settings.maximum, self.limit + max(1, self.limit // 2))
            self._admit()
        elif cpu_share > settings.busy:
            self.limit = max(settings.minimum, self.limit - 1)

    def _start_ticking(self) -> None:
        self._sample = (self._cpu_clock(), self._wall_clock())
        self._loop = asyncio.get_running_loop()
        self._ticking = self._loop.call_later(self.settings.period, self._tick)

    def _tick(self) -> None:
        cpu, wall = self._cpu_clock(), self._wall_clock()
        assert self._sample is not None
        last_cpu, last_wall = self._sample
        elapsed = wall - last_wall
        if elapsed > 0:
            self.adjust((cpu - last_cpu) / elapsed)
        if self.active or self._waiters:
            self._sample = (cpu, wall)
            assert self._loop is not None
            self._ticking = self._loop.call_later(self.settings.period, self._tick)
        else:
            self._ticking = None  # nothing runs: no timer until the next request
