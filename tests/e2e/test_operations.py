"""What clients write: aliases, variables and their defaults, @skip/@include, fragments."""

from __future__ import annotations

import strawberry
import strawberry.federation

from tests.e2e.conftest import Federate
from tests.e2e.harness import app_of, supergraph_of

# products: owns Product


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: strawberry.ID
    name: str
    rupiah: strawberry.Private[int]

    @strawberry.field
    def price(self, currency: str = "IDR") -> float:
        return self.rupiah / RATES[currency]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> Product | None:
        return next((p for p in PRODUCTS if p.upc == upc), None)


RATES = {"IDR": 1, "SGD": 12500}
PRODUCTS = [
    Product(upc=strawberry.ID("1"), name="Lidah buaya", rupiah=15000),
    Product(upc=strawberry.ID("2"), name="Kopi Aming", rupiah=12500),
    Product(upc=strawberry.ID("3"), name="Choi pan", rupiah=20000),
]


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def product(self, upc: strawberry.ID) -> Product | None:
        return Product.resolve_reference(upc)

    @strawberry.field
    def products(self, first: int = 2) -> list[Product]:
        return PRODUCTS[:first]


products = strawberry.federation.Schema(query=ProductsQuery, federation_version="2.3")

# reviews: the reviews of each product, newest first


@strawberry.type
class Review:
    body: str
    stars: int


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewedProduct:
    upc: strawberry.ID

    @strawberry.field
    def reviews(self, first: int = 10) -> list[Review]:
        return REVIEWS.get(self.upc, [])[:first]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> ReviewedProduct:
        return ReviewedProduct(upc=upc)


REVIEWS = {
    strawberry.ID("1"): [Review(body="Segar", stars=5), Review(body="Agak mahal", stars=3)],
    strawberry.ID("2"): [
        Review(body="Pahit", stars=2),
        Review(body="Mantap", stars=5),
        Review(body="Harum", stars=4),
    ],
}


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def review_count(self) -> int:
        return sum(len(r) for r in REVIEWS.values())


reviews = strawberry.federation.Schema(
    query=ReviewsQuery, types=[ReviewedProduct], federation_version="2.3"
)

SCHEMAS = {"products": products, "reviews": reviews}
SUPERGRAPH = supergraph_of("operations", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}


async def test_aliases_at_the_root_and_on_entity_fields(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        """
        {
          a: product(upc: "1") { title: name idr: price sgd: price(currency: "SGD") }
          b: product(upc: "2") {
            name
            newest: reviews(first: 1) { body }
            all: reviews { stars }
          }
        }
        """
    )
    assert body == {
        "data": {
            "a": {"title": "Lidah buaya", "idr": 15000.0, "sgd": 1.2},
            "b": {
                "name": "Kopi Aming",
                "newest": [{"body": "Pahit"}],
                "all": [{"stars": 2}, {"stars": 5}, {"stars": 4}],
            },
        }
    }, federation.plan
    assert federation.counts() == {"products": 1, "reviews": 1}


async def test_same_response_key_selected_twice_is_merged(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        '{ product(upc: "1") { name } product(upc: "1") { reviews { stars } } }'
    )
    assert body == {
        "data": {"product": {"name": "Lidah buaya", "reviews": [{"stars": 5}, {"stars": 3}]}}
    }, federation.plan
    assert federation.counts() == {"products": 1, "reviews": 1}


VARIABLE_DEFAULTS = """
query Product($upc: ID! = "2", $first: Int = 1) {
  product(upc: $upc) { name reviews(first: $first) { body } }
}
"""


