"""Subgraphs that declare an entity's key @external: entered through that key, their
value types' other parts are completed from sibling subgraphs reached with the same key."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "shop": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { product(id: ID!): Product }
        type Product @key(fields: "id") { id: ID! name: String }
    """,
    "tags": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@shareable"])
        type Product @key(fields: "id") { id: ID! @external label: Label @shareable }
        type Label @shareable { text: String }
    """,
    "colors": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@shareable"])
        type Product @key(fields: "id") { id: ID! @external label: Label @shareable }
        type Label @shareable { color: String }
    """,
}

SUPERGRAPH = supergraph_fixture("external_keys", SUBGRAPHS)


def test_value_type_split_over_subgraphs_entered_with_an_external_key() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { product(id: "1") { name label { text color } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "shop") {
              {
                product(id: "1") {
                  name
                  __typename
                  id
                }
              }
            },
            Parallel {
              Flatten(path: "product") {
                Fetch(service: "colors") {
                  {
                    ... on Product {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Product {
                      label {
                        color
                      }
                    }
                  }
                },
              },
              Flatten(path: "product") {
                Fetch(service: "tags") {
                  {
                    ... on Product {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Product {
                      label {
                        text
                      }
                    }
                  }
                },
              },
            },
          },
        }
        """,
    )
