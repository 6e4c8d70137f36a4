"""@requires (arguments and nested selections in the requirement) and @provides."""

from __future__ import annotations

import math

import strawberry
import strawberry.federation

from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, app_of, supergraph_of

# products: owns Product with its price, weight and size


@strawberry.type
class Dimensions:
    size: int
    unit: str


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: strawberry.ID
    name: str
    price: int
    grams: strawberry.Private[int]
    dimensions: Dimensions

    @strawberry.field
    def weight(self, unit: str = "kg") -> float:
        return self.grams / GRAMS_PER[unit]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> Product | None:
        return next((p for p in PRODUCTS if p.upc == upc), None)


GRAMS_PER = {"g": 1, "kg": 1000}

PRODUCTS = [
    Product(
        upc=strawberry.ID("1"),
        name="Lidah buaya",
        price=15000,
        grams=2500,
        dimensions=Dimensions(size=40, unit="cm"),
    ),
    Product(
        upc=strawberry.ID("2"),
        name="Bingke",
        price=60000,
        grams=800,
        dimensions=Dimensions(size=20, unit="cm"),
    ),
    Product(
        upc=strawberry.ID("3"),
        name="Kopi Aming",
        price=12000,
        grams=250,
        dimensions=Dimensions(size=10, unit="cm"),
    ),
]


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return PRODUCTS

    @strawberry.field
    def product(self, upc: strawberry.ID) -> Product | None:
        return Product.resolve_reference(upc)


products = strawberry.federation.Schema(query=ProductsQuery, federation_version="2.3")

# shipping: prices delivery from the weight in kilograms, packs by size


@strawberry.type(name="Dimensions")
class ShippedDimensions:
    size: int = strawberry.federation.field(external=True)


@strawberry.federation.type(keys=["upc"], name="Product")
class ShippedProduct:
    upc: strawberry.ID
    price: int = strawberry.federation.field(external=True)
    kilograms: strawberry.Private[float]
    dimensions: ShippedDimensions = strawberry.federation.field(external=True)

    @strawberry.federation.field(external=True)
    def weight(self, unit: str = "kg") -> float:
        raise AssertionError("an external field is never resolved here")

    @strawberry.federation.field(requires=['price weight(unit: "kg")'])
    def shipping_estimate(self) -> int:
        """Free from 50 000 rupiah, else 4 000 rupiah per started kilogram."""
        return 0 if self.price >= 50000 else 4000 * math.ceil(self.kilograms)

    @strawberry.federation.field(requires=["dimensions { size }"])
    def packaging(self) -> str:
        return "box" if self.dimensions.size > 30 else "bag"

    @classmethod
    def resolve_reference(
        cls,
        upc: strawberry.ID,
        price: int = 0,
        weight: float = 0.0,
        dimensions: dict[str, int] | None = None,
    ) -> ShippedProduct:
        size = ShippedDimensions(size=dimensions["size"] if dimensions else 0)
        return ShippedProduct(upc=upc, price=price, kilograms=weight, dimensions=size)


shipping = strawberry.federation.Schema(types=[ShippedProduct], federation_version="2.3")

# accounts: owns User


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str
    email: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User | None:
        return USERS.get(id)


USERS = {
    strawberry.ID("u1"): User(id=strawberry.ID("u1"), name="Ani", email="ani@example.id"),
    strawberry.ID("u2"): User(id=strawberry.ID("u2"), name="Budi", email="budi@example.id"),
}


@strawberry.type
class AccountsQuery:
    @strawberry.field
    def me(self) -> User:
        return USERS[strawberry.ID("u1")]


accounts = strawberry.federation.Schema(query=AccountsQuery, federation_version="2.3")

# reviews: knows each author's name, and provides it


@strawberry.federation.type(keys=["id"], name="User")
class Author:
    id: strawberry.ID
    name: str = strawberry.federation.field(external=True)


@strawberry.type
class Review:
    body: str
    author: Author = strawberry.federation.field(provides=["name"])


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def latest_reviews(self) -> list[Review]:
        ani = Author(id=strawberry.ID("u1"), name="Ani")
        budi = Author(id=strawberry.ID("u2"), name="Budi")
        return [
            Review(body="Segar", author=ani),
            Review(body="Enak", author=budi),
            Review(body="Manis", author=ani),
        ]


reviews = strawberry.federation.Schema(query=ReviewsQuery, federation_version="2.3")

SCHEMAS = {"products": products, "shipping": shipping, "accounts": accounts, "reviews": reviews}
SUPERGRAPH = supergraph_of("requires_provides", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}


