"""@requires: the required fields are fetched first and travel in the representation."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "products": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { products: [Product] }
        type Product @key(fields: "upc") {
          upc: String!
          weight(unit: String = "kg"): Int
          price: Int
          dimensions: Dimensions
        }
        type Dimensions { size: Int unit: String }
    """,
    "inventory": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@requires"])
        type Product @key(fields: "upc") {
          upc: String!
          weight(unit: String = "kg"): Int @external
          price: Int @external
          dimensions: Dimensions @external
          shippingEstimate: Int @requires(fields: "price weight(unit: \\"lb\\")")
          packaging: String @requires(fields: "dimensions { size }")
        }
        type Dimensions { size: Int @external }
    """,
    "shipping": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@external", "@requires"])
        type Product @key(fields: "upc") {
          upc: String!
          shippingEstimate: Int @external
          label: String @requires(fields: "shippingEstimate")
        }
    """,
}

SUPERGRAPH = supergraph_fixture("requires", SUBGRAPHS)


def test_required_fields_travel_in_the_representation() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { upc shippingEstimate } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                products {
                  upc
                  price
                  weight(unit: "lb")
                  __typename
                }
              }
            },
            Flatten(path: "products.@") {
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
        }
        """,
    )


def test_nested_requirement_selects_a_sub_object() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { packaging weight } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                products {
                  weight
                  dimensions {
                    size
                  }
                  __typename
                  upc
                }
              }
            },
            Flatten(path: "products.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    dimensions {
                      size
                    }
                  }
                } =>
                {
                  ... on Product {
                    packaging
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_requirement_with_arguments_does_not_clash_with_the_clients_field() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { weight(unit: "g") shippingEstimate } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                products {
                  weight(unit: "g")
                  price
                  _weight1: weight(unit: "lb")
                  __typename
                  upc
                }
              }
            },
            Flatten(path: "products.@") {
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
        }
        """,
    )


def test_chain_of_requires_runs_in_order() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { label } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                products {
                  price
                  weight(unit: "lb")
                  __typename
                  upc
                }
              }
            },
            Flatten(path: "products.@") {
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
            Flatten(path: "products.@") {
              Fetch(service: "shipping") {
                {
                  ... on Product {
                    __typename
                    upc
                    shippingEstimate
                  }
                } =>
                {
                  ... on Product {
                    label
                  }
                }
              },
            },
          },
        }
        """,
    )
