"""A client field the planner finds no way to resolve where the operation reaches it is
given up alone: it answers null with an error, and the rest of the operation is planned."""

# ruff: noqa: E501 -- a golden plan's lines are as long as they print

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "shelters": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@provides", "@shareable"])
        type Query { shelter: Shelter @provides(fields: "pets { ... on Dog { name } }") }
        type Shelter @key(fields: "id") { id: ID! pets: [Pet] @shareable }
        interface Pet { id: ID! }
        type Dog implements Pet @key(fields: "id") {
          id: ID! @external
          name: String @external
        }
        type Cat implements Pet @key(fields: "id") { id: ID! @external }
    """,
    "registry": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Shelter @key(fields: "id") { id: ID! pets: [Pet] @shareable }
        interface Pet { id: ID! name: String }
        type Dog implements Pet @key(fields: "id") { id: ID! name: String }
        type Cat implements Pet @key(fields: "id") { id: ID! name: String }
    """,
}

SUPERGRAPH = supergraph_fixture("unresolvable", SUBGRAPHS)


def test_the_field_alone_is_given_up() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        query ($v: Boolean!) {
          shelter { pets { ... on Dog { name id @include(if: $v) } } }
        }
        """,
        """
        QueryPlan {
          Fetch(service: "shelters") {
            {
              shelter {
                pets {
                  __typename
                  ... on Dog {
                    name
                    __typename
                  }
                }
              }
            }
          },
        }
        Unresolvable(path: "shelter.pets.@.id") @include(if: $v): no subgraph can resolve Dog.id from shelters
        """,
    )
