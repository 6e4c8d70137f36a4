"""A key the current subgraph lacks is fetched first through another subgraph."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "shelf": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { books: [Book] }
        type Book @key(fields: "upc") { upc: ID! }
    """,
    "ids": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Book @key(fields: "id") @key(fields: "upc") { id: ID! upc: ID! }
    """,
    "authors": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Book @key(fields: "id") { id: ID! author: String }
    """,
}

SUPERGRAPH = supergraph_fixture("key_chains", SUBGRAPHS)


def test_key_is_collected_through_an_intermediate_subgraph() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { books { upc author } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "shelf") {
              {
                books {
                  upc
                  __typename
                }
              }
            },
            Flatten(path: "books.@") {
              Fetch(service: "ids") {
                {
                  ... on Book {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Book {
                    id
                  }
                }
              },
            },
            Flatten(path: "books.@") {
              Fetch(service: "authors") {
                {
                  ... on Book {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Book {
                    author
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_a_key_collected_under_a_condition_serves_only_fetches_under_it() -> None:
    # the chain fetch for `author` reads `upc` selected under @include: a fetch made
    # always (for `id`) cannot share it, or it would get no representations when $v is
    # false
    assert_plan(
        SUPERGRAPH,
        """
        query ($v: Boolean!) { books { ... @include(if: $v) { author } id } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "shelf") {
              query ($v:Boolean!) {
                books {
                  ... @include(if: $v) {
                    __typename
                    upc
                  }
                  __typename
                  upc
                }
              }
            },
            Batch(service: "ids") {
              Include(if: $v) {
                Flatten(path: "books.@") {
                  Fetch(service: "ids") {
                    {
                      ... on Book {
                        __typename
                        upc
                      }
                    } =>
                    {
                      ... on Book {
                        id
                      }
                    }
                  },
                },
              },
              Flatten(path: "books.@") {
                Fetch(service: "ids") {
                  {
                    ... on Book {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Book {
                      id
                    }
                  }
                },
              },
            },
            Include(if: $v) {
              Flatten(path: "books.@") {
                Fetch(service: "authors") {
                  {
                    ... on Book {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Book {
                      author
                    }
                  }
                },
              },
            },
          },
        }
    """,
    )