async def test_variable_defaults_apply_when_no_value_is_given(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(VARIABLE_DEFAULTS)
    assert body == {"data": {"product": {"name": "Kopi Aming", "reviews": [{"body": "Pahit"}]}}}, (
        federation.plan
    )
    assert federation.counts() == {"products": 1, "reviews": 1}


async def test_given_variables_replace_the_defaults(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(VARIABLE_DEFAULTS, upc="1", first=5)
    assert body == {
        "data": {
            "product": {
                "name": "Lidah buaya",
                "reviews": [{"body": "Segar"}, {"body": "Agak mahal"}],
            }
        }
    }, federation.plan
    assert federation.counts() == {"products": 1, "reviews": 1}


async def test_null_for_a_non_null_variable_is_refused_before_any_call(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    response = await federation.execute(
        "query ($first: Int!) { products(first: $first) { name } }", {"first": None}
    )
    assert response.status == 400, response.body
    assert "data" not in response.body
    [error] = response.body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert federation.counts() == {"products": 0, "reviews": 0}


SKIPPABLE = """
query ($skipReviews: Boolean!, $withCount: Boolean! = false) {
  products { name reviews @skip(if: $skipReviews) { stars } }
  reviewCount @include(if: $withCount)
}
"""


async def test_skipped_jump_makes_no_call(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        "query ($skip: Boolean!) { products { name reviews @skip(if: $skip) { stars } } }",
        skip=True,
    )
    assert body == {"data": {"products": [{"name": "Lidah buaya"}, {"name": "Kopi Aming"}]}}, (
        federation.plan
    )
    assert federation.counts() == {"products": 1, "reviews": 0}


async def test_root_field_excluded_by_a_variable_default_makes_no_call(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(SKIPPABLE, skipReviews=True)
    assert body == {"data": {"products": [{"name": "Lidah buaya"}, {"name": "Kopi Aming"}]}}, (
        federation.plan
    )
    assert federation.counts() == {"products": 1, "reviews": 0}


async def test_included_jump_and_included_root_field(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(SKIPPABLE, skipReviews=False, withCount=True)
    assert body == {
        "data": {
            "products": [
                {"name": "Lidah buaya", "reviews": [{"stars": 5}, {"stars": 3}]},
                {"name": "Kopi Aming", "reviews": [{"stars": 2}, {"stars": 5}, {"stars": 4}]},
            ],
            "reviewCount": 5,
        }
    }, federation.plan
    assert federation.counts() == {"products": 1, "reviews": 2}


async def test_literal_conditions_and_conditions_on_fragments(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        """
        query ($details: Boolean!) {
          product(upc: "2") {
            name @skip(if: true)
            upc @include(if: true)
            ... @include(if: $details) { reviews(first: 2) { body } }
            ...Price @skip(if: $details)
          }
        }
        fragment Price on Product { price }
        """,
        details=False,
    )
    assert body == {"data": {"product": {"upc": "2", "price": 12500.0}}}, federation.plan
    assert federation.counts() == {"products": 1, "reviews": 0}


async def test_named_fragments_nested_and_reused(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        """
        query {
          first: product(upc: "1") { ...Card }
          all: products(first: 3) { ...Card ... on Product { upc } }
        }
        fragment Card on Product { name ...Rated }
        fragment Rated on Product { reviews(first: 1) { ...Stars } }
        fragment Stars on Review { stars }
        """
    )
    assert body == {
        "data": {
            "first": {"name": "Lidah buaya", "reviews": [{"stars": 5}]},
            "all": [
                {"name": "Lidah buaya", "reviews": [{"stars": 5}], "upc": "1"},
                {"name": "Kopi Aming", "reviews": [{"stars": 2}], "upc": "2"},
                {"name": "Choi pan", "reviews": [], "upc": "3"},
            ],
        }
    }, federation.plan
    # one jump per position the fragment is spread at, both in one call to reviews
    assert federation.counts() == {"products": 1, "reviews": 1}


async def test_operation_name_picks_one_operation(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    document = """
        query Names { products { name } }
        query Count { reviewCount }
    """
    response = await federation.execute(document, operation_name="Count")
    assert response.body == {"data": {"reviewCount": 5}}, federation.plan
    assert federation.counts() == {"products": 0, "reviews": 1}


async def test_root_typename_is_answered_by_the_gateway(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ __typename t: __typename }")
    assert body == {"data": {"__typename": "Query", "t": "Query"}}, federation.plan
    assert federation.counts() == {"products": 0, "reviews": 0}
