"""A failing subgraph nulls only what it owns; errors say where and why.

The reviews subgraph fails in turn by being down, slow, answering HTTP 500, answering a
body that is not JSON, answering GraphQL errors, and answering a null entity.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import strawberry
import strawberry.federation

from gateway.config import EngineSettings
from gateway.transport import ASGIApp
from tests.e2e.conftest import Federate
from tests.e2e.harness import answering, app_of, down, slow, supergraph_of

# products: the root of every query here


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> Product | None:
        return PRODUCTS.get(upc)


PRODUCTS = {
    p.upc: p
    for p in (
        Product(upc=strawberry.ID("1"), name="Lidah buaya"),
        Product(upc=strawberry.ID("2"), name="Kopi Aming"),
        Product(upc=strawberry.ID("3"), name="Choi pan"),
    )
}


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def products(self) -> list[Product | None]:
        """Every product; an item may be null."""
        return list(PRODUCTS.values())

    @strawberry.field
    def featured(self) -> list[Product]:
        """Products 2, 1 and 2 again."""
        return [PRODUCTS[strawberry.ID(upc)] for upc in ("2", "1", "2")]

    @strawberry.field
    def product(self, upc: strawberry.ID) -> Product | None:
        return PRODUCTS.get(upc)


products = strawberry.federation.Schema(query=ProductsQuery, federation_version="2.3")

# reviews: a non-null list and a nullable rating per product; product 3 is unknown here,
# and the rating of product 2 fails


@strawberry.type
class Review:
    body: str


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewedProduct:
    upc: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [Review(body=body) for body in REVIEWS[self.upc]]

    @strawberry.field
    def rating(self) -> float | None:
        if self.upc == "2":
            raise ValueError("rating store offline")
        return RATINGS[self.upc]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> ReviewedProduct | None:
        return ReviewedProduct(upc=upc) if upc in REVIEWS else None


REVIEWS = {strawberry.ID("1"): ["Segar"], strawberry.ID("2"): ["Pahit", "Harum"]}
RATINGS = {strawberry.ID("1"): 4.5}


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def latest_reviews(self) -> list[Review] | None:
        return [Review(body="Harum")]


reviews = strawberry.federation.Schema(
    query=ReviewsQuery, types=[ReviewedProduct], federation_version="2.3"
)

SCHEMAS = {"products": products, "reviews": reviews}
SUPERGRAPH = supergraph_of("failures", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}

GRAPHQL_JSON = "application/graphql-response+json"

FAILURES: list[tuple[str, ASGIApp, str]] = [
    ("down", down(), "SUBREQUEST_HTTP_ERROR"),
    ("http-500", answering(500, b"Internal Server Error", "text/plain"), "SUBREQUEST_HTTP_ERROR"),
    ("not-json", answering(200, b"<html>sibuk</html>", "text/html"), "SUBREQUEST_HTTP_ERROR"),
    (
        "json-but-not-graphql",
        answering(200, {"hello": "world"}, "application/json"),
        "INVALID_SUBGRAPH_RESPONSE",
    ),
    (
        "graphql-errors",
        answering(
            200, {"data": None, "errors": [{"message": "database offline"}]}, "application/json"
        ),
        "DOWNSTREAM_SERVICE_ERROR",
    ),
    (
        "graphql-errors-http-400",
        answering(400, {"errors": [{"message": "query rejected"}]}, GRAPHQL_JSON),
        "DOWNSTREAM_SERVICE_ERROR",
    ),
    (
        "graphql-errors-with-own-code",
        answering(
            200,
            {"data": None, "errors": [{"message": "no", "extensions": {"code": "FORBIDDEN"}}]},
            "application/json",
        ),
        "FORBIDDEN",
    ),
]
"""How the reviews subgraph fails, and the code the client's errors must carry."""

RETRIED = {"down"}
"""Failures to connect: a query is sent once more before it gives up (never a mutation)."""


def failures() -> list[Any]:
    """``FAILURES`` as test parameters, with the number of calls the subgraph receives."""
    return [
        pytest.param(app, code, 2 if name in RETRIED else 1, id=name)
        for name, app, code in FAILURES
    ]


def assert_errors(
    body: dict[str, Any], code: str, paths: list[list[str | int]], service: str = "reviews"
) -> None:
    """Every error has ``code``, names ``service`` and lies at or under one of ``paths``."""
    errors = body.get("errors")
    assert errors, body
    for error in errors:
        assert isinstance(error["message"], str) and error["message"], error
        assert error["extensions"]["code"] == code, error
        assert error["extensions"]["service"] == service, error
        assert "path" in error, error
        assert any(error["path"][: len(p)] == p for p in paths), error
        assert "http://" not in error["message"], error


@pytest.mark.parametrize(("app", "code", "calls"), failures())
async def test_failed_jump_nulls_only_its_nullable_fields(
    federate: Federate, app: ASGIApp, code: str, calls: int
) -> None:
    federation = federate(SUPERGRAPH, {**APPS, "reviews": app})
    body = await federation.run("{ products { name rating } }")
    assert body["data"] == {
        "products": [
            {"name": "Lidah buaya", "rating": None},
            {"name": "Kopi Aming", "rating": None},
            {"name": "Choi pan", "rating": None},
        ]
    }, federation.plan
    assert_errors(body, code, [["products", i] for i in range(3)])
    assert federation.counts() == {"products": 1, "reviews": calls}


