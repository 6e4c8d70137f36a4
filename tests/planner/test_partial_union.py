"""A union whose members differ between subgraphs, below a shareable path under an entity:
only the members every candidate subgraph declares are selected."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "north": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { office: Office }
        type Office @key(fields: "id") { id: ID! desk: Desk @shareable }
        type Desk @shareable { items: [Item!]! @shareable }
        union Item = Pen | Stapler
        type Pen @shareable { ink: String }
        type Stapler { staples: Int }
    """,
    "south": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Office @key(fields: "id") { id: ID! desk: Desk @shareable annex: Desk }
        type Desk @shareable { items: [Item!]! @shareable }
        union Item = Pen | Lamp
        type Pen @shareable { ink: String }
        type Lamp { watts: Int }
    """,
}

SUPERGRAPH = supergraph_fixture("partial_union", SUBGRAPHS)


def test_members_missing_from_another_candidate_subgraph_are_not_selected() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        {
          office {
            desk {
              items {
                __typename
                ... on Pen { ink }
                ... on Stapler { staples }
                ... on Lamp { watts }
              }
            }
          }
        }
        """,
        """
        QueryPlan {
          Fetch(service: "north") {
            {
              office {
                desk {
                  items {
                    __typename
                    ... on Pen {
                      __typename
                      ink
                    }
                  }
                }
              }
            }
          },
        }
        """,
        unfetched=frozenset(
            {("office", "desk", "items", "staples"), ("office", "desk", "items", "watts")}
        ),
    )


def test_after_a_jump_the_target_subgraphs_members_are_used() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { office { annex { items { ... on Lamp { watts } ... on Stapler { staples } } } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "north") {
              {
                office {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "office") {
              Fetch(service: "south") {
                {
                  ... on Office {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Office {
                    annex {
                      items {
                        __typename
                        ... on Lamp {
                          watts
                        }
                      }
                    }
                  }
                }
              },
            },
          },
        }
        """,
        unfetched=frozenset({("office", "annex", "items", "staples")}),
    )
