"""Entity fetches to one subgraph that become ready together go as one call, whatever the
paths their entities sit at; the answer is split back to each path, errors included.

Reviews are asked for the members' and the top products' at once; then the products of
those reviews, reached by two paths, in one call to products.
"""

from __future__ import annotations

from typing import Any

import strawberry
import strawberry.federation

from gateway.cache import MemoryCacheStore, SubgraphCache
from gateway.config import EngineSettings
from tests.e2e.conftest import Federate
from tests.e2e.harness import app_of, down, supergraph_of, with_cache_control
from tests.e2e.test_cache import FOR_A_MINUTE, Clock

# accounts: the members


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User | None:
        return USERS.get(id)


USERS = {
    u.id: u
    for u in (User(id=strawberry.ID("u1"), name="Ani"), User(id=strawberry.ID("u2"), name="Budi"))
}


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def users(self, first: int = 10) -> list[User]:
        return list(USERS.values())[:first]


accounts = strawberry.federation.Schema(query=AccountsQuery, federation_version="2.3")

# products: the goods; the stock system behind product 3's name is offline


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: strawberry.ID

    @strawberry.field
    def name(self) -> str | None:
        if self.upc == "3":
            raise ValueError("stock system offline")
        return NAMES[self.upc]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> Product | None:
        return Product(upc=upc) if upc in NAMES else None


NAMES = {
    strawberry.ID("1"): "Lidah buaya",
    strawberry.ID("2"): "Kopi Aming",
    strawberry.ID("3"): "Choi pan",
}


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def top_products(self) -> list[Product]:
        return [Product(upc=strawberry.ID(upc)) for upc in ("2", "3")]


products = strawberry.federation.Schema(query=ProductsQuery, federation_version="2.3")

# reviews: who wrote what about which product


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewedProduct:
    upc: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review] | None:
        return [r for r in REVIEWS if r.product.upc == self.upc]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> ReviewedProduct:
        return ReviewedProduct(upc=upc)


