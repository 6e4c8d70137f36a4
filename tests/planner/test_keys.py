"""Entity jumps through @key: several keys, composite and nested keys, resolvable: false."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "catalog": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { products: [Product] }
        type Product @key(fields: "id") @key(fields: "sku") {
          id: ID! sku: String! name: String
          seller: Seller
        }
        type Seller @key(fields: "org { code } number", resolvable: false) {
          org: Org number: Int
        }
        type Org { code: String }
    """,
    "pricing": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Product @key(fields: "sku") { sku: String! price: Int }
    """,
    "sellers": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Seller @key(fields: "org { code } number") {
          org: Org number: Int rating: Float
        }
        type Org @shareable { code: String }
    """,
}

SUPERGRAPH = supergraph_fixture("keys", SUBGRAPHS)


def test_jump_uses_the_key_the_target_subgraph_resolves() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { price } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "catalog") {
              {
                products {
                  __typename
                  sku
                }
              }
            },
            Flatten(path: "products.@") {
              Fetch(service: "pricing") {
                {
                  ... on Product {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on Product {
                    price
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_composite_nested_key_from_a_resolvable_false_declaration() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { seller { rating } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "catalog") {
              {
                products {
                  seller {
                    __typename
                    org {
                      code
                    }
                    number
                  }
                }
              }
            },
            Flatten(path: "products.@.seller") {
              Fetch(service: "sellers") {
                {
                  ... on Seller {
                    __typename
                    org {
                      code
                    }
                    number
                  }
                } =>
                {
                  ... on Seller {
                    rating
                  }
                }
              },
            },
          },
        }
        """,
    )
