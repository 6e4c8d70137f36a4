"""Prometheus metrics of the gateway, at ``GET /metrics`` (``server.metrics``).

- ``simpul_operation_cost_estimated``: demand control's estimate of each operation it
  computed (enforce and measure modes);
- ``simpul_operation_cost_actual``: the cost of answers, measured on a sample of them
  (``limits.actual_cost_sample``) and on every answer that reports its cost;
- ``simpul_operations_refused_total{code}``: requests refused before execution, by code
  (limits, demand control, persisted documents, authentication).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
COST_BUCKETS = (0, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000, 100_000, 1_000_000)


class Metrics:
    """One gateway's metrics, in a registry of its own (several engines per process in
    tests must not share counters)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.cost_estimated = Histogram(
            "simpul_operation_cost_estimated",
            "Estimated cost of operations (demand control).",
            buckets=COST_BUCKETS,
            registry=self.registry,
        )
        self.cost_actual = Histogram(
            "simpul_operation_cost_actual",
            "Actual cost of answers, on a sample of them.",
            buckets=COST_BUCKETS,
            registry=self.registry,
        )
        self.refused = Counter(
            "simpul_operations_refused",
            "Requests refused before execution, by error code.",
            ["code"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
