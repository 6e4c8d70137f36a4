"""What a benchmark run measures: each timed window, and each gateway's figures over them.

A gateway in one de-duplication mode is measured in several timed windows (``BENCH_RUNS``),
taken round-robin with the other gateways so that a drift of the machine hits them all
alike; its figures are the medians of its windows, with the lowest and highest beside them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

__all__ = ["GatewayResult", "ScenarioResult", "SubgraphResult", "Window", "summarize"]


@dataclass
class Window:
    """One timed window of one gateway."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_ms_per_request: float | None
    rss_end_mb: float
    subgraph_calls_per_request: float | None
    subgraph_cache_misses: int
    gateway_cpu: float
    """The gateway's CPU time over the window, in cores (1.0: one core all the time)."""
    bench_cpu: float
    """The subgraphs', the load generator's and this script's, in cores."""
    unattributed_cpu: float
    """Every other busy CPU time on the machine (other processes, interrupts), in cores."""
    attempts: int = 1
    """Windows measured to keep this one (more when others used the CPU: BENCH_RETRIES)."""
    load_tool: str = "wrk"


@dataclass
class GatewayResult:
    """One gateway in one mode over a scenario: its check, and the medians of its windows."""

    gateway: str
    dedup: str
    variant: str = ""
    answer: str = "not run"
    """``ok``, ``MISMATCH ...``, ``did not start ...``."""
    fetches_per_query: int | None = None
    rss_start_mb: float | None = None
    windows: list[Window] = field(default_factory=list)
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int | None = None
    """All windows' requests."""
    errors: int | None = None
    """All windows' errors."""
    cpu_ms_per_request: float | None = None
    rss_end_mb: float | None = None
    """After its last window."""
    subgraph_calls_per_request: float | None = None
    subgraph_cache_misses: int | None = None
    """All windows' subgraph requests answered without the subgraphs' cache."""
    gateway_cpu: float | None = None
    bench_cpu: float | None = None
    unattributed_cpu: float | None = None
    attempts: int = 0
    """The most windows measured for one kept (1: none measured again)."""
    load_tool: str | None = None


@dataclass
class SubgraphResult:
    name: str
    rps: float
    p99_ms: float
    errors: int
    response_bytes: int


@dataclass
class ScenarioResult:
    name: str
    title: str
    pending: str | None = None
    response_bytes: int | None = None
    subgraph_latency_ms: float = 0.0
    """How long every subgraph waits before it answers (0: at once)."""
    subgraphs: list[SubgraphResult] = field(default_factory=list)
    gateways: list[GatewayResult] = field(default_factory=list)


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def summarize(result: GatewayResult) -> None:
    """Set ``result``'s figures from its windows: medians, totals, the last memory."""
    windows = result.windows
    if not windows:
        return
    result.rps = _median([w.rps for w in windows])
    result.p50_ms = _median([w.p50_ms for w in windows])
    result.p99_ms = _median([w.p99_ms for w in windows])
    result.cpu_ms_per_request = _median([w.cpu_ms_per_request for w in windows])
    result.subgraph_calls_per_request = _median([w.subgraph_calls_per_request for w in windows])
    result.gateway_cpu = _median([w.gateway_cpu for w in windows])
    result.bench_cpu = _median([w.bench_cpu for w in windows])
    result.unattributed_cpu = _median([w.unattributed_cpu for w in windows])
    result.requests = sum(w.requests for w in windows)
    result.errors = sum(w.errors for w in windows)
    result.subgraph_cache_misses = sum(w.subgraph_cache_misses for w in windows)
    result.rss_end_mb = windows[-1].rss_end_mb
    result.attempts = max(w.attempts for w in windows)
    result.load_tool = windows[-1].load_tool
