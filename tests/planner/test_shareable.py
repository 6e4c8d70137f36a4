"""@shareable fields are read from the fetch already under way, saving a jump."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "a": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { products: [Product] @shareable }
        type Product @key(fields: "id") { id: ID! name: String @shareable price: Int }
    """,
    "b": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { products: [Product] @shareable }
        type Product @key(fields: "id") { id: ID! name: String @shareable stock: Int }
    """,
}

SUPERGRAPH = supergraph_fixture("shareable", SUBGRAPHS)


def test_shareable_field_comes_with_the_fetch_already_made() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { name price } }
        """,
        """
        QueryPlan {
          Fetch(service: "a") {
            {
              products {
                name
                price
              }
            }
          },
        }
        """,
    )


def test_shared_root_field_goes_where_most_fields_are() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { name stock } }
        """,
        """
        QueryPlan {
          Fetch(service: "b") {
            {
              products {
                name
                stock
              }
            }
          },
        }
        """,
    )


def test_field_of_the_other_subgraph_jumps_once() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { name stock price } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "a") {
              {
                products {
                  name
                  price
                  __typename
                  id
                }
              }
            },
            Flatten(path: "products.@") {
              Fetch(service: "b") {
                {
                  ... on Product {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Product {
                    stock
                  }
                }
              },
            },
          },
        }
        """,
    )
