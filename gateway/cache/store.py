"""Where cached subgraph answers are kept: in the process (bounded in bytes) or in Redis,
shared by every replica. A store that fails answers as if empty: the cache never takes a
request down."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

__all__ = ["CacheStore", "MemoryCacheStore", "RedisCacheStore"]

logger = logging.getLogger(__name__)


class CacheStore(Protocol):
    async def get(self, keys: Sequence[str]) -> list[bytes | None]:
        """The values at ``keys``, ``None`` where absent or expired."""
        ...

    async def put(self, entries: Mapping[str, bytes], ttl: int) -> None:
        """Keep ``entries`` for ``ttl`` seconds."""
        ...

    async def delete(self, prefix: str) -> int:
        """Remove every entry whose key starts with ``prefix``; return how many."""
        ...

    async def close(self) -> None: ...


class MemoryCacheStore:
    """Entries in this process, least recently used dropped beyond ``max_bytes``."""

    def __init__(self, max_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._max = max_bytes
        self._clock = clock
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._bytes = 0

    async def get(self, keys: Sequence[str]) -> list[bytes | None]:
        """The values at ``keys``, ``None`` where absent or expired."""
        now = self._clock()
        found: list[bytes | None] = []
        for key in keys:
            entry = self._entries.get(key)
            if entry is None or entry[1] <= now:
                found.append(None)
                continue
            self._entries.move_to_end(key)
            found.append(entry[0])
        return found

    async def put(self, entries: Mapping[str, bytes], ttl: int) -> None:
        """Keep ``entries`` for ``ttl`` seconds, dropping the least recently used beyond
        the bound."""
        expires = self._clock() + ttl
        for key, value in entries.items():
            self._drop(key)
            if len(key) + len(value) > self._max:
                continue
            self._entries[key] = (value, expires)
            self._bytes += len(key) + len(value)
        while self._bytes > self._max:
            self._drop(next(iter(self._entries)))

    async def delete(self, prefix: str) -> int:
        """Remove every entry whose key starts with ``prefix``; return how many."""
        doomed = [key for key in self._entries if key.startswith(prefix)]
        for key in doomed:
            self._drop(key)
        return len(doomed)

    async def close(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(key) + len(entry[0])


class RedisCacheStore:
    """Entries in Redis (``redis://host:port/db``), shared by all replicas; Redis expires
    them."""

    def __init__(self, url: str, timeout: float = 0.25) -> None:
        # a short timeout: a slow Redis must cost a request little more than a miss
        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )

    async def get(self, keys: Sequence[str]) -> list[bytes | None]:
        """The values at ``keys``; all ``None`` when Redis cannot be reached."""
        if not keys:
            return []
        try:
            values = await self._redis.mget(list(keys))
        except (RedisError, OSError) as error:
            logger.warning("cache: Redis cannot be read: %s", error)
            return [None] * len(keys)
        return [value if isinstance(value, bytes) else None for value in values]

    async def put(self, entries: Mapping[str, bytes], ttl: int) -> None:
        """Keep ``entries`` for ``ttl`` seconds; nothing when Redis cannot be reached."""
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for key, value in entries.items():
                    pipe.set(key, value, ex=ttl)
                await pipe.execute()
        except (RedisError, OSError) as error:
            logger.warning("cache: Redis cannot be written: %s", error)

    async def delete(self, prefix: str) -> int:
        """Remove every entry whose key starts with ``prefix``; return how many. Unlike
        reads, a failure is raised: an operator must know the invalidation did not happen."""
        removed = 0
        batch: list[bytes] = []
        async for key in self._redis.scan_iter(match=_glob_escaped(prefix) + "*", count=500):
            batch.append(key)
            if len(batch) >= 500:
                removed += await self._redis.unlink(*batch)
                batch = []
        if batch:
            removed += await self._redis.unlink(*batch)
        return removed

    async def close(self) -> None:
        await self._redis.aclose()


def _glob_escaped(text: str) -> str:
    """``text`` matched literally by Redis' glob patterns."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
