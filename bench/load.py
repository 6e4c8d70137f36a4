"""Load generators: ``wrk`` (preferred) or a bounded aiohttp loop, fixed concurrency.

Both POST the same body over keep-alive connections to one URL for a fixed time and count
as an error every connection failure, timeout, non-200 answer, or answer whose length
differs from the one verified before timing.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LoadResult", "run_load", "wrk_path"]

LUA = Path(__file__).parent / "wrk" / "post.lua"


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str

    @property
    def rps(self) -> float:
        good = self.requests - self.errors
        return max(good, 0) / self.seconds if self.seconds else 0.0


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_load(
    url: str,
    body: bytes,
    seconds: float,
    concurrency: int,
    expected_bytes: int,
    workdir: Path,
    cpu: int | None,
    headers: Mapping[str, str] | None = None,
) -> LoadResult:
    """Load ``url`` for ``seconds``, each request with ``headers`` too; with wrk pinned to
    ``cpu`` when given."""
    wrk = wrk_path()
    extra = dict(headers or {})
    if wrk is not None:
        return _run_wrk(wrk, url, body, seconds, concurrency, expected_bytes, workdir, cpu, extra)
    return asyncio.run(_run_aiohttp(url, body, seconds, concurrency, expected_bytes, extra))


def _run_wrk(
    wrk: str,
    url: str,
    body: bytes,
    seconds: float,
    concurrency: int,
    expected_bytes: int,
    workdir: Path,
    cpu: int | None,
    headers: dict[str, str],
) -> LoadResult:
    body_file = workdir / "request-body.json"
    body_file.write_bytes(body)
    command = [wrk, "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    command += ["-s", str(LUA), url]
    if cpu is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(cpu), *command]
    env = {
        **os.environ,
        "BENCH_BODY_FILE": str(body_file),
        "BENCH_EXPECTED_BYTES": str(expected_bytes),
        "BENCH_HEADERS": "\n".join(f"{name}: {value}" for name, value in headers.items()),
    }
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            result = json.loads(line.removeprefix("BENCH_RESULT "))
            break
    else:
        raise RuntimeError(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    errors = result["connect"] + result["read"] + result["write"] + result["timeout"]
    return LoadResult(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        errors=errors + result["bad"],
        tool="wrk",
    )


async def _run_aiohttp(
    url: str,
    body: bytes,
    seconds: float,
    concurrency: int,
    expected_bytes: int,
    extra_headers: dict[str, str],
) -> LoadResult:
    import aiohttp

    latencies: list[float] = []
    errors = 0
    headers = {"Content-Type": "application/json", "Accept": "application/json", **extra_headers}
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        deadline = started + seconds

        async def client() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                begin = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        content = await response.read()
                        ok = response.status == 200 and (
                            not expected_bytes or len(content) == expected_bytes
                        )
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                latencies.append(time.perf_counter() - begin)
                if not ok:
                    errors += 1

        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(50),
        p99_ms=percentile(99),
        errors=errors,
        tool="python-aiohttp",
    )
