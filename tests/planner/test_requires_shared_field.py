"""Two requirements selecting the same field, beside the client's own selection of it under
a condition: the requirements share one aliased selection of the field, which the
representation reads (found by the fuzzer: the second requirement got a selection of its
own, and the representation read the first, missing the second's fields)."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "products": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { products: [Product] }
        type Product @key(fields: "upc") { upc: String! dimensions: Dimensions }
        type Dimensions { size: Int unit: String weight: Int }
    """,
    "shipping": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@requires"])
        type Product @key(fields: "upc") {
          upc: String!
          dimensions: Dimensions @external
          packaging: String @requires(fields: "dimensions { size }")
          label: String @requires(fields: "dimensions { unit }")
        }
        type Dimensions { size: Int @external unit: String @external }
    """,
}

SUPERGRAPH = supergraph_fixture("requires_shared_field", SUBGRAPHS)


def test_the_requirements_share_one_selection_of_the_field() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        query ($v: Boolean!) {
          products { dimensions @include(if: $v) { weight } packaging label }
        }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              query ($v:Boolean!) {
                products {
                  dimensions @include(if: $v) {
                    weight
                  }
                  _dimensions1: dimensions {
                    size
                    unit
                  }
                  __typename
                  upc
                }
              }
            },
            Flatten(path: "products.@") {
              Fetch(service: "shipping") {
                {
                  ... on Product {
                    __typename
                    upc
                    dimensions {
                      size
                      unit
                    }
                  }
                } =>
                {
                  ... on Product {
                    packaging
                    label
                  }
                }
              },
            },
          },
        }
        """,
    )
