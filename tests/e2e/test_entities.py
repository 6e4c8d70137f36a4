"""Entity jumps through @key: de-duplicated batches, several keys, a composite key."""

from __future__ import annotations

import strawberry
import strawberry.federation
from strawberry.federation.schema_directives import Key

from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, app_of, supergraph_of

# catalog: owns Product (keys upc and sku) and knows where each product is sold


@strawberry.federation.type(keys=[Key(fields="market number", resolvable=False)])
class Stall:
    market: str
    number: int


@strawberry.federation.type(keys=["upc", "sku"])
class Product:
    upc: strawberry.ID
    sku: str
    name: str
    sold_at: Stall

    @classmethod
    def resolve_reference(
        cls, upc: strawberry.ID | None = None, sku: str | None = None
    ) -> Product | None:
        for product in PRODUCTS:
            if product.upc == upc or product.sku == sku:
                return product
        return None


PRODUCTS = [
    Product(
        upc=strawberry.ID("1"),
        sku="LB-01",
        name="Lidah buaya",
        sold_at=Stall(market="Flamboyan", number=12),
    ),
    Product(
        upc=strawberry.ID("2"),
        sku="KA-02",
        name="Kopi Aming",
        sold_at=Stall(market="Flamboyan", number=3),
    ),
    Product(
        upc=strawberry.ID("3"),
        sku="CP-03",
        name="Choi pan",
        sold_at=Stall(market="Kapuas Indah", number=12),
    ),
]


@strawberry.type
class CatalogQuery:
    @strawberry.field
    def featured(self) -> list[Product]:
        """Three products, the first one twice."""
        return [PRODUCTS[0], PRODUCTS[1], PRODUCTS[0]]

    @strawberry.field
    def product(self, upc: strawberry.ID) -> Product | None:
        return Product.resolve_reference(upc=upc)


catalog = strawberry.federation.Schema(query=CatalogQuery, types=[Stall], federation_version="2.3")

# inventory: knows products by sku only, typed String where the catalog says String!


@strawberry.federation.type(keys=["sku"], name="Product")
class InventoryProduct:
    sku: str | None
    stock: int

    @classmethod
    def resolve_reference(cls, sku: str) -> InventoryProduct | None:
        stock = STOCK.get(sku)
        return None if stock is None else InventoryProduct(sku=sku, stock=stock)


STOCK = {"LB-01": 40, "KA-02": 0, "CP-03": 7}

inventory = strawberry.federation.Schema(types=[InventoryProduct], federation_version="2.3")

# reviews: knows products by upc only


@strawberry.type
class Review:
    body: str
    stars: int
    product: ReviewedProduct


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewedProduct:
    upc: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [r for r in REVIEWS if r.product.upc == self.upc]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> ReviewedProduct:
        return ReviewedProduct(upc=upc)


REVIEWS = [
    Review(body="Segar", stars=5, product=ReviewedProduct(upc=strawberry.ID("1"))),
    Review(body="Pahit", stars=3, product=ReviewedProduct(upc=strawberry.ID("2"))),
    Review(body="Manis", stars=4, product=ReviewedProduct(upc=strawberry.ID("1"))),
]


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def latest_reviews(self) -> list[Review]:
        return REVIEWS[::-1]


reviews = strawberry.federation.Schema(query=ReviewsQuery, federation_version="2.3")

# markets: owns Stall, whose key is the market and the stall number together


@strawberry.federation.type(keys=["market number"], name="Stall")
class MarketStall:
    market: str
    number: int
    owner: str

    @classmethod
    def resolve_reference(cls, market: str, number: int) -> MarketStall | None:
        owner = OWNERS.get((market, number))
        return None if owner is None else MarketStall(market=market, number=number, owner=owner)


OWNERS = {
    ("Flamboyan", 12): "Bu Ani",
    ("Flamboyan", 3): "Pak Aming",
    ("Kapuas Indah", 12): "Ko Ahui",
}

markets = strawberry.federation.Schema(types=[MarketStall], federation_version="2.3")

