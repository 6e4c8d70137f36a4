"""Introspection answered by the gateway from the API schema, with no subgraph call."""

from __future__ import annotations

import strawberry
import strawberry.federation

from tests.e2e.conftest import Federate
from tests.e2e.harness import app_of, supergraph_of

# products: a purchase cost and a supplier that clients must not see


@strawberry.federation.type(inaccessible=True)
class Supplier:
    name: str


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: strawberry.ID
    name: str
    cost: int = strawberry.federation.field(inaccessible=True)
    supplier: Supplier = strawberry.federation.field(inaccessible=True)

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> Product | None:
        return PRODUCTS.get(upc)


PRODUCTS = {
    strawberry.ID("1"): Product(
        upc=strawberry.ID("1"), name="Lidah buaya", cost=9000, supplier=Supplier(name="Kebun A")
    )
}


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def product(self, upc: strawberry.ID) -> Product | None:
        return PRODUCTS.get(upc)


products = strawberry.federation.Schema(query=ProductsQuery, federation_version="2.3")

# reviews


@strawberry.type
class Review:
    body: str


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewedProduct:
    upc: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [Review(body="Segar")]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> ReviewedProduct:
        return ReviewedProduct(upc=upc)


reviews = strawberry.federation.Schema(types=[ReviewedProduct], federation_version="2.3")

SCHEMAS = {"products": products, "reviews": reviews}
SUPERGRAPH = supergraph_of("introspection", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}
NO_CALLS = {"products": 0, "reviews": 0}


async def test_root_types(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        "{ __schema { queryType { name } mutationType { name } subscriptionType { name } } }"
    )
    assert body == {
        "data": {
            "__schema": {
                "queryType": {"name": "Query"},
                "mutationType": None,
                "subscriptionType": None,
            }
        }
    }
    assert federation.counts() == NO_CALLS


async def test_type_by_name_shows_the_fields_of_every_subgraph_but_no_inaccessible_one(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        '{ __type(name: "Product") { name kind fields { name type { kind ofType { name } } } } }'
    )
    assert body == {
        "data": {
            "__type": {
                "name": "Product",
                "kind": "OBJECT",
                "fields": [
                    {"name": "upc", "type": {"kind": "NON_NULL", "ofType": {"name": "ID"}}},
                    {"name": "name", "type": {"kind": "NON_NULL", "ofType": {"name": "String"}}},
                    {"name": "reviews", "type": {"kind": "NON_NULL", "ofType": {"name": None}}},
                ],
            }
        }
    }
    assert federation.counts() == NO_CALLS


async def test_federation_machinery_and_inaccessible_types_are_not_in_the_api_schema(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        """
        {
          supplier: __type(name: "Supplier") { name }
          entity: __type(name: "_Entity") { name }
          service: __type(name: "_Service") { name }
          any: __type(name: "_Any") { name }
          graph: __type(name: "join__Graph") { name }
          __schema {
            queryType { fields { name } }
            types { name }
            directives { name }
          }
        }
        """
    )
    data = body["data"]
    assert "errors" not in body, body
    assert {k: data[k] for k in ("supplier", "entity", "service", "any", "graph")} == {
        "supplier": None,
        "entity": None,
        "service": None,
        "any": None,
        "graph": None,
    }
    schema = data["__schema"]
    assert schema["queryType"] == {"fields": [{"name": "product"}]}
    types = {t["name"] for t in schema["types"] if not t["name"].startswith("__")}
    assert types == {"Query", "Product", "Review", "ID", "String", "Boolean"}
    directives = {d["name"] for d in schema["directives"]}
    assert {"include", "skip", "deprecated"} <= directives
    assert not directives & {"key", "inaccessible", "link", "join__type", "join__field"}
    assert federation.counts() == NO_CALLS


async def test_inaccessible_field_cannot_be_queried(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    response = await federation.execute('{ product(upc: "1") { name cost } }')
    assert response.status == 400, response.body
    assert "data" not in response.body
    [error] = response.body["errors"]
    assert "cost" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert federation.counts() == NO_CALLS


async def test_entities_field_cannot_be_queried(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    response = await federation.execute(
        '{ _entities(representations: [{__typename: "Product", upc: "1"}]) { __typename } }'
    )
    assert response.status == 400, response.body
    [error] = response.body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert federation.counts() == NO_CALLS


async def test_introspection_beside_fields_of_the_subgraphs(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        """
        {
          product(upc: "1") { __typename name reviews { body } }
          t: __type(name: "Review") { fields { name } }
        }
        """
    )
    assert body == {
        "data": {
            "product": {
                "__typename": "Product",
                "name": "Lidah buaya",
                "reviews": [{"body": "Segar"}],
            },
            "t": {"fields": [{"name": "body"}]},
        }
    }, federation.plan
    assert federation.counts() == {"products": 1, "reviews": 1}


async def test_introspection_inside_a_fragment(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, APPS)
    body = await federation.run(
        """
        { ...Root ... on Query { __type(name: "Review") { name } } }
        fragment Root on Query { __schema { queryType { name } } }
        """
    )
    assert body == {
        "data": {"__schema": {"queryType": {"name": "Query"}}, "__type": {"name": "Review"}}
    }, federation.plan
    assert federation.counts() == NO_CALLS
