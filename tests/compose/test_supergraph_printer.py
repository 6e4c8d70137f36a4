"""The printed supergraph: link v1.0 and join v0.5 with their definitions, the graph enum,
the linked specs a supergraph uses, and what it records where the reference composer
records less."""

from __future__ import annotations

import pytest
from graphql import parse

from gateway.compose import SubgraphSDL, compose
from gateway.compose.supergraph_printer import graph_enum_values
from gateway.supergraph import load_supergraph

FED2 = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: {})\n'


def supergraph(**subgraphs: str) -> str:
    return compose([SubgraphSDL(n, f"http://{n}.svc/graphql", s) for n, s in subgraphs.items()])


@pytest.mark.parametrize(
    ("names", "values"),
    [
        (["products"], ["PRODUCTS"]),
        (["dinas-kesehatan", "2nd.registry"], ["DINAS_KESEHATAN", "_2ND_REGISTRY"]),
        (["a-b", "a_b", "A.B"], ["A_B_1", "A_B_2", "A_B_3"]),
    ],
)
def test_graph_enum_values(names: list[str], values: list[str]) -> None:
    assert list(graph_enum_values(names).values()) == values


def test_link_and_join_v05_with_every_definition() -> None:
    sdl = supergraph(a="type Query { a: Int }")
    loaded = load_supergraph(sdl)
    assert loaded.join_version == "0.5"
    defined = {getattr(d, "name", None) and d.name.value for d in parse(sdl).definitions}
    for name in (
        "join__field",
        "join__type",
        "join__graph",
        "join__implements",
        "join__unionMember",
        "join__enumValue",
        "join__directive",
        "link",
        "join__Graph",
        "join__FieldSet",
        "join__ContextArgument",
        "link__Import",
        "link__Purpose",
    ):
        assert name in defined, name
    assert loaded.subgraphs["a"].url == "http://a.svc/graphql"
    assert "tag__" not in sdl and "@inaccessible" not in sdl


def test_tag_and_inaccessible_specs_are_linked_when_used() -> None:
    sdl = supergraph(
        a=FED2.format('["@tag", "@inaccessible"]')
        + 'type Query { a: Int @tag(name: "public") b: Int @inaccessible }'
    )
    assert '@link(url: "https://specs.apollo.dev/tag/v0.3")' in sdl
    assert '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)' in sdl
    assert 'a: Int @tag(name: "public")' in sdl
    assert "b: Int @inaccessible" in sdl


def test_root_field_types_differing_between_subgraphs_are_recorded() -> None:
    # The reference composer leaves `type:` out on root fields; the planner wants it.
    sdl = supergraph(
        a=FED2.format('["@shareable"]') + "type Query { count: Int! @shareable }",
        b=FED2.format('["@shareable"]') + "type Query { count: Int @shareable }",
    )
    sources = load_supergraph(sdl).types["Query"].fields["count"].sources
    assert {(s.subgraph, s.type) for s in sources} == {("a", "Int!"), ("b", "Int")}
    assert "count: Int @join__field" in sdl


def test_descriptions_and_deprecations_are_kept() -> None:
    sdl = supergraph(
        a='"""The root."""\ntype Query {\n  "Old." a(x: Int = 1 @deprecated): Int '
        '@deprecated(reason: "use b")\n  b: Int\n}'
    )
    assert '"""The root."""\ntype Query' in sdl
    assert '  """Old."""\n  a(x: Int = 1 @deprecated): Int' in sdl
    assert '@deprecated(reason: "use b")' in sdl


def test_external_fields_of_an_interface_object_stay_external() -> None:
    # The reference composer drops `external` here, which would send `name` to `b`.
    sdl = supergraph(
        a=FED2.format('["@key"]') + "type Query { accounts: [Account] }\n"
        'interface Account @key(fields: "id") { id: ID! name: String }\n'
        'type Person implements Account @key(fields: "id") { id: ID! name: String }',
        b=FED2.format('["@key", "@interfaceObject", "@external", "@requires"]')
        + 'type Account @key(fields: "id") @interfaceObject {\n'
        '  id: ID! name: String @external greeting: String @requires(fields: "name")\n'
        "}",
    )
    account = load_supergraph(sdl).types["Account"]
    assert {(s.subgraph, s.external) for s in account.fields["name"].sources} == {
        ("a", False),
        ("b", True),
    }
    assert "greeting: String @join__field\n" in sdl  # on Person, from the interface object
