"""Interfaces and unions whose implementations live in different subgraphs."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "products": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { products: [Product] search: [Result] }
        interface Product { id: ID! sku: String }
        type Book implements Product @key(fields: "id") { id: ID! sku: String }
        type Magazine implements Product @key(fields: "id") { id: ID! sku: String }
        union Result = Book | Magazine
    """,
    "books": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Book @key(fields: "id") { id: ID! title: String }
    """,
    "reviews": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        interface Product { id: ID! reviewsCount: Int }
        type Book implements Product @key(fields: "id") { id: ID! reviewsCount: Int }
        type Magazine implements Product @key(fields: "id") { id: ID! reviewsCount: Int }
    """,
}

SUPERGRAPH = supergraph_fixture("abstract_types", SUBGRAPHS)


def test_interface_field_spread_over_subgraphs_explodes_by_type() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { products { id sku reviewsCount ... on Book { title } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                products {
                  __typename
                  ... on Book {
                    id
                    sku
                    __typename
                  }
                  ... on Magazine {
                    id
                    sku
                    __typename
                  }
                }
              }
            },
            Parallel {
              Flatten(path: "products.@") {
                Fetch(service: "reviews") {
                  {
                    ... on Book {
                      __typename
                      id
                    }
                    ... on Magazine {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Book {
                      reviewsCount
                    }
                    ... on Magazine {
                      reviewsCount
                    }
                  }
                },
              },
              Flatten(path: "products.@") {
                Fetch(service: "books") {
                  {
                    ... on Book {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Book {
                      title
                    }
                  }
                },
              },
            },
          },
        }
        """,
    )


def test_union_members_jump_only_where_needed() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        { search { ... on Book { title } ... on Magazine { sku } } }
        """,
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                search {
                  __typename
                  ... on Book {
                    __typename
                    id
                  }
                  ... on Magazine {
                    sku
                  }
                }
              }
            },
            Flatten(path: "search.@") {
              Fetch(service: "books") {
                {
                  ... on Book {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Book {
                    title
                  }
                }
              },
            },
          },
        }
        """,
    )
