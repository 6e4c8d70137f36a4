"""Retry policy: which failures are tried again, how often, and how long between tries."""

from __future__ import annotations

import pytest

from subgraphs.toolkit import (
    RetryPolicy,
    UpstreamBadResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
    with_retries,
)


def test_waits_double_up_to_the_cap() -> None:
    policy = RetryPolicy(attempts=6, backoff=0.2, max_backoff=1.0, jitter=0)
    assert [policy.delay(retry) for retry in range(1, 6)] == [0.2, 0.4, 0.8, 1.0, 1.0]
    jittered = RetryPolicy(backoff=1.0, jitter=0.1)
    assert all(0.9 <= jittered.delay(1) <= 1.1 for _ in range(50))


@pytest.mark.parametrize(
    "options", [{"attempts": 0}, {"backoff": -1.0}, {"jitter": 2.0}, {"max_backoff": -0.1}]
)
def test_nonsense_policies_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**options)  # type: ignore[arg-type]


async def test_transient_failures_are_retried_until_the_last_try() -> None:
    tries: list[int] = []

    async def call() -> str:
        tries.append(1)
        if len(tries) < 3:
            raise UpstreamTimeout("dapodik") if len(tries) == 1 else UpstreamUnavailable("dapodik")
        return "ok"

    assert await with_retries(call, RetryPolicy(attempts=3, backoff=0)) == "ok"
    assert len(tries) == 3
    tries.clear()
    with pytest.raises(UpstreamUnavailable):
        await with_retries(call, RetryPolicy(attempts=2, backoff=0))
    assert len(tries) == 2


async def test_other_failures_are_raised_at_once() -> None:
    tries: list[int] = []

    async def call() -> str:
        tries.append(1)
        raise UpstreamBadResponse("dapodik", "malformed JSON")

    with pytest.raises(UpstreamBadResponse):
        await with_retries(call, RetryPolicy(attempts=5, backoff=0))
    assert tries == [1]