SCHEMAS = {"catalog": catalog, "inventory": inventory, "reviews": reviews, "markets": markets}
SUPERGRAPH = supergraph_of("entities", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}


def representations(federation: Federation, subgraph: str) -> list[object]:
    [request] = federation.requests(subgraph)
    return list(request["variables"]["representations"])


async def test_duplicate_representation_is_sent_once_in_one_call(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ featured { name reviews { stars } } }")
    assert body == {
        "data": {
            "featured": [
                {"name": "Lidah buaya", "reviews": [{"stars": 5}, {"stars": 4}]},
                {"name": "Kopi Aming", "reviews": [{"stars": 3}]},
                {"name": "Lidah buaya", "reviews": [{"stars": 5}, {"stars": 4}]},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "inventory": 0, "reviews": 1, "markets": 0}
    assert representations(federation, "reviews") == [
        {"__typename": "Product", "upc": "1"},
        {"__typename": "Product", "upc": "2"},
    ]


async def test_each_subgraph_gets_the_key_it_declares(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ featured { upc stock reviews { body } } }")
    assert body == {
        "data": {
            "featured": [
                {"upc": "1", "stock": 40, "reviews": [{"body": "Segar"}, {"body": "Manis"}]},
                {"upc": "2", "stock": 0, "reviews": [{"body": "Pahit"}]},
                {"upc": "1", "stock": 40, "reviews": [{"body": "Segar"}, {"body": "Manis"}]},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "inventory": 1, "reviews": 1, "markets": 0}
    assert representations(federation, "inventory") == [
        {"__typename": "Product", "sku": "LB-01"},
        {"__typename": "Product", "sku": "KA-02"},
    ]
    assert representations(federation, "reviews") == [
        {"__typename": "Product", "upc": "1"},
        {"__typename": "Product", "upc": "2"},
    ]


async def test_second_jump_uses_a_key_learned_in_the_first(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ latestReviews { body product { name stock } } }")
    assert body == {
        "data": {
            "latestReviews": [
                {"body": "Manis", "product": {"name": "Lidah buaya", "stock": 40}},
                {"body": "Pahit", "product": {"name": "Kopi Aming", "stock": 0}},
                {"body": "Segar", "product": {"name": "Lidah buaya", "stock": 40}},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "inventory": 1, "reviews": 1, "markets": 0}
    assert representations(federation, "catalog") == [
        {"__typename": "Product", "upc": "1"},
        {"__typename": "Product", "upc": "2"},
    ]
    assert representations(federation, "inventory") == [
        {"__typename": "Product", "sku": "LB-01"},
        {"__typename": "Product", "sku": "KA-02"},
    ]


async def test_composite_key_carries_all_its_fields(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run('{ product(upc: "3") { name soldAt { number owner } } }')
    assert body == {
        "data": {"product": {"name": "Choi pan", "soldAt": {"number": 12, "owner": "Ko Ahui"}}}
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "inventory": 0, "reviews": 0, "markets": 1}
    assert representations(federation, "markets") == [
        {"__typename": "Stall", "market": "Kapuas Indah", "number": 12}
    ]


async def test_composite_keys_that_share_a_field_stay_apart(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ featured { soldAt { market number owner } } }")
    assert body == {
        "data": {
            "featured": [
                {"soldAt": {"market": "Flamboyan", "number": 12, "owner": "Bu Ani"}},
                {"soldAt": {"market": "Flamboyan", "number": 3, "owner": "Pak Aming"}},
                {"soldAt": {"market": "Flamboyan", "number": 12, "owner": "Bu Ani"}},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"catalog": 1, "inventory": 0, "reviews": 0, "markets": 1}
    assert representations(federation, "markets") == [
        {"__typename": "Stall", "market": "Flamboyan", "number": 12},
        {"__typename": "Stall", "market": "Flamboyan", "number": 3},
    ]


async def test_unknown_root_entity_is_null_without_a_jump(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run('{ product(upc: "9") { name stock } }')
    assert body == {"data": {"product": None}}, federation.plan
    assert federation.counts() == {"catalog": 1, "inventory": 0, "reviews": 0, "markets": 0}
