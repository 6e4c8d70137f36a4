"""The gateway's HTTP server in front of the engine: in process, then over real sockets."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping

import httpx

from gateway.config import EngineSettings, GatewayConfig
from gateway.engine import Engine
from gateway.server import create_app
from gateway.server.embedded import EmbeddedServer, bind_socket, serve_together
from gateway.supergraph import load_supergraph
from gateway.transport import ASGIApp
from gateway.transport.pooled import PooledTransport
from tests.e2e import test_failures, test_operations
from tests.e2e.conftest import Federate
from tests.e2e.harness import app_of, down, slow, supergraph_text_of, url_of
from tests.support.recording import RecordingApp

# The subgraphs of the operations and failures tests, served again here.
OPERATIONS_TEXT = supergraph_text_of("operations", test_operations.SCHEMAS)
FAILURES_TEXT = supergraph_text_of("failures", test_failures.SCHEMAS)

GRAPHQL_JSON = "application/graphql-response+json"
PLAN_OPT_IN = {"accept": GRAPHQL_JSON, "simpul-include-query-plan": "true"}


def gateway_config(subgraph_timeout: float = 5.0) -> GatewayConfig:
    return GatewayConfig(
        engine=EngineSettings(expose_query_plan=True, subgraph_timeout=subgraph_timeout)
    )


async def test_in_process_server_answers_with_data_plan_and_partial_failures(
    federate: Federate,
) -> None:
    federation = federate(
        load_supergraph(FAILURES_TEXT),
        {"products": app_of(test_failures.products), "reviews": down()},
    )
    app = create_app(federation.engine, gateway_config())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.post(
            "/graphql",
            json={"query": '{ product(upc: "1") { name } latestReviews { body } }'},
            headers=PLAN_OPT_IN,
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == f"{GRAPHQL_JSON}; charset=utf-8"
        body = response.json()
        plan = body.pop("extensions")["queryPlan"]
        assert 'Fetch(service: "reviews")' in plan
        assert body == {
            "errors": [
                {
                    "message": "subgraph 'reviews' could not be reached",
                    "path": ["latestReviews"],
                    "extensions": {"code": "SUBREQUEST_HTTP_ERROR", "service": "reviews"},
                }
            ],
            "data": {"product": {"name": "Lidah buaya"}, "latestReviews": None},
        }

        over_get = await client.get("/graphql", params={"query": '{ product(upc: "2") { name } }'})
        assert over_get.status_code == 200
        assert over_get.json() == {"data": {"product": {"name": "Kopi Aming"}}}

        invalid = await client.post(
            "/graphql", json={"query": "{ product { name } }"}, headers={"accept": GRAPHQL_JSON}
        )
        assert invalid.status_code == 400
        assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert federation.counts() == {"products": 2, "reviews": 2}  # a refused query is retried once


@contextlib.asynccontextmanager
async def serving(
    supergraph_text: str, apps: Mapping[str, ASGIApp], subgraph_timeout: float = 5.0
) -> AsyncIterator[tuple[str, dict[str, RecordingApp]]]:
    """Each subgraph and the gateway (pooled HTTP/1.1 transport) on its own 127.0.0.1 port.

    Yields the gateway's base URL and the recorded subgraph apps.
    """
    recorded = {name: RecordingApp(app) for name, app in apps.items()}
    servers = {
        name: EmbeddedServer(app, bind_socket("127.0.0.1", 0), lifespan="off")
        for name, app in recorded.items()
    }
    for name, server in servers.items():
        supergraph_text = supergraph_text.replace(
            url_of(name), f"http://127.0.0.1:{server.port}/graphql"
        )
    engine = Engine(
        load_supergraph(supergraph_text),
        PooledTransport(),
        EngineSettings(expose_query_plan=True, subgraph_timeout=subgraph_timeout),
    )
    gateway = EmbeddedServer(
        create_app(engine, gateway_config(subgraph_timeout)),
        bind_socket("127.0.0.1", 0),
        lifespan="on",
    )
    started = asyncio.Event()
    done = asyncio.create_task(serve_together([*servers.values(), gateway], started.set))
    await asyncio.wait_for(started.wait(), 10)
    try:
        yield f"http://127.0.0.1:{gateway.port}", recorded
    finally:
        gateway.should_exit = True
        assert await asyncio.wait_for(done, 10)


async def test_over_sockets_with_an_entity_jump() -> None:
    apps = {name: app_of(schema) for name, schema in test_operations.SCHEMAS.items()}
    async with (
        serving(OPERATIONS_TEXT, apps) as (url, recorded),
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        assert (await client.get("/ready")).status_code == 200
        response = await client.post(
            "/graphql",
            json={
                "query": "query ($n: Int!) { products(first: $n) { name reviews { stars } } }",
                "variables": {"n": 2},
            },
            headers=PLAN_OPT_IN,
        )
    assert response.status_code == 200
    body = response.json()
    assert "Flatten" in body.pop("extensions")["queryPlan"]
    assert body == {
        "data": {
            "products": [
                {"name": "Lidah buaya", "reviews": [{"stars": 5}, {"stars": 3}]},
                {"name": "Kopi Aming", "reviews": [{"stars": 2}, {"stars": 5}, {"stars": 4}]},
            ]
        }
    }
    assert {name: app.count for name, app in recorded.items()} == {"products": 1, "reviews": 1}


async def test_over_sockets_a_slow_subgraph_times_out() -> None:
    apps = {
        "products": app_of(test_failures.products),
        "reviews": slow(app_of(test_failures.reviews), 2.5),
    }
    # The timeout leaves the fast subgraph ample time on a loaded machine.
    async with (
        serving(FAILURES_TEXT, apps, subgraph_timeout=1.0) as (url, recorded),
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        response = await client.post("/graphql", json={"query": "{ products { name rating } }"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {
        "products": [
            {"name": "Lidah buaya", "rating": None},
            {"name": "Kopi Aming", "rating": None},
            {"name": "Choi pan", "rating": None},
        ]
    }
    assert [e["path"] for e in body["errors"]] == [["products", i, "rating"] for i in range(3)]
    for error in body["errors"]:
        assert error["extensions"] == {"code": "SUBREQUEST_TIMEOUT", "service": "reviews"}
    assert {name: app.count for name, app in recorded.items()} == {"products": 1, "reviews": 1}
