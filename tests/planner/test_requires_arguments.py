"""A requirement selecting a field with arguments next to the client's own selection of
that field with other arguments: two positions in the response, each with its fetches."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "threads": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { threads: [Thread] }
        type Thread @key(fields: "id") { id: ID! }
        type Reply @key(fields: "id") { id: ID! writerId: ID body: String! }
    """,
    "forum": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@requires"])
        type Thread @key(fields: "id") {
          id: ID!
          replies(last: Int!): [Reply]
          starter: Writer @requires(fields: "replies(last: 5) { writerId }")
        }
        type Reply @key(fields: "id") { id: ID! writerId: ID @external postedAt: String }
        type Writer { id: ID! name: String }
    """,
}

SUPERGRAPH = supergraph_fixture("requires_arguments", SUBGRAPHS)


def test_the_clients_field_and_the_requirements_are_fetched_apart() -> None:
    # the requirement's `replies(last: 5)` is renamed when the client's `replies(last: 1)`
    # arrives; before, both shared one fetch of `Reply` and the client's replies got none
    assert_plan(
        SUPERGRAPH,
        """
        { threads { starter { name } replies(last: 1) { body } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "threads") {
              {
                threads {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "threads.@") {
              Fetch(service: "forum") {
                {
                  ... on Thread {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Thread {
                    _replies1: replies(last: 5) {
                      __typename
                      id
                    }
                    replies(last: 1) {
                      __typename
                      id
                    }
                  }
                }
              },
            },
            Batch(service: "threads") {
              Flatten(path: "threads.@._replies1.@") {
                Fetch(service: "threads") {
                  {
                    ... on Reply {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Reply {
                      writerId
                    }
                  }
                },
              },
              Flatten(path: "threads.@.replies.@") {
                Fetch(service: "threads") {
                  {
                    ... on Reply {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Reply {
                      body
                    }
                  }
                },
              },
            },
            Flatten(path: "threads.@") {
              Fetch(service: "forum") {
                {
                  ... on Thread {
                    __typename
                    id
                    replies {
                      writerId
                    }
                  }
                } =>
                {
                  ... on Thread {
                    starter {
                      name
                    }
                  }
                }
              },
            },
          },
        }
    """,
    )