@pytest.mark.parametrize(("app", "code", "calls"), failures())
async def test_failed_root_field_leaves_the_other_root_fields(
    federate: Federate, app: ASGIApp, code: str, calls: int
) -> None:
    federation = federate(SUPERGRAPH, {**APPS, "reviews": app})
    body = await federation.run("{ products { name } latestReviews { body } }")
    assert body["data"] == {
        "products": [{"name": "Lidah buaya"}, {"name": "Kopi Aming"}, {"name": "Choi pan"}],
        "latestReviews": None,
    }, federation.plan
    assert_errors(body, code, [["latestReviews"]])
    assert federation.counts() == {"products": 1, "reviews": calls}


async def test_slow_subgraph_times_out(federate: Federate) -> None:
    config = EngineSettings(expose_query_plan=True, subgraph_timeout=0.2)
    federation = federate(SUPERGRAPH, {**APPS, "reviews": slow(APPS["reviews"], 0.6)}, config)
    started = time.monotonic()
    body = await federation.run("{ products { name rating } }")
    elapsed = time.monotonic() - started
    assert body["data"] == {
        "products": [
            {"name": "Lidah buaya", "rating": None},
            {"name": "Kopi Aming", "rating": None},
            {"name": "Choi pan", "rating": None},
        ]
    }, federation.plan
    assert_errors(body, "SUBREQUEST_TIMEOUT", [["products", i] for i in range(3)])
    assert elapsed < 0.5


async def test_field_error_inside_an_entity_keeps_the_client_path(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ products { name rating } }")
    assert body == {
        "errors": [
            {
                "message": "rating store offline",
                "path": ["products", 1, "rating"],
                "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "service": "reviews"},
            }
        ],
        "data": {
            "products": [
                {"name": "Lidah buaya", "rating": 4.5},
                {"name": "Kopi Aming", "rating": None},
                {"name": "Choi pan", "rating": None},
            ]
        },
    }, federation.plan
    assert federation.counts() == {"products": 1, "reviews": 1}


async def test_error_paths_use_the_clients_aliases(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ all: products { name r: rating } }")
    assert body["data"] == {
        "all": [
            {"name": "Lidah buaya", "r": 4.5},
            {"name": "Kopi Aming", "r": None},
            {"name": "Choi pan", "r": None},
        ]
    }, federation.plan
    assert [e["path"] for e in body["errors"]] == [["all", 1, "r"]]


async def test_failed_root_fetch_error_uses_the_clients_alias(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, {**APPS, "reviews": down()})
    body = await federation.run("{ items: products { name } latest: latestReviews { body } }")
    assert body["data"] == {
        "items": [{"name": "Lidah buaya"}, {"name": "Kopi Aming"}, {"name": "Choi pan"}],
        "latest": None,
    }, federation.plan
    assert_errors(body, "SUBREQUEST_HTTP_ERROR", [["latest"]])


async def test_field_error_of_a_repeated_entity_is_reported_at_every_position(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ featured { name rating } }")
    assert body["data"] == {
        "featured": [
            {"name": "Kopi Aming", "rating": None},
            {"name": "Lidah buaya", "rating": 4.5},
            {"name": "Kopi Aming", "rating": None},
        ]
    }, federation.plan
    assert sorted(e["path"] for e in body["errors"]) == [
        ["featured", 0, "rating"],
        ["featured", 2, "rating"],
    ]


async def test_null_entity_leaves_its_nullable_fields_null_without_error(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run('{ product(upc: "3") { name rating } }')
    assert body == {"data": {"product": {"name": "Choi pan", "rating": None}}}, federation.plan
    assert federation.counts() == {"products": 1, "reviews": 1}


async def test_null_entity_nulls_the_nearest_nullable_parent_of_a_non_null_field(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ products { name reviews { body } } }")
    assert body["data"] == {
        "products": [
            {"name": "Lidah buaya", "reviews": [{"body": "Segar"}]},
            {"name": "Kopi Aming", "reviews": [{"body": "Pahit"}, {"body": "Harum"}]},
            None,
        ]
    }, federation.plan
    [error] = body["errors"]
    assert error["path"] == ["products", 2, "reviews"]
    assert error["extensions"]["code"] == "INVALID_SUBGRAPH_RESPONSE"
    # the error names the subgraph that does not know the product, and its key; the same
    # on the second run, when the document's shaping is compiled
    message = (
        "subgraph 'reviews' has no Product with upc \"3\": "
        "Cannot return null for non-nullable field Product.reviews."
    )
    assert error["message"] == message
    again = await federation.run("{ products { name reviews { body } } }")
    assert [e["message"] for e in again["errors"]] == [message]


async def test_non_null_field_of_a_down_subgraph_nulls_its_nullable_object(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, {**APPS, "reviews": down()})
    body = await federation.run('{ product(upc: "1") { name reviews { body } } }')
    assert body["data"] == {"product": None}, federation.plan
    assert_errors(body, "SUBREQUEST_HTTP_ERROR", [["product"]])


async def test_non_null_field_of_a_down_subgraph_nulls_each_nullable_list_item(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, {**APPS, "reviews": down()})
    body = await federation.run("{ products { name reviews { body } } }")
    assert body["data"] == {"products": [None, None, None]}, federation.plan
    assert_errors(body, "SUBREQUEST_HTTP_ERROR", [["products", i] for i in range(3)])


async def test_non_null_chain_to_the_root_nulls_data(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, {**APPS, "reviews": down()})
    body = await federation.run("{ featured { name reviews { body } } }")
    assert body["data"] is None, federation.plan
    assert_errors(body, "SUBREQUEST_HTTP_ERROR", [["featured", i] for i in range(3)])
    assert federation.counts() == {"products": 1, "reviews": 2}  # the query was retried once
