"""Mutations: root fields run in order, each exactly once, entity fields read afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import strawberry
import strawberry.federation

from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, app_of, down, supergraph_of

LOG: list[str] = []
"""Every mutation resolver that ran, in order, across both subgraphs."""

CARTS: dict[str, list[str]] = {}
PAID: set[str] = set()


@pytest.fixture(autouse=True)
def fresh_state() -> Iterator[None]:
    LOG.clear()
    CARTS.clear()
    PAID.clear()
    yield


# carts: owns Cart and its items


@strawberry.federation.type(keys=["id"])
class Cart:
    id: strawberry.ID

    @strawberry.field
    def skus(self) -> list[str]:
        return list(CARTS.get(self.id, []))

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Cart:
        return Cart(id=id)


@strawberry.type
class CartsQuery:
    @strawberry.field
    def cart(self, id: strawberry.ID) -> Cart:
        return Cart(id=id)


@strawberry.type
class CartsMutation:
    @strawberry.mutation
    def add_item(self, cart: strawberry.ID, sku: str) -> Cart:
        LOG.append(f"addItem {cart} {sku}")
        CARTS.setdefault(cart, []).append(sku)
        return Cart(id=cart)

    @strawberry.mutation
    def clear(self, cart: strawberry.ID) -> Cart:
        LOG.append(f"clear {cart}")
        CARTS[cart] = []
        return Cart(id=cart)


carts = strawberry.federation.Schema(
    query=CartsQuery, mutation=CartsMutation, federation_version="2.3"
)

# payments: knows which carts are paid


@strawberry.federation.type(keys=["id"], name="Cart")
class PaidCart:
    id: strawberry.ID

    @strawberry.field
    def paid(self) -> bool:
        return self.id in PAID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> PaidCart:
        return PaidCart(id=id)


@strawberry.type
class Payment:
    number: int
    cart: PaidCart


@strawberry.type
class PaymentsMutation:
    @strawberry.mutation
    def pay(self, cart: strawberry.ID) -> Payment:
        LOG.append(f"pay {cart}")
        PAID.add(cart)
        return Payment(number=len(PAID), cart=PaidCart(id=cart))


payments = strawberry.federation.Schema(mutation=PaymentsMutation, federation_version="2.3")

SCHEMAS = {"carts": carts, "payments": payments}
SUPERGRAPH = supergraph_of("mutations", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}


def mutation_fields_sent(federation: Federation, subgraph: str) -> list[str]:
    """The operation text of every mutation ``subgraph`` received."""
    return [
        request["query"]
        for request in federation.requests(subgraph)
        if request["query"].lstrip().startswith("mutation")
    ]


async def test_mutation_fields_run_in_order_with_entity_fields_read_after_each(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        """
        mutation {
          first: addItem(cart: "c1", sku: "kopi") { skus }
          second: addItem(cart: "c1", sku: "bingke") { skus paid }
          pay(cart: "c1") { number cart { paid skus } }
          clear(cart: "c1") { skus paid }
        }
        """
    )
    assert body == {
        "data": {
            "first": {"skus": ["kopi"]},
            "second": {"skus": ["kopi", "bingke"], "paid": False},
            "pay": {"number": 1, "cart": {"paid": True, "skus": ["kopi", "bingke"]}},
            "clear": {"skus": [], "paid": True},
        }
    }, federation.plan
    assert LOG == ["addItem c1 kopi", "addItem c1 bingke", "pay c1", "clear c1"]
    # carts: the two additions, the items of the paid cart, the clearing;
    # payments: whether the cart was paid after the second addition, the payment,
    # whether the cleared cart was paid
    assert federation.counts() == {"carts": 3, "payments": 3}, federation.plan
    assert len(mutation_fields_sent(federation, "carts")) == 2
    assert len(mutation_fields_sent(federation, "payments")) == 1


async def test_mutation_of_a_down_subgraph_is_sent_once(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, {**APPS, "payments": down()})
    body = await federation.run(
        """
        mutation {
          addItem(cart: "c2", sku: "kopi") { skus }
          pay(cart: "c2") { number }
        }
        """
    )
    assert body["data"] is None, federation.plan
    [error] = body["errors"]
    assert error["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
    assert error["path"] == ["pay"]
    assert federation.counts() == {"carts": 1, "payments": 1}
    assert LOG == ["addItem c2 kopi"]


async def test_query_after_a_mutation_sees_its_effect(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    await federation.run('mutation { addItem(cart: "c3", sku: "choi pan") { skus } }')
    body = await federation.run('{ cart(id: "c3") { skus } }')
    assert body == {"data": {"cart": {"skus": ["choi pan"]}}}, federation.plan
    assert LOG == ["addItem c3 choi pan"]
    assert federation.counts() == {"carts": 2, "payments": 0}
