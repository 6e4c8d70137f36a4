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


# The same entities reached by several paths, as in the common gateway benchmarks: users and
# their reviews' products, top products and their reviewers' reviews' products.
MARKET = {
    "accounts": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { users: [User] }
        type User @key(fields: "id") { id: ID! name: String username: String }
    """,
    "reviews": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@provides"])
        type User @key(fields: "id") {
          id: ID!
          username: String @external
          reviews: [Review]
        }
        type Review @key(fields: "id") {
          id: ID!
          body: String
          product: Product
          author: User @provides(fields: "username")
        }
        type Product @key(fields: "upc") { upc: String! reviews: [Review] }
    """,
    "products": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { topProducts: [Product] }
        type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }
    """,
    "inventory": SUBGRAPHS["inventory"],
}

MARKET_SUPERGRAPH = supergraph_fixture("fetch_batching", MARKET)


MARKET_PLAN = """
QueryPlan {
  Sequence {
    Parallel {
      Fetch(service: "accounts") {
        {
          users {
            name
            __typename
            id
          }
        }
      },
      Fetch(service: "products") {
        {
          topProducts {
            name
            price
            weight
            __typename
            upc
          }
        }
      },
    },
    Parallel {
      Sequence {
        Batch(service: "reviews") {
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
                    body
                    product {
                      reviews {
                        author {
                          reviews {
                            product {
                              __typename
                              upc
                            }
                          }
                          __typename
                          id
                        }
                      }
                      __typename
                      upc
                    }
                  }
                }
              }
            },
          },
          Flatten(path: "topProducts.@") {
            Fetch(service: "reviews") {
              {
                ... on Product {
                  __typename
                  upc
                }
              } =>
              {
                ... on Product {
                  reviews {
                    author {
                      username
                      reviews {
                        product {
                          __typename
                          upc
                        }
                      }
                      __typename
                      id
                    }
                  }
                }
              }
            },
          },
        },
        Parallel {
          Sequence {
            Batch(service: "products") {
              Flatten(path: "users.@.reviews.@.product.reviews.@.author.reviews.@.product") {
                Fetch(service: "products") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      name
                      price
                      weight
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
                      name
                      price
                      weight
                    }
                  }
                },
              },
              Flatten(path: "topProducts.@.reviews.@.author.reviews.@.product") {
                Fetch(service: "products") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      name
                      price
                      weight
                    }
                  }
                },
              },
            },
            Batch(service: "inventory") {
              Flatten(path: "users.@.reviews.@.product.reviews.@.author.reviews.@.product") {
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
                    }
                  }
                },
              },
              Flatten(path: "topProducts.@.reviews.@.author.reviews.@.product") {
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
                    }
                  }
                },
              },
            },
          },
          Batch(service: "accounts") {
            Flatten(path: "users.@.reviews.@.product.reviews.@.author") {
              Fetch(service: "accounts") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    name
                  }
                }
              },
            },
            Flatten(path: "topProducts.@.reviews.@.author") {
              Fetch(service: "accounts") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    name
                  }
                }
              },
            },
          },
        },
      },
      Flatten(path: "topProducts.@") {
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
            }
          }
        },
      },
    },
  },
}
"""
"""Its golden plan (at the left margin: its paths are long)."""


def test_fetches_to_one_subgraph_ready_at_once_go_as_one_call_whatever_their_paths() -> None:
    # reviews are asked for the users' and the top products' at once, then products and
    # accounts for every place their entities sit, then inventory: 7 calls instead of 13;
    # the top products' inventory, ready with the reviews, runs beside them rather than
    # before them: four round-trips in a row, not five
    assert_plan(
        MARKET_SUPERGRAPH,
        """
        fragment P on Product { name price shippingEstimate }
        {
          users {
            name
            reviews {
              body
              product { ...P reviews { author { name reviews { product { ...P } } } } }
            }
          }
          topProducts { ...P reviews { author { username name reviews { product { ...P } } } } }
        }
        """,
        MARKET_PLAN,
    )
