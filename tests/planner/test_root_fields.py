"""Root fields spread over subgraphs: one fetch per subgraph, run in parallel."""

from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "accounts": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { me: User }
        type User @key(fields: "id") { id: ID! name: String }
    """,
    "products": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { topProducts(first: Int = 5): [Product] product(upc: String!): Product }
        type Product @key(fields: "upc") { upc: String! name: String }
    """,
}

SUPERGRAPH = supergraph_fixture("root_fields", SUBGRAPHS)


def test_root_fields_of_two_subgraphs_run_in_parallel() -> None:
    assert_plan(
        SUPERGRAPH,
        "{ me { name } topProducts { name } }",
        """
        QueryPlan {
          Parallel {
            Fetch(service: "accounts") {
              {
                me {
                  name
                }
              }
            },
            Fetch(service: "products") {
              {
                topProducts {
                  name
                }
              }
            },
          },
        }
        """,
    )


def test_root_fields_of_one_subgraph_share_a_fetch_with_aliases_and_variables() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        query ($upc: String!) {
          first: product(upc: $upc) { name }
          top: topProducts(first: 2) { upc }
        }
        """,
        """
        QueryPlan {
          Fetch(service: "products") {
            query ($upc:String!) {
              first: product(upc: $upc) {
                name
              }
              top: topProducts(first: 2) {
                upc
              }
            }
          },
        }
        """,
    )
