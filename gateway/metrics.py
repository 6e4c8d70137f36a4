"""Prometheus metrics of the gateway, at ``GET /metrics`` (``server.metrics``).

- ``simpul_operation_cost_estimated``: demand control's estimate of each operation it
  computed (enforce and measure modes);
- ``simpul_operation_cost_actual``: the cost of answers, measured on a sample of them
  (``limits.actual_cost_sample``) and on every answer that reports its cost;
- ``simpul_operations_refused_total{code}``: requests refused before execution, by code
  (limits, demand control, persisted documents, authentication);
- ``simpul_supergraph_reloads_total{outcome}``: new supergraphs taken (``applied``) or
  refused, the running one staying (``failed``);
- ``simpul_subgraph_circuit_state{subgraph}``: each called subgraph's circuit breaker
  (0 closed, 1 half-open: a probe call, 2 open: its fields fail at once; ``[traffic]``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

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
        self.reloads = Counter(
            "simpul_supergraph_reloads",
            "New supergraphs taken (applied) or refused, the running one staying (failed).",
            ["outcome"],
            registry=self.registry,
        )

    def watch_circuits(self, states: Callable[[], Mapping[str, int]]) -> None:
        """Report the circuit breakers' states, read from ``states`` at each scrape."""
        self.registry.register(_Circuits(states))

    def render(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)


class _Circuits(Collector):
    """The circuit breakers' states, as they are when scraped."""

    def __init__(self, states: Callable[[], Mapping[str, int]]) -> None:
        self.states = states

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            "simpul_subgraph_circuit_state",
            "Circuit breaker per subgraph: 0 closed, 1 half-open, 2 open.",
            labels=["subgraph"],
        )
        for subgraph, state in sorted(self.states().items()):
            family.add_metric([subgraph], int(state))
        yield family
