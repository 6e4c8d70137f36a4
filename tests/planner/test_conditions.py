"""Fragments, aliases, variables with defaults and @skip/@include (Condition nodes)."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "products": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { products(first: Int = 10): [Product] }
        type Product @key(fields: "upc") { upc: String! name: String }
    """,
    "reviews": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Product @key(fields: "upc") { upc: String! reviews(stars: Int): [Review] }
        type Review { body: String stars: Int }
    """,
}

SUPERGRAPH = supergraph_fixture("conditions", SUBGRAPHS)


def test_include_on_a_jump_becomes_a_condition_node() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        query ($n: Int = 3, $withReviews: Boolean!, $skipName: Boolean = false) {
          top: products(first: $n) {
            ...P
            reviews(stars: 5) @include(if: $withReviews) { body }
          }
        }
        fragment P on Product { name @skip(if: $skipName) }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              query ($n:Int=3,$skipName:Boolean=false) {
                top: products(first: $n) {
                  name @skip(if: $skipName)
                  __typename
                  upc
                }
              }
            },
            Include(if: $withReviews) {
              Flatten(path: "top.@") {
                Fetch(service: "reviews") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      reviews(stars: 5) {
                        body
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


def test_literal_skip_is_applied_when_planning() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { name @skip(if: true) reviews @include(if: false) { body } upc } }
        """,
        """
        QueryPlan {
          Fetch(service: "products") {
            {
              products {
                upc
              }
            }
          },
        }
        """,
    )


def test_a_field_whose_every_subfield_is_excluded_selects_its_typename() -> None:
    # `products {}` is not GraphQL: the object is still answered, with nothing in it
    assert_plan(
        SUPERGRAPH,
        """
        { products { name @include(if: false) } }
        """,
        """
        QueryPlan {
          Fetch(service: "products") {
            {
              products {
                __typename
              }
            }
          },
        }
        """,
    )
