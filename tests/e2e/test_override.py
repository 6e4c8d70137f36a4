"""@override: a field moved to a new subgraph, at once or behind a progressive label."""

from __future__ import annotations

import strawberry
import strawberry.federation
from strawberry.federation.schema_directives import Override

from gateway.config import EngineSettings
from tests.e2e.conftest import Federate
from tests.e2e.harness import app_of, supergraph_of

# legacy: the old order system, still answering every field it ever had


@strawberry.federation.type(keys=["id"])
class Order:
    id: strawberry.ID
    total: int
    status: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Order | None:
        return next((o for o in ORDERS if o.id == id), None)


ORDERS = [
    Order(id=strawberry.ID("o1"), total=10000, status="lama: dibayar"),
    Order(id=strawberry.ID("o2"), total=25000, status="lama: dikirim"),
]


@strawberry.type
class LegacyQuery:
    @strawberry.field
    def orders(self) -> list[Order]:
        return ORDERS


legacy = strawberry.federation.Schema(query=LegacyQuery, federation_version="2.7")

# billing: takes over the total, and the status once the label is switched on


@strawberry.federation.type(keys=["id"], name="Order")
class BilledOrder:
    id: strawberry.ID

    @strawberry.federation.field(override="legacy")
    def total(self) -> int:
        """The legacy total plus 11 % tax."""
        return {"o1": 11100, "o2": 27750}[self.id]

    @strawberry.federation.field(override=Override(override_from="legacy", label="billing-status"))
    def status(self) -> str:
        return {"o1": "baru: lunas", "o2": "baru: dalam pengiriman"}[self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> BilledOrder:
        return BilledOrder(id=id)


billing = strawberry.federation.Schema(types=[BilledOrder], federation_version="2.7")

SCHEMAS = {"legacy": legacy, "billing": billing}
SUPERGRAPH = supergraph_of("override", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}


async def test_overridden_field_comes_from_the_new_owner(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ orders { id total } }")
    assert body == {
        "data": {"orders": [{"id": "o1", "total": 11100}, {"id": "o2", "total": 27750}]}
    }, federation.plan
    assert federation.counts() == {"legacy": 1, "billing": 1}


async def test_field_behind_a_label_that_is_off_stays_with_the_old_owner(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run("{ orders { status } }")
    assert body == {
        "data": {"orders": [{"status": "lama: dibayar"}, {"status": "lama: dikirim"}]}
    }, federation.plan
    assert federation.counts() == {"legacy": 1, "billing": 0}


async def test_field_behind_a_label_that_is_on_moves_to_the_new_owner(
    federate: Federate,
) -> None:
    config = EngineSettings(expose_query_plan=True, override_labels=("billing-status",))
    federation = federate(SUPERGRAPH, APPS, config)
    body = await federation.run("{ orders { status total } }")
    assert body == {
        "data": {
            "orders": [
                {"status": "baru: lunas", "total": 11100},
                {"status": "baru: dalam pengiriman", "total": 27750},
            ]
        }
    }, federation.plan
    assert federation.counts() == {"legacy": 1, "billing": 1}
