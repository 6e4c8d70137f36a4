"""A `node(id:)` root field every subgraph shares, under @skip/@include."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "people": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { node(id: ID!): Node @shareable }
        interface Node { id: ID! }
        type Person implements Node @key(fields: "id") { id: ID! name: String }
    """,
    "places": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { node(id: ID!): Node @shareable }
        interface Node { id: ID! }
        type Place implements Node @key(fields: "id") { id: ID! city: String }
        type Person implements Node @key(fields: "id") { id: ID! home: Place }
    """,
}

SUPERGRAPH = supergraph_fixture("shared_node", SUBGRAPHS)


def test_shared_node_root_field_under_skip_guards_every_fetch() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        query ($s: Boolean!) {
          node(id: "p1") @skip(if: $s) { id ... on Person { name home { city } } }
        }
        """,
        """
        QueryPlan {
          Sequence {
            Skip(if: $s) {
              Fetch(service: "places") {
                query ($s:Boolean!) {
                  node(id: "p1") @skip(if: $s) {
                    __typename
                    id
                    ... on Person {
                      home {
                        city
                      }
                      __typename
                      id
                    }
                  }
                }
              },
            },
            Skip(if: $s) {
              Flatten(path: "node") {
                Fetch(service: "people") {
                  {
                    ... on Person {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Person {
                      name
                    }
                  }
                },
              },
            },
          },
        }
        """,
    )
