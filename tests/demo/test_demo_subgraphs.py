"""The demo subgraphs: checked-in SDLs match the code, the supergraph matches the ports,
and the gateway answers over them in process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.config import EngineSettings
from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from gateway.supergraph import load_supergraph_file
from gateway.transport import HttpxTransport
from subgraphs.demo import DEMO_SUBGRAPHS, DemoSubgraph, products, reviews
from subgraphs.demo.export import sdl

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "demo"


@pytest.mark.parametrize("subgraph", DEMO_SUBGRAPHS, ids=lambda s: s.name)
def test_checked_in_sdl_matches_the_code(subgraph: DemoSubgraph) -> None:
    expected = (SCHEMA / f"{subgraph.name}.graphql").read_text(encoding="utf-8")
    assert sdl(subgraph.module) == expected, "run: python -m subgraphs.demo.export --write"


def test_supergraph_routes_to_the_demo_ports() -> None:
    supergraph = load_supergraph_file(str(SCHEMA / "supergraph.graphql"))
    urls = {str(s.name): s.url for s in supergraph.subgraphs.values()}
    assert urls == {s.name: s.url for s in DEMO_SUBGRAPHS}
    assert [s.port for s in DEMO_SUBGRAPHS] == [4001, 4002]


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    transport = HttpxTransport.for_apps(
        {s.url: app for s, app in zip(DEMO_SUBGRAPHS, (products.app, reviews.app), strict=True)}
    )
    engine = Engine.from_file(str(SCHEMA / "supergraph.graphql"), transport, EngineSettings())
    try:
        yield engine
    finally:
        await engine.close()


async def test_products_with_their_reviews(engine: Engine) -> None:
    query = "{ topProducts(first: 2) { name price averageRating reviews { rating } } }"
    response = await engine.execute(GraphQLRequest(query), RequestContext())
    assert response.status == 200
    assert response.body == {
        "data": {
            "topProducts": [
                {
                    "name": "Lidah buaya segar",
                    "price": 15000,
                    "averageRating": 5.0,
                    "reviews": [{"rating": 5}],
                },
                {
                    "name": "Kopi Aming",
                    "price": 12000,
                    "averageRating": 4.5,
                    "reviews": [{"rating": 5}, {"rating": 4}],
                },
            ]
        }
    }


async def test_reviews_with_their_products(engine: Engine) -> None:
    query = "{ latestReviews(first: 2) { body product { upc name } } }"
    response = await engine.execute(GraphQLRequest(query), RequestContext())
    assert response.body == {
        "data": {
            "latestReviews": [
                {
                    "body": "Kulitnya tipis, isinya banyak.",
                    "product": {"upc": "3", "name": "Choi pan"},
                },
                {
                    "body": "Ramai, tapi layak ditunggu.",
                    "product": {"upc": "2", "name": "Kopi Aming"},
                },
            ]
        }
    }
