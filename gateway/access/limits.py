"""Counting personal-data use per client application, shared by every gateway replica.

A fixed window per minute: the first use in a minute starts a counter that expires with
it. :class:`RedisLimiter` keeps the counters in Redis, so that replicas share them; when
Redis cannot be reached the answer is :class:`LimiterUnavailable`, and the caller refuses
the personal data rather than serving it unlimited. :class:`MemoryLimiter` counts in the
process, for a single gateway (and ``make up``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

__all__ = ["LimiterUnavailable", "MemoryLimiter", "RateLimiter", "RedisLimiter", "Verdict"]

WINDOW = 60.0


class LimiterUnavailable(Exception):
    """The counters cannot be read (Redis is down): the use is refused, not let through."""


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    count: int
    """Uses in this window, this one included."""
    retry_after: int
    """Seconds until the window ends."""


class RateLimiter(Protocol):
    async def hit(self, key: str, amount: int, limit: int) -> Verdict:
        """Count ``amount`` uses of ``key``; allowed while the window's count is at most
        ``limit``."""
        ...

    async def close(self) -> None: ...


def _window(now: float) -> tuple[int, int]:
    index = int(now // WINDOW)
    return index, max(1, math.ceil((index + 1) * WINDOW - now))


class MemoryLimiter:
    """Counters in this process."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, amount: int, limit: int) -> Verdict:
        index, retry_after = _window(time.time())
        window, count = self._counts.get(key, (index, 0))
        if window != index:
            count = 0
        if len(self._counts) > 100_000:
            self._counts = {k: v for k, v in self._counts.items() if v[0] == index}
        count += amount
        self._counts[key] = (index, count)
        return Verdict(count <= limit, count, retry_after)

    async def close(self) -> None:
        return None


class RedisLimiter:
    """Counters in Redis (``redis://host:port/db``), shared by all replicas."""

    def __init__(self, url: str, prefix: str = "simpul:rate:", timeout: float = 0.5) -> None:
        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._prefix = prefix

    async def hit(self, key: str, amount: int, limit: int) -> Verdict:
        index, retry_after = _window(time.time())
        name = f"{self._prefix}{key}:{index}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incrby(name, amount)
                pipe.expire(name, int(WINDOW * 2))
                count, _ = await pipe.execute()
        except (RedisError, OSError) as error:
            raise LimiterUnavailable(str(error) or type(error).__name__) from None
        return Verdict(int(count) <= limit, int(count), retry_after)

    async def close(self) -> None:
        await self._redis.aclose()
