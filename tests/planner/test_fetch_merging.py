"""Fetches to one subgraph at one place become one where they can: a requirement's fetch,
which waits for the required fields, also carries the plain fields of the same subgraph
beside it, instead of a second call to that subgraph that would not wait. One call fewer
to an OPD's server is worth more than the plain fields arriving a little earlier."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "accounts": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { users: [User] }
        type User @key(fields: "id") { id: ID! name: String }
    """,
    "reviews": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type User @key(fields: "id") { id: ID! reviews: [Review] }
        type Review { body: String product: Product }
        type Product @key(fields: "upc") { upc: String! }
    """,
    "products": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }
    """,
    "inventory": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@requires"])
        type Product @key(fields: "upc") {
          upc: String!
          price: Int @external
          weight: Int @external
          inStock: Boolean
          shippingEstimate: Int @requires(fields: "price weight")
        }
    """,
}

SUPERGRAPH = supergraph_fixture("fetch_merging", SUBGRAPHS)


def test_a_requirement_s_fetch_also_carries_the_plain_fields_beside_it() -> None:
    assert_plan(
        SUPERGRAPH,
        "{ users { reviews { product { name shippingEstimate inStock } } } }",
        """
        QueryPlan {
          Sequence {
            Fetch(service: "accounts") {
              {
                users {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "users.@") {
              Fetch(service: "reviews") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    reviews {
                      product {
                        __typename
                        upc
                      }
                    }
                  }
                }
              },
            },
            Flatten(path: "users.@.reviews.@.product") {
              Fetch(service: "products") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    price
                    weight
                    name
                  }
                }
              },
            },
            Flatten(path: "users.@.reviews.@.product") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    price
                    weight
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                    inStock
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_the_plain_fields_first_join_the_requirement_s_fetch_too() -> None:
    # the same one call whichever field the client names first
    assert_plan(
        SUPERGRAPH,
        "{ users { reviews { product { inStock name shippingEstimate } } } }",
        """
        QueryPlan {
          Sequence {
            Fetch(service: "accounts") {
              {
                users {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "users.@") {
              Fetch(service: "reviews") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    reviews {
                      product {
                        __typename
                        upc
                      }
                    }
                  }
                }
              },
            },
            Flatten(path: "users.@.reviews.@.product") {
              Fetch(service: "products") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    price
                    weight
                    name
                  }
                }
              },
            },
            Flatten(path: "users.@.reviews.@.product") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    price
                    weight
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                    inStock
                  }
                }
              },
            },
          },
        }
        """,
    )
