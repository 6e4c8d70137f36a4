"""@interfaceObject: fields added to every implementation by a subgraph that sees only
the interface, and concrete types recovered from the subgraph that owns them."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "media": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { media: [Media] }
        interface Media @key(fields: "id") { id: ID! title: String }
        type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
        type Movie implements Media @key(fields: "id") { id: ID! title: String minutes: Int }
    """,
    "ratings": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@interfaceObject"])
        type Query { topRated: [Media] }
        type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int }
    """,
}

SUPERGRAPH = supergraph_fixture("interface_object", SUBGRAPHS)


def test_interface_object_field_on_concrete_types_sends_the_interface_name() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { media { title rating } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "media") {
              {
                media {
                  __typename
                  ... on Book {
                    title
                    __typename
                    id
                  }
                  ... on Movie {
                    title
                    __typename
                    id
                  }
                }
              }
            },
            Flatten(path: "media.@") {
              Fetch(service: "ratings") {
                {
                  ... on Book {
                    __typename
                    id
                  }
                  ... on Movie {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Media {
                    rating
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_concrete_fragments_from_an_interface_object_ask_the_owner() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { topRated { rating title ... on Book { pages } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "ratings") {
              {
                topRated {
                  __typename
                  rating
                  id
                }
              }
            },
            Flatten(path: "topRated.@") {
              Fetch(service: "media") {
                {
                  ... on Media {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Media {
                    __typename
                    title
                    ... on Book {
                      pages
                    }
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_typename_from_an_interface_object_comes_from_the_owner() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { topRated { __typename id } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "ratings") {
              {
                topRated {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "topRated.@") {
              Fetch(service: "media") {
                {
                  ... on Media {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Media {
                    __typename
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_a_conditional_fragment_keeps_its_condition_on_what_it_held() -> None:
    # the fragment on the interface is flattened away: its condition goes onto each field
    # it held, as a fragment around a field already under a condition of its own (one
    # location takes @skip once), and its `... on Movie` still reaches the owner
    assert_plan(
        SUPERGRAPH,
        """
        query ($v: Boolean!, $w: Boolean!) {
          topRated { ... @skip(if: $v) { ... on Movie { minutes } rating @skip(if: $w) } }
        }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "ratings") {
              query ($v:Boolean!,$w:Boolean!) {
                topRated {
                  __typename
                  ... @skip(if: $w) {
                    rating @skip(if: $v)
                  }
                  id
                }
              }
            },
            Flatten(path: "topRated.@") {
              Fetch(service: "media") {
                {
                  ... on Media {
                    __typename
                    id
                  }
                } =>
                ($v:Boolean!) {
                  ... on Media {
                    __typename
                    ... on Movie {
                      ... @skip(if: $v) {
                        minutes
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


def test_a_conditional_typename_is_fetched_under_its_own_name() -> None:
    # the concrete type comes in `__typename` whatever the client's condition says (shaping
    # applies it); before, the client's conditional one took the name and the gateway's
    # was aliased away, so with $v false the type was never learnt (found by the fuzzer)
    assert_plan(
        SUPERGRAPH,
        """
        query ($v: Boolean!) { topRated { ... on Movie { minutes } __typename @include(if: $v) } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "ratings") {
              {
                topRated {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "topRated.@") {
              Fetch(service: "media") {
                {
                  ... on Media {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Media {
                    __typename
                    ... on Movie {
                      minutes
                    }
                  }
                }
              },
            },
          },
        }
        """,
    )
