"""@external with @provides: a provided field is read from the providing fetch."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "reviews": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@provides"])
        type Query { reviews: [Review] }
        type Review { body: String author: User @provides(fields: "username") }
        type User @key(fields: "id") { id: ID! username: String @external }
    """,
    "accounts": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { me: User }
        type User @key(fields: "id") { id: ID! username: String email: String }
    """,
}

SUPERGRAPH = supergraph_fixture("provides", SUBGRAPHS)


def test_provided_field_needs_no_jump() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { reviews { author { username } } }
        """,
        """
        QueryPlan {
          Fetch(service: "reviews") {
            {
              reviews {
                author {
                  username
                }
              }
            }
          },
        }
        """,
    )


def test_field_beyond_the_provided_ones_jumps_by_key() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { reviews { author { username email } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "reviews") {
              {
                reviews {
                  author {
                    username
                    __typename
                    id
                  }
                }
              }
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "accounts") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    email
                  }
                }
              },
            },
          },
        }
        """,
    )
