"""Enum and input types that differ between subgraphs: the API schema keeps what every
subgraph accepts, and the plan forwards arguments and variables unchanged."""

from gateway.api_schema import build_api_schema
from tests.planner.harness import assert_plan, supergraph_fixture

SUBGRAPHS = {
    "a": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { items(filter: Filter): [Item] }
        input Filter { status: Status limit: Int tag: String }
        enum Status { OPEN CLOSED ARCHIVED }
        enum Kind { BOOK FILM }
        type Item @key(fields: "id") { id: ID! kind: Kind @shareable }
    """,
    "b": """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
          import: ["@key", "@shareable"])
        type Query { count(filter: Filter): Int }
        input Filter { status: Status limit: Int }
        enum Status { OPEN CLOSED }
        enum Kind { BOOK SONG }
        type Item @key(fields: "id") {
          id: ID! kind: Kind @shareable related(status: Status): [Item]
        }
    """,
}

SUPERGRAPH = supergraph_fixture("enums_and_inputs", SUBGRAPHS)


def test_input_and_enum_arguments_are_forwarded_unchanged() -> None:
    assert_plan(
        SUPERGRAPH,
        """
        query ($f: Filter = {status: OPEN}) {
          items(filter: $f) { kind related(status: CLOSED) { id kind } }
          count(filter: {limit: 2})
        }
        """,
        """
        QueryPlan {
          Parallel {
            Sequence {
              Fetch(service: "a") {
                query ($f:Filter={ status: OPEN }) {
                  items(filter: $f) {
                    kind
                    __typename
                    id
                  }
                }
              },
              Flatten(path: "items.@") {
                Fetch(service: "b") {
                  {
                    ... on Item {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Item {
                      related(status: CLOSED) {
                        id
                        kind
                      }
                    }
                  }
                },
              },
            },
            Fetch(service: "b") {
              {
                count(filter: { limit: 2 })
              }
            },
          },
        }
        """,
    )


def test_api_schema_intersects_inputs_and_unites_output_enums() -> None:
    schema = build_api_schema(SUPERGRAPH)
    assert set(schema.type_map["Filter"].fields) == {"status", "limit"}  # type: ignore[union-attr]
    assert set(schema.type_map["Status"].values) == {"OPEN", "CLOSED"}  # type: ignore[union-attr]
    assert set(schema.type_map["Kind"].values) == {"BOOK", "FILM", "SONG"}  # type: ignore[union-attr]
