"""Mutations run in order, one root field after the other."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "carts": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { cart(id: ID!): Cart }
        type Mutation { addItem(cart: ID!, sku: String!): Cart clear(cart: ID!): Cart }
        type Cart @key(fields: "id") { id: ID! skus: [String] }
    """,
    "payments": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Mutation { pay(cart: ID!): Payment }
        type Payment { id: ID! cart: Cart }
        type Cart @key(fields: "id") { id: ID! total: Int }
    """,
}

SUPERGRAPH = supergraph_fixture("mutations", SUBGRAPHS)


def test_mutation_fields_run_in_order_each_with_its_entity_fetches() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        mutation {
          a: addItem(cart: "1", sku: "x") { skus }
          pay(cart: "1") { cart { skus total } }
          clear(cart: "1") { id total }
        }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "carts") {
              mutation {
                a: addItem(cart: "1", sku: "x") {
                  skus
                }
              }
            },
            Fetch(service: "payments") {
              mutation {
                pay(cart: "1") {
                  cart {
                    total
                    __typename
                    id
                  }
                }
              }
            },
            Flatten(path: "pay.cart") {
              Fetch(service: "carts") {
                {
                  ... on Cart {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Cart {
                    skus
                  }
                }
              },
            },
            Fetch(service: "carts") {
              mutation {
                clear(cart: "1") {
                  id
                  __typename
                }
              }
            },
            Flatten(path: "clear") {
              Fetch(service: "payments") {
                {
                  ... on Cart {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Cart {
                    total
                  }
                }
              },
            },
          },
        }
        """,
    )
