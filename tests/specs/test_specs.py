"""The spec modules' readers, which the composer, the loader and the gateway share."""

from __future__ import annotations

import pytest
from graphql import ObjectTypeDefinitionNode, parse

from gateway.specs import access_control, context, cost, federation, join, link


def test_spec_urls_are_read_with_identity_and_version() -> None:
    spec = link.parse_url("https://specs.apollo.dev/federation/v2.9")
    assert spec == link.SpecUrl("https://specs.apollo.dev/federation", (2, 9))
    assert spec.name == "federation"
    assert link.parse_url("https://specs.apollo.dev/federation") is None
    assert link.apollo_spec("https://specs.apollo.dev/join/v0.5") == ("join", "0.5")
    assert link.apollo_spec("https://example.dev/join/v0.5") is None


def test_link_can_be_renamed() -> None:
    document = parse('schema @l(url: "https://specs.apollo.dev/link/v1.0", as: "l") { query: Q }')
    assert link.link_name(document) == "l"
    assert link.link_name(parse("type Query { a: Int }")) == "link"


def test_imports_keep_their_local_names() -> None:
    arguments = {"import": ["@key", {"name": "@shareable", "as": "@shared"}]}
    assert [link.import_names(i) for i in link.imports_of(arguments)] == [
        ("@key", "@key"),
        ("@shareable", "@shared"),
    ]


def test_federation_lends_the_other_specs_directives() -> None:
    assert federation.DIRECTIVES["listSize"] is cost.FEDERATION["listSize"]
    assert federation.DIRECTIVES["policy"] is access_control.FEDERATION["policy"]
    assert federation.DIRECTIVES["fromContext"].since == (2, 8)


def test_override_labels_are_names_or_percentages() -> None:
    assert federation.override_of({"from": "old", "label": "percent(20)"}) == (
        federation.Override("old", "percent(20)")
    )
    assert federation.valid_label("percent(100)") and federation.valid_label("beta")
    assert not federation.valid_label("percent(101)")
    assert federation.label_percent("percent(12.5)") == 12.5
    assert federation.label_percent("beta") is None
    assert federation.label_percent("percent(x)") is None


def test_context_references_name_the_context_and_the_selection() -> None:
    assert context.reference_of("$shop { currency }") == context.ContextReference(
        "shop", " { currency }"
    )
    assert context.reference_of("{ currency }") == context.ContextReference("", "{ currency }")


def test_demands_merge_and_print_as_the_supergraph_shows_them() -> None:
    merged = cost.merge_demands(
        cost.demand_of({"listSize": {"assumedSize": 5, "slicingArguments": ["first"]}}),
        cost.demand_of({"cost": {"weight": 3}, "listSize": {"slicingArguments": ["last"]}}),
    )
    names = {"cost": "weight", "listSize": "listSize"}
    assert cost.demand_text(merged, names) == [
        "@weight(weight: 3)",
        '@listSize(assumedSize: 5, slicingArguments: ["first", "last"])',
    ]
    texts = cost.supergraph_texts(names, [merged])
    assert texts is not None
    assert texts[0] == (
        '@link(url: "https://specs.apollo.dev/cost/v0.1", '
        'import: [{name: "@cost", as: "@weight"}, "@listSize"])'
    )
    assert cost.supergraph_texts(names, [cost.Demand()]) is None


def _applied(text: str) -> dict[str, object]:
    definition = parse(f"type T {text} {{ a: Int }}").definitions[0]
    assert isinstance(definition, ObjectTypeDefinitionNode)
    return link.arguments_of(definition.directives[0])


def test_join_applications_read_back_as_printed() -> None:
    graphs = {"a": "A", "b": "B"}
    field = join.JoinField(
        "A",
        requires="id",
        override="b",
        override_label="percent(5)",
        context_arguments=(("currency", "String", "a__shop", " { currency }"),),
    )
    assert join.join_field_of(_applied(join.join_field_text(field, graphs | {"A": "A"}))) == field
    type_ = join.JoinType("B", key="id", resolvable=False)
    assert join.join_type_of(_applied(join.join_type_text(type_, graphs | {"B": "B"}))) == type_


def test_join_arguments_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(join.JoinArgumentError, match="requires must be a string"):
        join.join_field_of({"graph": "A", "requires": 1})
    with pytest.raises(join.JoinArgumentError, match="contextArguments must be a list"):
        join.join_field_of({"graph": "A", "contextArguments": "x"})
