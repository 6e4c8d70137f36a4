"""The spec modules' readers, which the composer, the loader and the gateway share."""

from __future__ import annotations

from graphql import parse

from gateway.specs import access_control, context, cost, federation, link


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


def test_list_sizes_merge_and_print_as_the_supergraph_shows_them() -> None:
    merged = cost.merge_list_sizes(
        cost.ListSize(assumed_size=5, slicing_arguments=("first",)),
        cost.ListSize(assumed_size=10, slicing_arguments=("last",)),
    )
    assert merged is not None
    assert cost.list_size_text(merged) == '(assumedSize: 10, slicingArguments: ["first", "last"])'
    names = {"cost": "cost", "listSize": "listSize"}
    assert cost.link_text(names, cost=True, list_size=True) == (
        '@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])'
    )