@strawberry.federation.type(keys=["id"], name="User")
class Reviewer:
    id: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review] | None:
        return [r for r in REVIEWS if r.author == self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Reviewer:
        return Reviewer(id=id)


@strawberry.type
class Review:
    body: str
    author: strawberry.Private[str]
    product: ReviewedProduct


REVIEWS = [
    Review(body="Segar", author="u1", product=ReviewedProduct(upc=strawberry.ID("1"))),
    Review(body="Pedas", author="u1", product=ReviewedProduct(upc=strawberry.ID("3"))),
    Review(body="Harum", author="u2", product=ReviewedProduct(upc=strawberry.ID("2"))),
]


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def review_count(self) -> int:
        return len(REVIEWS)


reviews = strawberry.federation.Schema(
    query=ReviewsQuery, types=[ReviewedProduct, Reviewer], federation_version="2.3"
)

SCHEMAS = {"accounts": accounts, "products": products, "reviews": reviews}
SUPERGRAPH = supergraph_of("batching", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}

QUERY = """
query Pasar($first: Int) {
  users(first: $first) { name reviews { body product { name } } }
  topProducts { upc reviews { body product { name } } }
}
"""

ANSWER = {
    "users": [
        {
            "name": "Ani",
            "reviews": [
                {"body": "Segar", "product": {"name": "Lidah buaya"}},
                {"body": "Pedas", "product": {"name": None}},
            ],
        },
        {"name": "Budi", "reviews": [{"body": "Harum", "product": {"name": "Kopi Aming"}}]},
    ],
    "topProducts": [
        {"upc": "2", "reviews": [{"body": "Harum", "product": {"name": "Kopi Aming"}}]},
        {"upc": "3", "reviews": [{"body": "Pedas", "product": {"name": None}}]},
    ],
}

PRODUCT_3 = [
    ["users", 0, "reviews", 1, "product", "name"],
    ["topProducts", 1, "reviews", 0, "product", "name"],
]
"""Where product 3's name, which its subgraph fails to give, sits in the answer."""


def aliased(body: dict[str, Any]) -> list[str]:
    """The aliases of the ``_entities`` fields a subgraph request carries."""
    query = body["query"]
    return [
        part.split(":")[0] for part in query.split("{", 1)[1].split(" ") if ":_entities" in part
    ]


async def test_one_call_per_subgraph_and_stage_each_path_answered_with_its_own_errors(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(QUERY)
    assert body["data"] == ANSWER, federation.plan
    # reviews once for both paths, products once for the top products and once for the
    # products of every review, by whichever path it was reached
    assert federation.counts() == {"accounts": 1, "products": 2, "reviews": 1}
    [call] = federation.requests("reviews")
    assert aliased(call) == ["_0", "_1"]
    assert {r["__typename"] for r in call["variables"]["representations_0"]} == {"User"}
    assert {r["__typename"] for r in call["variables"]["representations_1"]} == {"Product"}
    # the products of every review, by whichever path: one alias, each product sent once
    [_, reviewed] = federation.requests("products")
    assert aliased(reviewed) == ["_0"]
    assert [r["upc"] for r in reviewed["variables"]["representations_0"]] == ["1", "3", "2"]
    # the subgraph's error for product 3 lands at each place product 3 sits, and only there
    errors = body["errors"]
    assert sorted(e["path"] for e in errors) == sorted(PRODUCT_3), errors
    for error in errors:
        assert error["message"] == "stock system offline"
        assert error["extensions"]["service"] == "products"


async def test_a_part_with_nothing_to_ask_leaves_the_call_as_it_would_be_alone(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(QUERY, first=0)
    assert body["data"] == {"users": [], "topProducts": ANSWER["topProducts"]}
    [call] = federation.requests("reviews")
    assert "_entities(representations:$representations)" in call["query"]
    assert set(call["variables"]) == {"representations"}


async def test_a_batch_s_subgraph_down_fails_every_path_it_answers(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, {**APPS, "reviews": down()})
    body = await federation.run(QUERY)
    assert body["data"] == {
        "users": [{"name": "Ani", "reviews": None}, {"name": "Budi", "reviews": None}],
        "topProducts": [{"upc": "2", "reviews": None}, {"upc": "3", "reviews": None}],
    }, federation.plan
    assert sorted(e["path"] for e in body["errors"]) == [
        ["topProducts", 0, "reviews"],
        ["topProducts", 1, "reviews"],
        ["users", 0, "reviews"],
        ["users", 1, "reviews"],
    ]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"SUBREQUEST_HTTP_ERROR"}
    # sent once, and once again as a query whose connection failed: never once per path
    assert federation.calls("reviews") == 2


async def test_parts_fresh_in_the_cache_are_left_out_of_the_call(federate: Federate) -> None:
    cache = SubgraphCache(MemoryCacheStore(1 << 20), clock=Clock())
    apps = {**APPS, "reviews": with_cache_control(APPS["reviews"], FOR_A_MINUTE)}
    federation = federate(SUPERGRAPH, apps, cache=cache)
    # no members asked: only the top products' reviews are asked for, and kept
    await federation.run(QUERY, first=0)
    assert federation.calls("reviews") == 1
    # now the members' reviews go alone, unaliased: the top products' are fresh
    body = await federation.run(QUERY)
    assert body["data"] == ANSWER
    assert federation.calls("reviews") == 2
    last = federation.requests("reviews")[-1]
    assert "_entities(representations:$representations)" in last["query"]
    assert {r["__typename"] for r in last["variables"]["representations"]} == {"User"}
    # both fresh: the batch sends nothing
    assert (await federation.run(QUERY))["data"] == ANSWER
    assert federation.calls("reviews") == 2


async def test_a_part_whose_condition_is_not_met_is_left_out_of_the_call(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    query = """
    query ($top: Boolean!) {
      users { name reviews { body } }
      topProducts { upc ... @include(if: $top) { reviews { body } } }
    }
    """
    body = await federation.run(query, top=False)
    assert "Include(if: $top)" in federation.plan and "Batch(" in federation.plan
    assert body["data"]["topProducts"] == [{"upc": "2"}, {"upc": "3"}]
    [alone] = federation.requests("reviews")
    assert set(alone["variables"]) == {"representations"}
    body = await federation.run(query, top=True)
    assert body["data"]["topProducts"] == [
        {"upc": "2", "reviews": [{"body": "Harum"}]},
        {"upc": "3", "reviews": [{"body": "Pedas"}]},
    ]
    [_, both] = federation.requests("reviews")
    assert aliased(both) == ["_0", "_1"]


async def test_with_batching_off_each_fetch_goes_as_soon_as_its_inputs_are_there(
    federate: Federate,
) -> None:
    settings = EngineSettings(expose_query_plan=True, batch_entity_fetches=False)
    federation = federate(SUPERGRAPH, APPS, config=settings)
    body = await federation.run(QUERY)
    assert body["data"] == ANSWER
    assert "Batch(" not in federation.plan
    # one call per path: reviews for the members and for the top products, products for
    # the products of each path's reviews
    assert federation.counts() == {"accounts": 1, "products": 3, "reviews": 2}
