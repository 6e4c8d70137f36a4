"""Retrying reads against a legacy system, with exponential backoff.

Only reads are retried: a write that timed out may have happened, and repeating it could
happen twice. Only :class:`UpstreamUnavailable` and :class:`UpstreamTimeout` are retried;
an answer that was malformed or refused will be the same the next time.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from .errors import UpstreamTimeout, UpstreamUnavailable

__all__ = ["NO_RETRY", "RetryPolicy", "with_retries"]

T = TypeVar("T")

log = logging.getLogger("simpul.subgraph.retry")

RETRYABLE: tuple[type[Exception], ...] = (UpstreamUnavailable, UpstreamTimeout)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a read is tried again.

    The defaults (3 tries, waiting about 0.2 s then 0.4 s) with the adapters' 5 s timeout
    keep the worst case near 16 s, inside the gateway's 30 s budget for a subgraph call.
    """

    attempts: int = 3
    """Tries in all, the first included; 1 means no retry."""
    backoff: float = 0.2
    """Seconds to wait before the second try; doubled before each next one."""
    max_backoff: float = 2.0
    """The longest single wait."""
    jitter: float = 0.1
    """A random share of each wait added or removed, so that retries from many requests
    do not hit a recovering system at the same instant."""

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1")
        if self.backoff < 0 or self.max_backoff < 0 or not 0 <= self.jitter <= 1:
            raise ValueError("RetryPolicy waits must be non-negative, jitter within [0, 1]")

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the second try)."""
        base = min(self.backoff * 2 ** (retry - 1), self.max_backoff)
        spread = base * self.jitter
        wait: float = base + random.uniform(-spread, spread)
        return max(0.0, wait)


NO_RETRY = RetryPolicy(attempts=1)
"""One try: for writes, and for calls whose caller retries on its own."""


async def with_retries(call: Callable[[], Awaitable[T]], policy: RetryPolicy) -> T:
    """Await ``call()``, calling it again on a transient upstream failure, per ``policy``.

    The last failure is raised once the tries are used up; other errors are raised at once.
    """
    for attempt in range(1, policy.attempts + 1):
        try:
            return await call()
        except RETRYABLE as error:
            if attempt == policy.attempts:
                raise
            wait = policy.delay(attempt)
            log.warning("retrying in %.2fs (try %d failed): %s", wait, attempt, error)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable: RetryPolicy.attempts is at least 1")