def representations(federation: Federation, subgraph: str) -> list[object]:
    [request] = federation.requests(subgraph)
    return list(request["variables"]["representations"])


async def test_required_field_with_arguments_travels_beside_the_clients_own(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run('{ products { name weight(unit: "g") shippingEstimate } }')
    assert body == {
        "data": {
            "products": [
                {"name": "Lidah buaya", "weight": 2500.0, "shippingEstimate": 12000},
                {"name": "Bingke", "weight": 800.0, "shippingEstimate": 0},
                {"name": "Kopi Aming", "weight": 250.0, "shippingEstimate": 4000},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"products": 1, "shipping": 1, "accounts": 0, "reviews": 0}
    assert representations(federation, "shipping") == [
        {"__typename": "Product", "upc": "1", "price": 15000, "weight": 2.5},
        {"__typename": "Product", "upc": "2", "price": 60000, "weight": 0.8},
        {"__typename": "Product", "upc": "3", "price": 12000, "weight": 0.25},
    ]


async def test_required_fields_stay_out_of_the_response(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run('{ product(upc: "3") { shippingEstimate } }')
    assert body == {"data": {"product": {"shippingEstimate": 4000}}}, federation.plan
    assert federation.counts() == {"products": 1, "shipping": 1, "accounts": 0, "reviews": 0}


async def test_nested_requirement_sends_the_sub_selection(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ products { packaging dimensions { unit } } }")
    assert body == {
        "data": {
            "products": [
                {"packaging": "box", "dimensions": {"unit": "cm"}},
                {"packaging": "bag", "dimensions": {"unit": "cm"}},
                {"packaging": "bag", "dimensions": {"unit": "cm"}},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"products": 1, "shipping": 1, "accounts": 0, "reviews": 0}
    assert representations(federation, "shipping") == [
        {"__typename": "Product", "upc": "1", "dimensions": {"size": 40}},
        {"__typename": "Product", "upc": "2", "dimensions": {"size": 20}},
        {"__typename": "Product", "upc": "3", "dimensions": {"size": 10}},
    ]


async def test_provided_field_needs_no_call_to_the_owner(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ latestReviews { body author { name } } }")
    assert body == {
        "data": {
            "latestReviews": [
                {"body": "Segar", "author": {"name": "Ani"}},
                {"body": "Enak", "author": {"name": "Budi"}},
                {"body": "Manis", "author": {"name": "Ani"}},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"products": 0, "shipping": 0, "accounts": 0, "reviews": 1}


async def test_field_beyond_the_provided_ones_asks_the_owner_once(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ latestReviews { author { name email } } }")
    assert body == {
        "data": {
            "latestReviews": [
                {"author": {"name": "Ani", "email": "ani@example.id"}},
                {"author": {"name": "Budi", "email": "budi@example.id"}},
                {"author": {"name": "Ani", "email": "ani@example.id"}},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"products": 0, "shipping": 0, "accounts": 1, "reviews": 1}
    assert representations(federation, "accounts") == [
        {"__typename": "User", "id": "u1"},
        {"__typename": "User", "id": "u2"},
    ]


QUERY_WITH_EMAIL = """
query ($withEmail: Boolean!) {
  latestReviews { body author { name email @include(if: $withEmail) } }
}
"""


async def test_include_false_inside_a_provided_selection_skips_the_owner(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(QUERY_WITH_EMAIL, withEmail=False)
    assert body == {
        "data": {
            "latestReviews": [
                {"body": "Segar", "author": {"name": "Ani"}},
                {"body": "Enak", "author": {"name": "Budi"}},
                {"body": "Manis", "author": {"name": "Ani"}},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"products": 0, "shipping": 0, "accounts": 0, "reviews": 1}


async def test_include_true_inside_a_provided_selection_asks_the_owner(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(QUERY_WITH_EMAIL, withEmail=True)
    assert body == {
        "data": {
            "latestReviews": [
                {"body": "Segar", "author": {"name": "Ani", "email": "ani@example.id"}},
                {"body": "Enak", "author": {"name": "Budi", "email": "budi@example.id"}},
                {"body": "Manis", "author": {"name": "Ani", "email": "ani@example.id"}},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"products": 0, "shipping": 0, "accounts": 1, "reviews": 1}


async def test_owner_answers_the_field_outside_the_provided_path(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ me { name email } }")
    assert body == {"data": {"me": {"name": "Ani", "email": "ani@example.id"}}}, federation.plan
    assert federation.counts() == {"products": 0, "shipping": 0, "accounts": 1, "reviews": 0}
