"""Loading supergraphs: valid ones load whole, invalid ones are rejected with a location."""

from __future__ import annotations

import pytest

from gateway.supergraph import SupergraphError, load_supergraph

VALID = """
schema @link(url: "https://specs.apollo.dev/link/v1.0")
       @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
  query: Query
}
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet,
  type: String, external: Boolean, override: String, usedOverridden: Boolean)
  repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false,
  resolvable: Boolean! = true, isInterfaceObject: Boolean! = false)
  repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])
  repeatable on SCHEMA
scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
enum join__Graph {
  A @join__graph(name: "a", url: "http://a")
  B @join__graph(name: "b", url: "http://b")
}
type Query @join__type(graph: A) @join__type(graph: B) {
  products: [Product] @join__field(graph: A)
}
type Product @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
  id: ID!
  name: String @join__field(graph: A)
  price: Int @join__field(graph: B)
}
"""


def test_valid_supergraph_loads_subgraphs_keys_and_field_sources() -> None:
    supergraph = load_supergraph(VALID)
    assert {s.name for s in supergraph.subgraphs.values()} == {"a", "b"}
    product = supergraph.types["Product"]
    assert [(k.subgraph, k.fields) for k in product.keys] == [("a", "id"), ("b", "id")]
    assert [s.subgraph for s in product.fields["price"].sources] == ["b"]
    assert [s.subgraph for s in product.fields["id"].sources] == ["a", "b"]


def test_syntax_error_names_line_and_column() -> None:
    with pytest.raises(SupergraphError) as caught:
        load_supergraph(VALID.replace("name: String @join", "name String @join"))
    assert caught.value.line == 27
    assert "syntax error" in caught.value.message


def test_unknown_graph_is_rejected_at_its_line() -> None:
    with pytest.raises(SupergraphError) as caught:
        load_supergraph(
            VALID.replace("price: Int @join__field(graph: B)", "price: Int @join__field(graph: C)")
        )
    assert caught.value.line == 28
    assert "unknown graph 'C'" in caught.value.message


def test_key_selecting_a_missing_field_is_rejected() -> None:
    with pytest.raises(SupergraphError, match=r"key selects unknown field Product\.sku"):
        load_supergraph(
            VALID.replace('key: "id") @join__type(graph: B', 'key: "sku") @join__type(graph: B')
        )


def test_plain_schema_is_not_a_supergraph() -> None:
    with pytest.raises(SupergraphError, match="no @link"):
        load_supergraph("type Query { a: Int }")
