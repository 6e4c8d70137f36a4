"""Each subgraph's traffic policy, end to end through the engine: retries for queries only,
a circuit breaker that fails fast and closes by itself, a concurrency cap that fails fast,
a timeout and an address of the subgraph's own, and the request's deadline.

``products`` answers the root fields (and a mutation); ``reviews`` extends ``Product`` and
is the one made to misbehave.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import strawberry
import strawberry.federation

from gateway.bootstrap import traffic
from gateway.config import ConfigError, config_from_mapping
from gateway.traffic import BreakerState, Traffic, TrafficPolicy
from gateway.transport import ASGIApp
from tests.e2e.conftest import Federate
from tests.e2e.harness import Switch, answering, app_of, down, slow, supergraph_of


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> Product:
        return Product(upc=upc, name=f"Produk {upc}")


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return [Product(upc=strawberry.ID(u), name=f"Produk {u}") for u in ("1", "2")]


RESTOCKED: list[str] = []


@strawberry.type
class ProductsMutation:
    @strawberry.mutation
    def restock(self, upc: strawberry.ID) -> Product:
        RESTOCKED.append(upc)
        return Product(upc=upc, name=f"Produk {upc}")


products = strawberry.federation.Schema(
    query=ProductsQuery, mutation=ProductsMutation, federation_version="2.3"
)


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewedProduct:
    upc: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[str] | None:
        return [f"ulasan {self.upc}"]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> ReviewedProduct:
        return ReviewedProduct(upc=upc)


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def latest(self) -> list[str]:
        return ["ulasan terbaru"]


reviews = strawberry.federation.Schema(
    query=ReviewsQuery, types=[ReviewedProduct], federation_version="2.3"
)

SCHEMAS = {"products": products, "reviews": reviews}
SUPERGRAPH = supergraph_of("traffic", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}
QUERY = "{ products { upc name reviews } }"
WHOLE = {
    "products": [
        {"upc": "1", "name": "Produk 1", "reviews": ["ulasan 1"]},
        {"upc": "2", "name": "Produk 2", "reviews": ["ulasan 2"]},
    ]
}
UNAVAILABLE = answering(503, b"Service Unavailable", "text/plain")


class FirstFails:
    """Answers the first call with ``failure``, every later one with ``app``."""

    def __init__(self, failure: ASGIApp, app: ASGIApp) -> None:
        self.failure, self.app, self.calls = failure, app, 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.calls += 1
            if self.calls == 1:
                await self.failure(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Clock:
    """The traffic's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def codes(body: dict[str, Any]) -> list[str]:
    """The errors' codes, each once: a failed entity fetch has an error per product."""
    return sorted({error["extensions"]["code"] for error in body.get("errors", [])})


async def test_a_query_is_sent_again_after_a_503_and_a_mutation_never(
    federate: Federate,
) -> None:
    apps = {
        "products": FirstFails(UNAVAILABLE, app_of(products)),
        "reviews": FirstFails(UNAVAILABLE, app_of(reviews)),
    }
    traffic = Traffic(TrafficPolicy(retries=2, backoff=0.001, max_backoff=0.001))
    federation = federate(SUPERGRAPH, apps, traffic=traffic)
    body = await federation.run(QUERY)
    assert body == {"data": WHOLE}
    assert federation.counts() == {"products": 2, "reviews": 2}

    RESTOCKED.clear()
    apps["products"].calls = 0  # the next call fails again
    answer = await federation.run('mutation { restock(upc: "1") { name } }')
    assert answer["data"] is None and codes(answer) == ["SUBREQUEST_HTTP_ERROR"]
    assert federation.calls("products") == 3  # 2 for the query, 1 for the mutation
    assert RESTOCKED == []


