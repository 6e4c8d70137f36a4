"""The real thing over sockets: uvicorn on 127.0.0.1 (free ports), the demo subgraphs, the
engine with the pooled HTTP/1.1 transport."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from gateway.config import AccessSettings, EngineSettings, GatewayConfig, ServerSettings
from gateway.server import create_app
from gateway.server.embedded import EmbeddedServer, bind_socket, serve_together
from subgraphs.demo import DEMO_SUBGRAPHS, products, reviews

pytest.importorskip("gateway.engine", exc_type=ModuleNotFoundError)
from gateway.bootstrap import build_engine  # needs gateway.engine

SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "demo" / "supergraph.graphql"


@dataclass(frozen=True)
class Running:
    url: str
    gateway: EmbeddedServer
    done: asyncio.Task[bool]


def _refused_url() -> str:
    # A port that was just free and has no listener.
    with bind_socket("127.0.0.1", 0) as probe:
        return f"http://127.0.0.1:{probe.getsockname()[1]}/graphql"


@pytest.fixture
async def running(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Running]:
    """The demo over sockets; with ``@pytest.mark.parametrize("running", ["reviews down"],
    indirect=True)`` the reviews subgraph is not started."""
    reviews_down = getattr(request, "param", None) == "reviews down"
    apps = (products.app,) if reviews_down else (products.app, reviews.app)
    subgraph_servers = [
        EmbeddedServer(app, bind_socket("127.0.0.1", 0), lifespan="off") for app in apps
    ]
    # The checked-in supergraph routes to the demo's fixed ports; point it at the free ones.
    urls = [f"http://127.0.0.1:{server.port}/graphql" for server in subgraph_servers]
    if reviews_down:
        urls.append(_refused_url())
    sdl = SUPERGRAPH.read_text(encoding="utf-8")
    for subgraph, url in zip(DEMO_SUBGRAPHS, urls, strict=True):
        sdl = sdl.replace(subgraph.url, url)
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(sdl, encoding="utf-8")
    config = GatewayConfig(
        supergraph=str(supergraph),
        server=ServerSettings(max_request_bytes=4096),
        engine=EngineSettings(expose_query_plan=True, subgraph_timeout=5),
        # the demo's subgraphs are plain strawberry apps that check no signature
        access=AccessSettings(call_signing="none"),
    )
    gateway = EmbeddedServer(
        create_app(build_engine(config), config), bind_socket("127.0.0.1", 0), lifespan="on"
    )
    started = asyncio.Event()
    done = asyncio.create_task(serve_together([*subgraph_servers, gateway], started.set))
    await asyncio.wait_for(started.wait(), 10)
    try:
        yield Running(f"http://127.0.0.1:{gateway.port}", gateway, done)
    finally:
        gateway.should_exit = True
        assert await asyncio.wait_for(done, 10)


async def test_gateway_over_sockets(running: Running) -> None:
    async with httpx.AsyncClient(base_url=running.url, timeout=10) as client:
        assert (await client.get("/health")).json() == {"status": "pass"}
        assert (await client.get("/ready")).status_code == 200

        response = await client.post(
            "/graphql",
            json={"query": "{ topProducts(first: 1) { name reviews { body } } }"},
            headers={
                "accept": "application/graphql-response+json",
                "simpul-include-query-plan": "true",
                "x-request-id": "socket-test",
            },
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == (
            "application/graphql-response+json; charset=utf-8"
        )
        assert response.headers["x-request-id"] == "socket-test"
        body = response.json()
        assert body["data"] == {
            "topProducts": [
                {"name": "Lidah buaya segar", "reviews": [{"body": "Segar, manisnya pas."}]}
            ]
        }
        assert 'Fetch(service: "reviews")' in body["extensions"]["queryPlan"]

        over_get = await client.get(
            "/graphql", params={"query": "{ latestReviews(first: 1) { product { name } } }"}
        )
        assert over_get.json() == {"data": {"latestReviews": [{"product": {"name": "Choi pan"}}]}}

        invalid = await client.post(
            "/graphql", json={"query": "{ nope }"}, headers={"accept": "application/json"}
        )
        assert invalid.status_code == 200
        assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

        malformed = await client.post(
            "/graphql", content=b"{", headers={"content-type": "application/json"}
        )
        assert malformed.status_code == 400
        assert malformed.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"

        too_large = await client.post(
            "/graphql", json={"query": "{ topProducts { name } }" + " " * 5000}
        )
        assert too_large.status_code == 413


@pytest.mark.parametrize("running", ["reviews down"], indirect=True)
async def test_a_subgraph_down_nulls_only_its_fields(running: Running) -> None:
    async with httpx.AsyncClient(base_url=running.url, timeout=10) as client:
        response = await client.post(
            "/graphql", json={"query": '{ product(upc: "2") { name averageRating } }'}
        )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"product": {"name": "Kopi Aming", "averageRating": None}}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
    assert error["path"][0] == "product"
