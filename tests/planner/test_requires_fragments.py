"""@requires whose selection has fragments on an abstract type: the representation
carries the value's __typename and the fields of its runtime type."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "orders": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { orders: [Order] }
        type Order @key(fields: "id") { id: ID! payment: Payment }
        union Payment = Card | Transfer
        type Card @shareable { last4: String }
        type Transfer @shareable { bank: String }
    """,
    "fees": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@requires", "@shareable"])
        type Order @key(fields: "id") {
          id: ID!
          payment: Payment @external
          fee: Int @requires(fields: "payment { ... on Card { last4 } ... on Transfer { bank } }")
        }
        union Payment = Card | Transfer
        type Card @shareable { last4: String @external }
        type Transfer @shareable { bank: String @external }
    """,
}

SUPERGRAPH = supergraph_fixture("requires_fragments", SUBGRAPHS)


def test_requirement_with_fragments_keeps_the_runtime_type() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { orders { fee } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "orders") {
              {
                orders {
                  payment {
                    __typename
                    ... on Card {
                      last4
                    }
                    ... on Transfer {
                      bank
                    }
                  }
                  __typename
                  id
                }
              }
            },
            Flatten(path: "orders.@") {
              Fetch(service: "fees") {
                {
                  ... on Order {
                    __typename
                    id
                    payment {
                      __typename
                      ... on Card {
                        last4
                      }
                      ... on Transfer {
                        bank
                      }
                    }
                  }
                } =>
                {
                  ... on Order {
                    fee
                  }
                }
              },
            },
          },
        }
        """,
    )