async def test_the_circuit_opens_fails_fast_and_closes_after_a_probe(
    federate: Federate,
) -> None:
    clock = Clock()
    policy = TrafficPolicy(retries=0, breaker_failures=2, breaker_cooldown=10.0)
    traffic = Traffic(policy, clock=clock)
    reviews_app = Switch(down())
    federation = federate(
        SUPERGRAPH, {"products": app_of(products), "reviews": reviews_app}, traffic=traffic
    )
    for _ in range(2):
        body = await federation.run(QUERY)
        assert codes(body) == ["SUBREQUEST_HTTP_ERROR"]
    assert traffic.gate("reviews").state is BreakerState.OPEN
    assert federation.calls("reviews") == 2
    scraped = federation.engine.metrics.render().decode()
    assert 'simpul_subgraph_circuit_state{subgraph="reviews"} 2.0' in scraped
    assert 'simpul_subgraph_circuit_state{subgraph="products"} 0.0' in scraped

    # open: the reviews fail at once, without a call; the products are answered
    body = await federation.run(QUERY)
    assert codes(body) == ["SUBGRAPH_CIRCUIT_OPEN"]
    assert body["errors"][0]["extensions"]["service"] == "reviews"
    assert "is not called for now" in body["errors"][0]["message"]
    assert [p["name"] for p in body["data"]["products"]] == ["Produk 1", "Produk 2"]
    assert federation.calls("reviews") == 2

    # the OPD is back, but the circuit stays open until its cooldown has passed
    reviews_app.app = app_of(reviews)
    assert codes(await federation.run(QUERY)) == ["SUBGRAPH_CIRCUIT_OPEN"]
    clock.now += 10.0
    assert await federation.run(QUERY) == {"data": WHOLE}  # the probe, answered
    assert traffic.gate("reviews").state is BreakerState.CLOSED
    assert await federation.run(QUERY) == {"data": WHOLE}
    assert federation.calls("reviews") == 4


async def test_a_failed_probe_opens_the_circuit_again(federate: Federate) -> None:
    clock = Clock()
    traffic = Traffic(TrafficPolicy(retries=0, breaker_failures=1), clock=clock)
    federation = federate(
        SUPERGRAPH, {"products": app_of(products), "reviews": down()}, traffic=traffic
    )
    assert codes(await federation.run(QUERY)) == ["SUBREQUEST_HTTP_ERROR"]
    clock.now += 10.0
    assert codes(await federation.run(QUERY)) == ["SUBREQUEST_HTTP_ERROR"]  # the probe
    assert codes(await federation.run(QUERY)) == ["SUBGRAPH_CIRCUIT_OPEN"]
    assert federation.calls("reviews") == 2


async def test_a_capped_subgraph_fails_fast_beyond_its_cap(federate: Federate) -> None:
    traffic = Traffic(TrafficPolicy(), {"reviews": TrafficPolicy(max_concurrent=1)})
    federation = federate(
        SUPERGRAPH,
        {"products": app_of(products), "reviews": slow(app_of(reviews), 0.3)},
        traffic=traffic,
    )
    first, second = await asyncio.gather(federation.run(QUERY), federation.run(QUERY))
    assert sorted([codes(first), codes(second)]) == [[], ["SUBGRAPH_BUSY"]]
    assert federation.calls("reviews") == 1  # the second was never sent
    busy = first if codes(first) else second
    assert busy["errors"][0]["message"] == "subgraph 'reviews' had too many calls in flight"


async def test_a_subgraph_has_its_own_timeout_and_address(federate: Federate) -> None:
    traffic = Traffic(
        TrafficPolicy(timeout=5.0),
        {"reviews": TrafficPolicy(timeout=0.2, retries=0, url="http://reviews-v2/graphql")},
    )
    federation = federate(
        SUPERGRAPH,
        {"products": slow(app_of(products), 0.3), "reviews": slow(app_of(reviews), 1.0)},
        traffic=traffic,
        urls={"reviews": "http://reviews-v2/graphql"},
    )
    body = await federation.run(QUERY)
    # products took 0.3 s under the default 5 s; reviews, at its own address, had 0.2 s
    assert codes(body) == ["SUBREQUEST_TIMEOUT"]
    assert body["errors"][0]["extensions"]["service"] == "reviews"
    assert [p["name"] for p in body["data"]["products"]] == ["Produk 1", "Produk 2"]
    assert federation.calls("reviews") == 1


