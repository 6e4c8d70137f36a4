"""How an operation with deferred fragments is split (gateway.defer): the initial operation
without them, and per fragment the fields leading to it and the fragment there."""

from __future__ import annotations

from graphql import OperationDefinitionNode, parse

from gateway.defer import MARKER, split_operation, strip_marker


def split(query: str, **variables: object) -> tuple[str, list[tuple[object, ...]]]:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    found = split_operation(document, operation, variables, 8)
    assert found is not None
    return found.initial, [(f.label, f.path, f.type_condition, f.query) for f in found.fragments]


def test_a_fragment_spread_deferred_below_a_list() -> None:
    initial, fragments = split(
        """
        query Ringkasan($tahun: Int!, $v: Boolean!) {
          opd @include(if: $v) { nama ...Anggaran @defer(label: "anggaran") }
        }
        fragment Anggaran on Opd { programs { pagu(tahun: $tahun) } }
        """
    )
    # the initial operation no longer declares $tahun: only the deferred one uses it
    assert initial == (
        "query Ringkasan($v: Boolean!) {\n"
        "  opd @include(if: $v) {\n"
        "    nama\n"
        f"    {MARKER}: __typename\n"
        "  }\n"
        "}"
    )
    [(label, path, condition, query)] = fragments
    assert (label, path, condition) == ("anggaran", ("opd",), "Opd")
    assert query == (
        "query Ringkasan($tahun: Int!, $v: Boolean!) {\n"
        "  opd @include(if: $v) {\n"
        f"    {MARKER}: __typename\n"
        "    ... on Opd {\n"
        "      programs {\n"
        "        pagu(tahun: $tahun)\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}"
    )


def test_a_fragment_deferred_inside_a_deferred_one_comes_with_it() -> None:
    _, fragments = split('{ a { ... @defer { b { ... @defer(label: "c") { c } } } } }')
    [(label, path, _, query)] = fragments
    assert (label, path) == (None, ("a",))
    assert "@defer" not in query and "c" in query


def test_defer_if_false_does_not_split() -> None:
    document = parse("query ($d: Boolean!) { a { ... @defer(if: $d) { b } } }")
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert split_operation(document, operation, {"d": False}, 8) is None


def test_the_marker_is_taken_out_everywhere() -> None:
    data = {"a": [{MARKER: "A", "b": {MARKER: "B", "c": 1}}], MARKER: "Query"}
    strip_marker(data)
    assert data == {"a": [{"b": {"c": 1}}]}


def test_past_the_limit_deferred_fragments_come_with_the_initial_part() -> None:
    document = parse("{ a { ... @defer { b } ... @defer { c } ... @defer { d } } }")
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    found = split_operation(document, operation, {}, 2)
    assert found is not None and len(found.fragments) == 2
    assert "d" in found.initial and "@defer" not in found.initial
    assert split_operation(document, operation, {}, 0) is None
