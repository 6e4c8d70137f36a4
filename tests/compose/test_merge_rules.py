"""Merge rules checked directly, including where Apollo's rules accept more than the
reference composer: nullability inside nested lists, and in input types."""

from __future__ import annotations

import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType

from gateway.compose import CompositionFailed, SubgraphSDL, compose
from gateway.supergraph import Supergraph, load_supergraph

LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])\n'
)


def composed(**subgraphs: str) -> Supergraph:
    sdl = compose([SubgraphSDL(n, f"http://{n}/graphql", LINK + s) for n, s in subgraphs.items()])
    return load_supergraph(sdl)


def output_type(supergraph: Supergraph, type_name: str, field: str) -> str:
    parent = supergraph.schema.get_type(type_name)
    assert isinstance(parent, GraphQLObjectType)
    return str(parent.fields[field].type)


def test_output_types_merge_to_the_most_general_even_inside_nested_lists() -> None:
    supergraph = composed(
        a="type Query { grid: [[Int!]!] @shareable }",
        b="type Query { grid: [[Int]] @shareable }",
    )
    assert output_type(supergraph, "Query", "grid") == "[[Int]]"
    sources = supergraph.types["Query"].fields["grid"].sources
    assert {(s.subgraph, s.type) for s in sources} == {("a", "[[Int!]!]"), ("b", "[[Int]]")}


def test_an_implementation_merges_into_its_interface() -> None:
    supergraph = composed(
        a="type Query { node: Node @shareable }\ninterface Node { id: ID! }\n"
        "type Book implements Node @shareable { id: ID! }",
        b="type Query { node: Book @shareable }\ntype Book @shareable { id: ID! }",
    )
    assert output_type(supergraph, "Query", "node") == "Node"


def test_input_types_merge_to_the_most_specific() -> None:
    supergraph = composed(
        a="type Query { a(i: In, n: Int): Int @shareable }\ninput In { x: Int = 1 y: [String!] }",
        b="type Query { b(i: In): Int a(i: In, n: Int!): Int @shareable }\n"
        "input In { x: Int! = 1 y: [String] }",
    )
    query = supergraph.schema.query_type
    assert query is not None
    assert str(query.fields["a"].args["n"].type) == "Int!"
    in_type = supergraph.schema.get_type("In")
    assert isinstance(in_type, GraphQLInputObjectType)
    assert {n: str(f.type) for n, f in in_type.fields.items()} == {"x": "Int!", "y": "[String!]"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("[Int]", "Int"),
        ("String", "Int"),
        ("[[Int]]", "[Int]"),
    ],
)
def test_incompatible_output_types(a: str, b: str) -> None:
    with pytest.raises(CompositionFailed) as failure:
        composed(a=f"type Query {{ f: {a} @shareable }}", b=f"type Query {{ f: {b} @shareable }}")
    assert [e.code.value for e in failure.value.errors] == ["FIELD_TYPE_MISMATCH"]
    assert f'type "{a}" in subgraph "a" but type "{b}" in subgraph "b"' in str(failure.value)


def test_argument_default_values_must_agree() -> None:
    with pytest.raises(CompositionFailed) as failure:
        composed(
            a="type Query { f(n: Int = 1): Int @shareable }",
            b="type Query { f(n: Int = 2): Int @shareable }",
        )
    assert [e.code.value for e in failure.value.errors] == ["FIELD_ARGUMENT_DEFAULT_MISMATCH"]
    assert 'Argument "Query.f(n:)"' in failure.value.errors[0].message


def test_input_only_enum_keeps_common_values_and_output_only_enum_all() -> None:
    supergraph = composed(
        a="type Query { find(k: Kind): Int s: State @shareable }\n"
        "enum Kind { A B }\nenum State { ON OFF }",
        b="type Query { other(k: Kind): Int s: State @shareable }\n"
        "enum Kind { B C }\nenum State { ON BROKEN }",
    )
    values = {
        name: sorted(getattr(supergraph.schema.get_type(name), "values", {}))
        for name in ("Kind", "State")
    }
    assert values == {"Kind": ["B"], "State": ["BROKEN", "OFF", "ON"]}


def test_the_description_most_subgraphs_give_is_kept_ties_to_the_first_by_name() -> None:
    supergraph = composed(
        c='"""owned here"""\ntype Query { x: Wilayah @shareable }\n'
        '"""A kelurahan."""\ntype Wilayah @shareable { """its code""" kode: String nama: String }',
        a="type Query { x: Wilayah @shareable }\n"
        '"""Its schools."""\ntype Wilayah @shareable { kode: String nama: String }',
        b="type Query { x: Wilayah @shareable }\n"
        '"""A kelurahan."""\ntype Wilayah @shareable { """the code""" kode: String nama: String }',
        d="type Query { x: Wilayah @shareable }\n"
        'type Wilayah @shareable { kode: String """""" nama: String }',
    )
    wilayah = supergraph.schema.get_type("Wilayah")
    assert isinstance(wilayah, GraphQLObjectType)
    assert wilayah.description == "A kelurahan."  # two subgraphs against one
    assert wilayah.fields["kode"].description == "the code"  # a tie: b before c
    # an empty description only when no subgraph gives another
    assert (wilayah.fields["nama"].description or "") == ""


def test_merge_descriptions_prefers_any_text_to_an_empty_one() -> None:
    from gateway.compose.descriptions import merge_descriptions

    assert merge_descriptions([None, "", "", "x"]) == "x"
    assert merge_descriptions([None, ""]) == ""
    assert merge_descriptions([None, None]) is None
    assert merge_descriptions(["b", "a", "a", "b"]) == "b"
