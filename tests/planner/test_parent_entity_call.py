"""A value type's fields spread over subgraphs: the parent field is fetched again from
the subgraph that completes the rest, through the parent entity's key or from the root."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "catalog": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { products: [Product] viewer: Viewer @shareable }
        type Product @key(fields: "id") { id: ID! category: Category @shareable }
        type Category @shareable { code: String }
        type Viewer @shareable { name: String }
    """,
    "stats": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { viewer: Viewer @shareable }
        type Product @key(fields: "id") { id: ID! category: Category @shareable }
        type Category @shareable { productCount: Int }
        type Viewer @shareable { visits: Int }
    """,
}

SUPERGRAPH = supergraph_fixture("parent_entity_call", SUBGRAPHS)


def test_value_type_fields_of_another_subgraph_come_through_the_parent_entity() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { category { code productCount } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "catalog") {
              {
                products {
                  category {
                    code
                  }
                  __typename
                  id
                }
              }
            },
            Flatten(path: "products.@") {
              Fetch(service: "stats") {
                {
                  ... on Product {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Product {
                    category {
                      productCount
                    }
                  }
                }
              },
            },
          },
        }
        """,
    )


def test_shared_root_value_type_is_fetched_from_each_subgraph() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { viewer { name visits } }
        """,
        """
        QueryPlan {
          Parallel {
            Fetch(service: "catalog") {
              {
                viewer {
                  name
                }
              }
            },
            Fetch(service: "stats") {
              {
                viewer {
                  visits
                }
              }
            },
          },
        }
        """,
    )


def test_a_conditional_fragment_goes_with_the_parent_entity_call() -> None:
    # the fragment's fields carry its condition into the other subgraph's fetch; before,
    # the fragment kept the selection whole and planning failed for the whole operation
    assert_plan(
        SUPERGRAPH,
        """
        query ($v: Boolean!) {
          products { category { code ... @include(if: $v) { productCount } } }
        }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "catalog") {
              {
                products {
                  category {
                    code
                  }
                  __typename
                  id
                }
              }
            },
            Flatten(path: "products.@") {
              Fetch(service: "stats") {
                {
                  ... on Product {
                    __typename
                    id
                  }
                } =>
                ($v:Boolean!) {
                  ... on Product {
                    category {
                      productCount @include(if: $v)
                    }
                  }
                }
              },
            },
          },
        }
        """,
    )
