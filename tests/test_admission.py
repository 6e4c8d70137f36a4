"""The adaptive limit on executions at once: it must never lose a request, must let every
request start while the CPU has time to spare, and must shrink while the CPU is saturated."""

from __future__ import annotations

import asyncio

from gateway.admission import Admission, AdmissionSettings


def fixed(limit: int) -> Admission:
    # a period long enough that the limit does not move during the test
    return Admission(AdmissionSettings(initial=limit, minimum=1, period=3600))


async def test_requests_beyond_the_limit_wait_and_start_in_order() -> None:
    admission = fixed(2)
    started: list[int] = []
    release = asyncio.Event()

    async def run(number: int) -> None:
        async with admission:
            started.append(number)
            await release.wait()

    tasks = [asyncio.create_task(run(n)) for n in range(5)]
    await asyncio.sleep(0.01)
    assert started == [0, 1]
    assert (admission.active, admission.waiting) == (2, 3)
    release.set()
    await asyncio.gather(*tasks)
    assert started == [0, 1, 2, 3, 4]
    assert (admission.active, admission.waiting) == (0, 0)


async def test_a_cancelled_waiter_gives_its_turn_away() -> None:
    admission = fixed(1)
    release = asyncio.Event()
    started: list[str] = []

    async def run(name: str) -> None:
        async with admission:
            started.append(name)
            await release.wait()

    first = asyncio.create_task(run("first"))
    gone = asyncio.create_task(run("gone"))
    last = asyncio.create_task(run("last"))
    await asyncio.sleep(0.01)
    gone.cancel()
    release.set()
    await asyncio.gather(first, last)
    assert started == ["first", "last"]
    assert admission.active == 0


def test_limit_grows_while_the_cpu_idles_with_requests_waiting() -> None:
    admission = fixed(4)
    loop = asyncio.new_event_loop()
    try:
        for _ in range(4):
            admission._waiters.append(loop.create_future())
        admission.active = 4
        admission.adjust(0.3)
        assert (admission.limit, admission.active, admission.waiting) == (6, 6, 2)
        admission.adjust(0.5)
        assert (admission.limit, admission.active, admission.waiting) == (9, 8, 0)
    finally:
        loop.close()


def test_limit_stays_when_nothing_waits_and_shrinks_when_the_cpu_is_saturated() -> None:
    admission = Admission(AdmissionSettings(initial=4, minimum=2, period=3600))
    admission.adjust(0.1)
    assert admission.limit == 4  # idle, but no request waits: nothing to gain
    for _ in range(10):
        admission.adjust(0.99)
    assert admission.limit == 2


async def test_the_limit_follows_the_measured_cpu_share() -> None:
    cpu = [0.0]
    wall = [0.0]
    admission = Admission(
        AdmissionSettings(initial=3, minimum=1, period=0.001),
        cpu_clock=lambda: cpu[0],
        wall_clock=lambda: wall[0],
    )
    release = asyncio.Event()

    async def run() -> None:
        async with admission:
            await release.wait()

    tasks = [asyncio.create_task(run()) for _ in range(10)]
    # the CPU idled (no CPU time passed while the wall clock moved): the limit grows
    for _ in range(50):
        wall[0] += 1.0
        await asyncio.sleep(0.002)
        if admission.active == 10:
            break
    assert admission.active == 10
    release.set()
    await asyncio.gather(*tasks)
