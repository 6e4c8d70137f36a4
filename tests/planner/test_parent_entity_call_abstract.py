"""A list of interface values whose implementations' fields the current subgraph cannot
give (external, not provided) is fetched again from a subgraph that can."""

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

SUPERGRAPH = supergraph_fixture("parent_entity_call_abstract", SUBGRAPHS)


def test_the_list_is_fetched_again_where_its_implementations_fields_are() -> None:
    # `Dog.id` is external in `shelters` and not provided: the dogs it lists cannot be
    # followed by their key, so `pets` comes from `registry`; before, planning failed
    assert_plan(
        SUPERGRAPH,
        """
        { shelter { pets { ... on Dog { name id } } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "shelters") {
              {
                shelter {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "shelter") {
              Fetch(service: "registry") {
                {
                  ... on Shelter {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Shelter {
                    pets {
                      __typename
                      ... on Dog {
                        name
                        id
                      }
                    }
                  }
                }
              },
            },
          },
        }
        """,
    )
