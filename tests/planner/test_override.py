"""@override, with and without a progressive-override label."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "legacy": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7",
          import: ["@key", "@shareable"])
        type Query { orders: [Order] }
        type Order @key(fields: "id") { id: ID! total: Int status: String }
    """,
    "billing": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7",
          import: ["@key", "@override"])
        type Order @key(fields: "id") {
          id: ID!
          total: Int @override(from: "legacy")
          status: String @override(from: "legacy", label: "percent(50)")
        }
    """,
}

SUPERGRAPH = supergraph_fixture("override", SUBGRAPHS)


def test_overridden_field_goes_to_the_new_owner_while_the_label_is_off() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { orders { total status } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "legacy") {
              {
                orders {
                  status
                  __typename
                  id
                }
              }
            },
            Flatten(path: "orders.@") {
              Fetch(service: "billing") {
                {
                  ... on Order {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Order {
                    total
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_active_progressive_label_moves_the_field_too() -> None:
    assert_plan(
        SUPERGRAPH,
        "{ orders { total status } }",
        """
        QueryPlan {
          Sequence {
            Fetch(service: "legacy") {
              {
                orders {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "orders.@") {
              Fetch(service: "billing") {
                {
                  ... on Order {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Order {
                    total
                    status
                  }
                }
              },
            },
          },
        }
        """,
        labels=frozenset({"percent(50)"}),
    )
