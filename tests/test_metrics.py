"""``GET /metrics``: demand control's costs, refusals by code, requests, errors and subgraph
calls per operation, in Prometheus' text format."""

from __future__ import annotations

import httpx

from gateway.config import EngineSettings, GatewayConfig, LimitSettings, ServerSettings
from gateway.engine import Engine
from gateway.metrics import MAX_OPERATION_NAMES, Metrics
from gateway.server import create_app
from tests.support.fake_transport import FakeTransport
from tests.test_operation import PEOPLE, SUPERGRAPH, answer


async def test_costs_and_refusals_are_counted() -> None:
    engine = Engine(
        SUPERGRAPH,
        FakeTransport({PEOPLE: answer}),
        EngineSettings(),
        limits=LimitSettings(actual_cost_sample=1.0, max_aliases=2),
    )
    app = create_app(engine, GatewayConfig())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://g"
    ) as client:
        for _ in range(3):
            await client.post("/graphql", json={"query": "{ people { name } }"})
        await client.post(
            "/graphql",
            json={"query": "{ a: people { name } b: people { name } c: people { name } }"},
        )
        scraped = await client.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    assert "simpul_operation_cost_estimated_count 3.0" in text
    assert "simpul_operation_cost_estimated_sum 30.0" in text  # 10 people each, at 1
    assert "simpul_operation_cost_actual_count 3.0" in text
    assert "simpul_operation_cost_actual_sum 0.0" in text  # the people list came back empty
    assert 'simpul_operations_refused_total{code="MAX_ALIASES_LIMIT"} 1.0' in text


async def test_metrics_can_be_turned_off() -> None:
    engine = Engine(SUPERGRAPH, FakeTransport({PEOPLE: answer}), EngineSettings())
    app = create_app(engine, GatewayConfig(server=ServerSettings(metrics=False)))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://g"
    ) as client:
        assert (await client.get("/metrics")).status_code == 404


async def test_requests_errors_and_subgraph_calls_are_counted_per_operation() -> None:
    engine = Engine(SUPERGRAPH, FakeTransport({PEOPLE: answer}), EngineSettings())
    app = create_app(engine, GatewayConfig())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://g"
    ) as client:
        for _ in range(2):
            await client.post("/graphql", json={"query": "query People { people { name } }"})
        await client.post("/graphql", json={"query": "{ people { name } }"})
        await client.post("/graphql", json={"query": "{ nobody }"})
        text = (await client.get("/metrics")).text
    assert 'simpul_requests_total{operation="People",outcome="success"} 2.0' in text
    assert 'simpul_requests_total{operation="anonymous",outcome="success"} 1.0' in text
    assert 'simpul_requests_total{operation="unknown",outcome="failure"} 1.0' in text
    assert 'simpul_request_duration_seconds_count{operation="People"} 2.0' in text
    assert 'simpul_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1.0' in text
    calls = 'simpul_subgraph_request_duration_seconds_count{outcome="ok",subgraph="people"}'
    assert f"{calls} 3.0" in text
    assert 'simpul_supergraph_reloads_total{outcome="failed"} 0.0' in text
    assert "simpul_admission_waiting 0.0" in text


def test_operation_names_are_capped() -> None:
    metrics = Metrics()
    names = [metrics.operation_label(f"Op{n}") for n in range(MAX_OPERATION_NAMES + 5)]
    assert names[:MAX_OPERATION_NAMES] == [f"Op{n}" for n in range(MAX_OPERATION_NAMES)]
    assert set(names[MAX_OPERATION_NAMES:]) == {"other"}
    assert metrics.operation_label("Op0") == "Op0"
    assert metrics.operation_label(None) == "anonymous"
