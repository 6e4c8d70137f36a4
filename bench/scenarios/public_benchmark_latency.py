"""The public gateway benchmark's scenario with subgraphs as slow as real services: every
subgraph answers 20 ms after each request (``BENCH_SUBGRAPH_LATENCY_MS``), on a timer of its
event loop, which serves the other requests meanwhile.

Throughput is then bound by waiting rather than by the gateway's CPU, and what differs
between gateways is the latency a client sees at 50 connections: how many round-trips a
plan needs one after the other, and what each gateway adds to them. De-duplication is off
for every gateway, so that each sends every call of its plan.
"""

from __future__ import annotations

from dataclasses import replace

from bench.scenarios.public_benchmark import SCENARIO as PUBLIC_BENCHMARK

SCENARIO = replace(
    PUBLIC_BENCHMARK,
    name="public_benchmark_latency",
    title="The public gateway benchmark's scenario, subgraphs answering after a delay",
    subgraph_latency_ms=20.0,
    dedup_modes=("off",),
)
