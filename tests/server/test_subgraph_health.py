"""Which OPD is down, on ``/ready``: each subgraph as the gateway's calls found it, the
gateway still ready while one is down, and the view (and the circuit) following a subgraph
back by itself, with no client asking."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import strawberry
import strawberry.federation

from gateway.bootstrap import build_engine
from gateway.compose import SubgraphSDL, compose
from gateway.config import config_from_mapping
from gateway.server import create_app
from gateway.transport import HttpxTransport
from tests.e2e.harness import Switch, app_of, down, served_sdl
from tests.support.recording import RecordingApp
from tests.support.serving import serving


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def products(self) -> list[str]:
        return ["Lidah buaya", "Kopi Aming"]


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def latest_reviews(self) -> list[str] | None:
        return ["Segar"]


SCHEMAS = {
    "products": strawberry.federation.Schema(ProductsQuery),
    "reviews": strawberry.federation.Schema(ReviewsQuery),
}
SUPERGRAPH = compose(
    [SubgraphSDL(name, f"http://{name}/graphql", served_sdl(s)) for name, s in SCHEMAS.items()]
)
QUERY = "{ products latestReviews }"
REVIEWS = app_of(SCHEMAS["reviews"])
"""The reviews subgraph answering; the test switches it down and back."""


@dataclass
class Running:
    url: str
    client: httpx.AsyncClient
    reviews: Switch
    recorded: RecordingApp

    async def ask(self) -> Any:
        return (await self.client.post(f"{self.url}/graphql", json={"query": QUERY})).json()

    async def ready(self) -> tuple[int, Any]:
        response = await self.client.get(f"{self.url}/ready")
        return response.status_code, response.json()

    async def until(self, check: Callable[[Any], bool]) -> Any:
        """``/ready``'s body once ``check`` holds for it (within 10 s)."""
        deadline = time.monotonic() + 10
        while True:
            status, body = await self.ready()
            assert status == 200, body
            if check(body):
                return body
            assert time.monotonic() < deadline, body
            await asyncio.sleep(0.05)


@pytest.fixture
async def running(tmp_path: Any) -> AsyncIterator[Running]:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(SUPERGRAPH)
    config = config_from_mapping(
        {
            "supergraph": str(supergraph),
            "access": {"call_signing": "none"},
            "traffic": {
                "retries": 0,
                "breaker_failures": 2,
                "breaker_cooldown": 0.3,
                "probe_interval": 0.1,
            },
        },
        {},
        {},
    )
    reviews = Switch(REVIEWS)
    recorded = RecordingApp(reviews)
    apps = {
        "http://products/graphql": app_of(SCHEMAS["products"]),
        "http://reviews/graphql": recorded,
    }
    engine = build_engine(config, HttpxTransport.for_apps(apps))
    async with serving(create_app(engine, config)) as url, httpx.AsyncClient(timeout=10) as client:
        yield Running(url, client, reviews, recorded)


async def test_ready_names_the_subgraph_that_is_down_and_follows_it_back(
    running: Running,
) -> None:
    status, body = await running.ready()
    assert status == 200 and body["status"] == "pass", body
    assert body["subgraphs"] == {
        "products": {"status": "unknown"},
        "reviews": {"status": "unknown"},
    }

    assert await running.ask() == {
        "data": {"products": ["Lidah buaya", "Kopi Aming"], "latestReviews": ["Segar"]}
    }
    status, body = await running.ready()
    assert body["status"] == "pass"
    for name in ("products", "reviews"):
        assert body["subgraphs"][name]["status"] == "up"
        assert body["subgraphs"][name]["circuit"] == "closed"
        assert body["subgraphs"][name]["lastAnswer"].endswith("Z")

    # reviews goes down: its field fails alone, and /ready says which OPD it is
    running.reviews.app = down()
    answer = await running.ask()
    assert answer["data"] == {"products": ["Lidah buaya", "Kopi Aming"], "latestReviews": None}
    status, body = await running.ready()
    assert status == 200, "a subgraph down does not take the gateway out of service"
    assert body["status"] == "warn" and body["output"] == "subgraphs down: reviews"
    reviews = body["subgraphs"]["reviews"]
    assert reviews["status"] == "down" and reviews["lastError"] == "SUBREQUEST_HTTP_ERROR"
    assert reviews["failuresInRow"] >= 1 and "lastFailure" in reviews
    assert body["subgraphs"]["products"]["status"] == "up"

    # the probes, through the breaker, keep failing: its circuit opens
    await running.until(lambda b: b["subgraphs"]["reviews"]["circuit"] == "open")

    # it comes back; no client asks, yet the view and the circuit follow it
    before = running.recorded.count
    running.reviews.app = REVIEWS
    body = await running.until(lambda b: b["subgraphs"]["reviews"]["status"] == "up")
    assert body["status"] == "pass" and "output" not in body
    assert body["subgraphs"]["reviews"]["circuit"] == "closed"
    assert body["subgraphs"]["reviews"]["failuresInRow"] == 0
    probes = running.recorded.requests[before:]
    assert probes and all(p == {"query": "{__typename}", "variables": {}} for p in probes)
    assert (await running.ask())["data"]["latestReviews"] == ["Segar"]


async def test_a_subgraph_that_answers_is_never_probed(running: Running) -> None:
    await running.ask()
    calls = running.recorded.count
    await asyncio.sleep(0.5)  # five probe intervals
    assert running.recorded.count == calls
