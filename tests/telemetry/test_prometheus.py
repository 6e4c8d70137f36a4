"""A real Prometheus (Debian's ``prometheus``, which ``scripts/services.sh`` installs)
scrapes a gateway's ``/metrics`` every second; its query API must then hold the series an
operator's dashboards read: requests and their durations per operation, errors by code,
subgraph calls' durations, circuit breakers, supergraph reloads and admission."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest

from gateway.config import EngineSettings, GatewayConfig
from gateway.engine import Engine
from gateway.server import create_app
from tests.support.fake_transport import FakeTransport
from tests.test_operation import PEOPLE, SUPERGRAPH, answer
from tests.toolkit.legacy import serve

EXPECTED = {
    'simpul_requests_total{operation="People",outcome="success"}': 3,
    'simpul_requests_total{operation="unknown",outcome="failure"}': 1,
    'simpul_request_duration_seconds_count{operation="People"}': 3,
    'simpul_errors_total{code="GRAPHQL_PARSE_FAILED"}': 1,
    'simpul_subgraph_request_duration_seconds_count{subgraph="people",outcome="ok"}': 3,
    'simpul_subgraph_circuit_state{subgraph="people"}': 0,
    'simpul_supergraph_reloads_total{outcome="applied"}': 0,
    "simpul_admission_waiting": 0,
}
"""Each series, as a PromQL selector, and the value it must reach."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def gateway() -> AsyncIterator[str]:
    engine = Engine(
        SUPERGRAPH,
        FakeTransport({PEOPLE: answer}),
        EngineSettings(adaptive_concurrency=True),
    )
    async with serve(create_app(engine, GatewayConfig())) as url:
        yield url


@pytest.fixture
def prometheus_for(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Starts Prometheus scraping a target (``host:port``); its URL. Stopped after."""
    binary = shutil.which("prometheus")
    assert binary is not None, (
        "Debian's prometheus is not installed: run scripts/services.sh (as root) or "
        "apt-get install -y prometheus"
    )
    processes: list[subprocess.Popen[bytes]] = []

    def start(target: str) -> str:
        config = tmp_path / "prometheus.yml"
        config.write_text(
            "global:\n"
            "  scrape_interval: 1s\n"
            "scrape_configs:\n"
            "  - job_name: simpul\n"
            "    metrics_path: /metrics\n"
            f"    static_configs: [{{targets: ['{target}']}}]\n",
            encoding="utf-8",
        )
        port = free_port()
        with (tmp_path / "prometheus.log").open("wb") as log:  # the child keeps its own
            processes.append(
                subprocess.Popen(
                    [
                        binary,
                        f"--config.file={config}",
                        f"--storage.tsdb.path={tmp_path / 'data'}",
                        f"--web.listen-address=127.0.0.1:{port}",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def test_prometheus_scrapes_the_expected_series(
    gateway: str, prometheus_for: Callable[[str], str]
) -> None:
    prometheus = prometheus_for(gateway.removeprefix("http://"))
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(3):
            ok = await client.post(
                f"{gateway}/graphql", json={"query": "query People { people { name } }"}
            )
            assert ok.status_code == 200 and "errors" not in ok.json(), ok.text
        await client.post(f"{gateway}/graphql", json={"query": "{ people {"})

        missing = dict(EXPECTED)
        deadline = time.monotonic() + 60
        while missing and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            for selector, value in list(missing.items()):
                try:
                    found = await client.get(
                        f"{prometheus}/api/v1/query", params={"query": selector}
                    )
                except httpx.TransportError:
                    break  # Prometheus is still starting
                results = found.json()["data"]["result"]
                if results and float(results[0]["value"][1]) == value:
                    del missing[selector]
        assert not missing, f"Prometheus has not got {sorted(missing)}"
        targets = (await client.get(f"{prometheus}/api/v1/targets")).json()
        (target,) = targets["data"]["activeTargets"]
        assert target["health"] == "up", target
