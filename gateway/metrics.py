"""Prometheus metrics of the gateway, at ``GET /metrics`` (``server.metrics``).

- ``simpul_operation_cost_estimated``: demand control's estimate of each operation it
  computed (enforce and measure modes);
- ``simpul_operation_cost_actual``: the cost of answers, measured on a sample of them
  (``limits.actual_cost_sample``) and on every answer that reports its cost;
- ``simpul_operations_refused_total{code}``: requests refused before execution, by code
  (limits, demand control, persisted documents, authentication);
- ``simpul_supergraph_reloads_total{outcome}``: new supergraphs taken (``applied``) or
  refused, the running one staying (``failed``);
- ``simpul_cache_total{subgraph,outcome}``: entities and root answers the cache gave
  (``hit``), looked up and asked the subgraph for (``miss``) or gave stale for a subgraph
  that failed (``stale``; ``[cache]``);
- ``simpul_subgraph_circuit_state{subgraph}``: each called subgraph's circuit breaker
  (0 closed, 1 half-open: a probe call, 2 open: its fields fail at once; ``[traffic]``);
- ``simpul_requests_total{operation,outcome}``: GraphQL requests the engine answered, by
  operation name and outcome (``success``: no errors, ``partial``: data with errors,
  ``failure``: no data, refusals included);
- ``simpul_request_duration_seconds{operation}``: how long the engine took to answer them;
- ``simpul_errors_total{code}``: the errors in those answers, by their ``extensions.code``;
- ``simpul_subgraph_request_duration_seconds{subgraph,outcome}``: each call to a subgraph
  (each retry its own), ``ok`` (answered), ``error`` (failed) or ``timeout``;
- ``simpul_admission_active`` and ``simpul_admission_waiting``: executions running and
  waiting to start under adaptive concurrency (``engine.adaptive_concurrency``).

The ``operation`` label is the name of the operation in the document the engine ran:
``anonymous`` for an unnamed one, ``unknown`` when the request was refused before its
operation was known. Names are taken as they come, up to ``MAX_OPERATION_NAMES``; later new
names count as ``other``, so that clients cannot grow the series without bound.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
COST_BUCKETS = (0, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000, 100_000, 1_000_000)
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
MAX_OPERATION_NAMES = 200
UNKNOWN_OPERATION = "unknown"
ANONYMOUS_OPERATION = "anonymous"
OTHER_OPERATION = "other"


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
        self.cache = Counter(
            "simpul_cache",
            "Subgraph answers (entities, root fetches) by cache outcome: hit, miss, stale.",
            ["subgraph", "outcome"],
            registry=self.registry,
        )
        for outcome in ("applied", "failed"):
            self.reloads.labels(outcome)  # both series exist, at 0, from the start
        self.requests = Counter(
            "simpul_requests",
            "GraphQL requests answered, by operation and outcome (success, partial, failure).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.request_duration = Histogram(
            "simpul_request_duration_seconds",
            "Seconds the engine took to answer a GraphQL request, by operation.",
            ["operation"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "simpul_errors",
            "Errors in the answers, by extensions.code.",
            ["code"],
            registry=self.registry,
        )
        self.subgraph_duration = Histogram(
            "simpul_subgraph_request_duration_seconds",
            "Seconds of each call to a subgraph, by subgraph and outcome (ok, error, timeout).",
            ["subgraph", "outcome"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self._operations: set[str] = set()
        self._operations_lock = threading.Lock()
        self._admission: Callable[[], tuple[int, int]] = lambda: (0, 0)
        self.registry.register(_Admission(lambda: self._admission()))

    def operation_label(self, name: str | None) -> str:
        """The ``operation`` label of an operation named ``name`` (see the module docstring)."""
        if name is None:
            return ANONYMOUS_OPERATION
        operations = self._operations
        if name in operations:
            return name
        with self._operations_lock:
            if len(operations) < MAX_OPERATION_NAMES:
                operations.add(name)
                return name
        return OTHER_OPERATION

    def answered(self, operation: str, body: Mapping[str, Any], seconds: float) -> None:
        """Count one answer of the engine: its outcome, duration and errors' codes."""
        errors: Sequence[Any] = body.get("errors") or ()
        if not errors:
            outcome = "success"
        else:
            outcome = "partial" if body.get("data") is not None else "failure"
            for error in errors:
                extensions = error.get("extensions") if isinstance(error, dict) else None
                code = extensions.get("code") if isinstance(extensions, dict) else None
                self.errors.labels(str(code or "UNKNOWN")).inc()
        self.requests.labels(operation, outcome).inc()
        self.request_duration.labels(operation).observe(seconds)

    def watch_admission(self, counts: Callable[[], tuple[int, int]]) -> None:
        """Report the executions running and waiting, read from ``counts`` at each scrape;
        the engine taking over after a new supergraph replaces its predecessor's."""
        self._admission = counts

    def count_cache(self, subgraph: str, outcome: str, count: int) -> None:
        """Count ``count`` cache outcomes (hit, miss, stale) for ``subgraph``."""
        self.cache.labels(subgraph=subgraph, outcome=outcome).inc(count)

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


class _Admission(Collector):
    """Adaptive concurrency's executions, running and waiting, as they are when scraped."""

    def __init__(self, counts: Callable[[], tuple[int, int]]) -> None:
        self.counts = counts

    def collect(self) -> Iterator[Metric]:
        active, waiting = self.counts()
        yield GaugeMetricFamily(
            "simpul_admission_active",
            "Executions running under adaptive concurrency.",
            value=active,
        )
        yield GaugeMetricFamily(
            "simpul_admission_waiting",
            "Executions waiting to start under adaptive concurrency.",
            value=waiting,
        )