async def test_each_call_gets_what_is_left_of_the_request_s_deadline(
    federate: Federate,
) -> None:
    traffic = Traffic(TrafficPolicy(timeout=30.0, retries=0), request_timeout=0.5)
    federation = federate(
        SUPERGRAPH,
        {"products": slow(app_of(products), 0.3), "reviews": slow(app_of(reviews), 1.0)},
        traffic=traffic,
    )
    body = await federation.run(QUERY)
    assert codes(body) == ["SUBREQUEST_TIMEOUT"]
    sent = federation.apps["reviews"].headers[0]
    # the subgraph is told how long the gateway waits: what the products call left
    assert 0 < int(sent["simpul-deadline-ms"]) <= 200
    assert int(federation.apps["products"].headers[0]["simpul-deadline-ms"]) > 400


async def test_each_subgraph_s_calls_carry_the_headers_its_rules_give(
    federate: Federate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWS_API_KEY", "kunci-ulasan-0123456789")
    config = config_from_mapping(
        {
            "engine": {"forward_headers": ["x-client-version", "x-portal-session"]},
            "traffic": {
                "propagate_headers": ["x-opd"],
                "insert_headers": ["x-gateway=simpul"],
                "subgraphs": {
                    "reviews": {
                        "rename_headers": ["x-opd=x-kode-skpd"],
                        "insert_headers": ["x-api-key=env:REVIEWS_API_KEY"],
                        "remove_headers": ["x-client-version", "x-opd"],
                    }
                },
            },
        },
        {},
        {},
    )
    rules = traffic(SUPERGRAPH, config.engine, config.traffic)
    federation = federate(SUPERGRAPH, APPS, config=config.engine, traffic=rules)
    sent = {
        "x-client-version": "portal-2.4",
        "x-portal-session": "sesi-1",
        "x-opd": "1.02.0.00.0.00.01.0000",
        "cookie": "never=forwarded",
    }
    body = (await federation.execute(QUERY, headers=sent)).body
    assert body["data"] == WHOLE
    products_call = federation.apps["products"].headers[0]
    reviews_call = federation.apps["reviews"].headers[0]
    # every subgraph: the forwarded headers, [traffic]'s propagated and inserted ones
    assert products_call["x-client-version"] == "portal-2.4"
    assert products_call["x-opd"] == "1.02.0.00.0.00.01.0000"
    assert products_call["x-gateway"] == "simpul"
    # reviews: the OPD code under its own name, its key from the environment, no version
    assert reviews_call["x-kode-skpd"] == "1.02.0.00.0.00.01.0000"
    assert reviews_call["x-api-key"] == "kunci-ulasan-0123456789"
    assert reviews_call["x-gateway"] == "simpul"
    assert reviews_call["x-portal-session"] == "sesi-1"
    assert "x-client-version" not in reviews_call and "x-opd" not in reviews_call
    for call in (products_call, reviews_call):
        assert "cookie" not in call and "x-kode-skpd" not in products_call
        assert "simpul-deadline-ms" in call


def test_an_inserted_secret_comes_from_the_environment_or_the_gateway_does_not_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REVIEWS_API_KEY", raising=False)
    monkeypatch.delenv("REVIEWS_API_KEY_FILE", raising=False)
    config = config_from_mapping(
        {
            "traffic": {
                "subgraphs": {"reviews": {"insert_headers": ["x-api-key=env:REVIEWS_API_KEY"]}}
            }
        },
        {},
        {},
    )
    with pytest.raises(ConfigError, match="REVIEWS_API_KEY is not set"):
        traffic(SUPERGRAPH, config.engine, config.traffic)
