"""The API-schema diff: each kind of change, its severity, code and path; and agreement with
graphql-core's ``find_breaking_changes`` on what breaks clients."""

from __future__ import annotations

import re

import pytest
from graphql import build_schema, find_breaking_changes, find_dangerous_changes

from gateway.check import ChangeCode, SchemaChange, Severity, diff_schemas

B, D, S = Severity.BREAKING, Severity.DANGEROUS, Severity.SAFE
C = ChangeCode

# (name, current SDL, proposed SDL, the one expected change as (severity, code, path))
CASES: list[tuple[str, str, str, tuple[Severity, ChangeCode, str]]] = [
    (
        "type removed",
        "type Query { a: Int } type Extra { x: Int }",
        "type Query { a: Int }",
        (B, C.TYPE_REMOVED, "Extra"),
    ),
    (
        "type added",
        "type Query { a: Int }",
        "type Query { a: Int } type New { x: Int }",
        (S, C.TYPE_ADDED, "New"),
    ),
    (
        "type kind changed",
        "type Query { a: T } type T { x: Int }",
        "type Query { a: T } interface T { x: Int }",
        (B, C.TYPE_KIND_CHANGED, "T"),
    ),
    (
        "field removed",
        "type Query { a: Int b: Int }",
        "type Query { a: Int }",
        (B, C.FIELD_REMOVED, "Query.b"),
    ),
    (
        "field added",
        "type Query { a: Int }",
        "type Query { a: Int b: String }",
        (S, C.FIELD_ADDED, "Query.b"),
    ),
    (
        "output non-null to nullable",
        "type Query { a: Int! }",
        "type Query { a: Int }",
        (B, C.FIELD_TYPE_CHANGED, "Query.a"),
    ),
    (
        "output nullable to non-null",
        "type Query { a: Int }",
        "type Query { a: Int! }",
        (S, C.FIELD_TYPE_CHANGED, "Query.a"),
    ),
    (
        "output list item non-null",
        "type Query { a: [Int] }",
        "type Query { a: [Int!]! }",
        (S, C.FIELD_TYPE_CHANGED, "Query.a"),
    ),
    (
        "output to a list",
        "type Query { a: Int }",
        "type Query { a: [Int] }",
        (B, C.FIELD_TYPE_CHANGED, "Query.a"),
    ),
    (
        "output named type",
        "type Query { a: Int }",
        "type Query { a: String }",
        (B, C.FIELD_TYPE_CHANGED, "Query.a"),
    ),
    (
        "interface field nullable",
        "type Query { n: N } interface N { id: ID! }",
        "type Query { n: N } interface N { id: ID }",
        (B, C.FIELD_TYPE_CHANGED, "N.id"),
    ),
    (
        "required argument added",
        "type Query { a: Int }",
        "type Query { a(x: Int!): Int }",
        (B, C.ARG_ADDED_REQUIRED, "Query.a(x:)"),
    ),
    (
        "optional argument added",
        "type Query { a: Int }",
        "type Query { a(x: Int): Int }",
        (D, C.ARG_ADDED_OPTIONAL, "Query.a(x:)"),
    ),
    (
        "non-null argument with a default added",
        "type Query { a: Int }",
        "type Query { a(x: Int! = 1): Int }",
        (D, C.ARG_ADDED_OPTIONAL, "Query.a(x:)"),
    ),
    (
        "argument removed",
        "type Query { a(x: Int): Int }",
        "type Query { a: Int }",
        (B, C.ARG_REMOVED, "Query.a(x:)"),
    ),
    (
        "argument nullable to non-null",
        "type Query { a(x: Int): Int }",
        "type Query { a(x: Int!): Int }",
        (B, C.ARG_TYPE_CHANGED, "Query.a(x:)"),
    ),
    (
        "argument non-null to nullable",
        "type Query { a(x: Int!): Int }",
        "type Query { a(x: Int): Int }",
        (S, C.ARG_TYPE_CHANGED, "Query.a(x:)"),
    ),
    (
        "argument named type",
        "type Query { a(x: Int): Int }",
        "type Query { a(x: String): Int }",
        (B, C.ARG_TYPE_CHANGED, "Query.a(x:)"),
    ),
    (
        "argument default changed",
        "type Query { a(x: Int = 1): Int }",
        "type Query { a(x: Int = 2): Int }",
        (D, C.ARG_DEFAULT_CHANGED, "Query.a(x:)"),
    ),
    (
        "argument default removed",
        "type Query { a(x: Int = 1): Int }",
        "type Query { a(x: Int): Int }",
        (D, C.ARG_DEFAULT_CHANGED, "Query.a(x:)"),
    ),
    (
        "input field added required",
        "type Query { a(i: I): Int } input I { x: Int }",
        "type Query { a(i: I): Int } input I { x: Int y: Int! }",
        (B, C.INPUT_FIELD_ADDED_REQUIRED, "I.y"),
    ),
    (
        "input field added optional",
        "type Query { a(i: I): Int } input I { x: Int }",
        "type Query { a(i: I): Int } input I { x: Int y: Int }",
        (S, C.INPUT_FIELD_ADDED_OPTIONAL, "I.y"),
    ),
    (
        "input field removed",
        "type Query { a(i: I): Int } input I { x: Int y: Int }",
        "type Query { a(i: I): Int } input I { x: Int }",
        (B, C.INPUT_FIELD_REMOVED, "I.y"),
    ),
    (
        "input field now required",
        "type Query { a(i: I): Int } input I { x: Int }",
        "type Query { a(i: I): Int } input I { x: Int! }",
        (B, C.INPUT_FIELD_TYPE_CHANGED, "I.x"),
    ),
    (
        "input field now optional",
        "type Query { a(i: I): Int } input I { x: Int! }",
        "type Query { a(i: I): Int } input I { x: Int }",
        (S, C.INPUT_FIELD_TYPE_CHANGED, "I.x"),
    ),
    (
        "input field default changed",
        'type Query { a(i: I): Int } input I { x: String = "a" }',
        'type Query { a(i: I): Int } input I { x: String = "b" }',
        (D, C.INPUT_FIELD_DEFAULT_CHANGED, "I.x"),
    ),
    (
        "input became oneOf",
        "type Query { a(i: I): Int } input I { x: Int y: Int }",
        "type Query { a(i: I): Int } input I @oneOf { x: Int y: Int }",
        (B, C.INPUT_ONE_OF_ADDED, "I"),
    ),
    (
        "enum value added",
        "type Query { e: E } enum E { A }",
        "type Query { e: E } enum E { A B }",
        (D, C.ENUM_VALUE_ADDED, "E.B"),
    ),
    (
        "enum value removed",
        "type Query { e: E } enum E { A B }",
        "type Query { e: E } enum E { A }",
        (B, C.ENUM_VALUE_REMOVED, "E.B"),
    ),
    (
        "union member added",
        "type Query { u: U } union U = A type A { a: Int } type B { b: Int }",
        "type Query { u: U } union U = A | B type A { a: Int } type B { b: Int }",
        (D, C.UNION_MEMBER_ADDED, "U"),
    ),
    (
        "union member removed",
        "type Query { u: U } union U = A | B type A { a: Int } type B { b: Int }",
        "type Query { u: U } union U = A type A { a: Int } type B { b: Int }",
        (B, C.UNION_MEMBER_REMOVED, "U"),
    ),
    (
        "interface implemented",
        "type Query { n: N a: A } interface N { id: ID } type A { id: ID }",
        "type Query { n: N a: A } interface N { id: ID } type A implements N { id: ID }",
        (D, C.INTERFACE_ADDED, "A"),
    ),
    (
        "interface no longer implemented",
        "type Query { n: N a: A } interface N { id: ID } type A implements N { id: ID }",
        "type Query { n: N a: A } interface N { id: ID } type A { id: ID }",
        (B, C.INTERFACE_REMOVED, "A"),
    ),
    (
        "field description",
        'type Query { "old" a: Int }',
        'type Query { "new" a: Int }',
        (S, C.DESCRIPTION_CHANGED, "Query.a"),
    ),
    (
        "type description",
        'type Query { a: Int } "x" type T { a: Int }',
        "type Query { a: Int } type T { a: Int }",
        (S, C.DESCRIPTION_CHANGED, "T"),
    ),
    (
        "field deprecated",
        "type Query { a: Int }",
        'type Query { a: Int @deprecated(reason: "use b") }',
        (S, C.DEPRECATION_ADDED, "Query.a"),
    ),
    (
        "field undeprecated",
        "type Query { a: Int @deprecated }",
        "type Query { a: Int }",
        (S, C.DEPRECATION_REMOVED, "Query.a"),
    ),
    (
        "deprecation reason",
        'type Query { a: Int @deprecated(reason: "x") }',
        'type Query { a: Int @deprecated(reason: "y") }',
        (S, C.DEPRECATION_REASON_CHANGED, "Query.a"),
    ),
    (
        "enum value deprecated",
        "type Query { e: E } enum E { A B }",
        "type Query { e: E } enum E { A B @deprecated }",
        (S, C.DEPRECATION_ADDED, "E.B"),
    ),
    (
        "argument deprecated",
        "type Query { a(x: Int): Int }",
        "type Query { a(x: Int @deprecated): Int }",
        (S, C.DEPRECATION_ADDED, "Query.a(x:)"),
    ),
    (
        "directive removed",
        "type Query { a: Int } directive @d on FIELD",
        "type Query { a: Int }",
        (B, C.DIRECTIVE_REMOVED, "@d"),
    ),
    (
        "directive added",
        "type Query { a: Int }",
        "type Query { a: Int } directive @d on FIELD",
        (S, C.DIRECTIVE_ADDED, "@d"),
    ),
    (
        "directive location removed",
        "type Query { a: Int } directive @d on FIELD | QUERY",
        "type Query { a: Int } directive @d on FIELD",
        (B, C.DIRECTIVE_LOCATION_REMOVED, "@d"),
    ),
    (
        "directive no longer repeatable",
        "type Query { a: Int } directive @d repeatable on FIELD",
        "type Query { a: Int } directive @d on FIELD",
        (B, C.DIRECTIVE_REPEATABLE_REMOVED, "@d"),
    ),
    (
        "directive required argument",
        "type Query { a: Int } directive @d on FIELD",
        "type Query { a: Int } directive @d(x: Int!) on FIELD",
        (B, C.ARG_ADDED_REQUIRED, "@d(x:)"),
    ),
    (
        "directive argument removed",
        "type Query { a: Int } directive @d(x: Int) on FIELD",
        "type Query { a: Int } directive @d on FIELD",
        (B, C.ARG_REMOVED, "@d(x:)"),
    ),
    (
        "root type renamed",
        "schema { query: Query } type Query { a: Int } type Root { a: Int }",
        "schema { query: Root } type Query { a: Int } type Root { a: Int }",
        (B, C.ROOT_TYPE_CHANGED, "Query"),
    ),
]


def changes(current: str, proposed: str) -> tuple[SchemaChange, ...]:
    return diff_schemas(build_schema(current), build_schema(proposed))


@pytest.mark.parametrize(
    ("current", "proposed", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_change_is_classified(
    current: str, proposed: str, expected: tuple[Severity, ChangeCode, str]
) -> None:
    found = [(c.severity, c.code, c.path) for c in changes(current, proposed)]
    assert found == [expected]


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


@pytest.mark.parametrize(
    ("current", "proposed"), [c[1:3] for c in CASES], ids=[c[0] for c in CASES]
)
def test_graphql_core_breaking_changes_are_breaking_here(current: str, proposed: str) -> None:
    ours = changes(current, proposed)
    old, new = build_schema(current), build_schema(proposed)
    for theirs in find_breaking_changes(old, new):
        if theirs.description.startswith("Standard scalar"):
            # A built-in scalar no field uses any more: the change that stopped using it
            # is the one that matters, and it is reported.
            continue
        # The same element: every part of our path is named in graphql-core's description.
        assert any(c.severity is B and words(c.path) <= words(theirs.description) for c in ours), (
            theirs.description
        )
    for theirs in find_dangerous_changes(old, new):
        if theirs.type.name == "OPTIONAL_INPUT_FIELD_ADDED":
            continue  # safe here on purpose: a client not sending it sends what it sent
        assert any(c.severity is D and words(c.path) <= words(theirs.description) for c in ours), (
            theirs.description
        )


def test_no_change_between_equal_schemas() -> None:
    sdl = 'type Query { a(x: Int = 1): [A!]! } "An A" type A { id: ID! e: E } enum E { X Y }'
    assert changes(sdl, sdl) == ()


def test_a_rename_is_a_removal_and_an_addition() -> None:
    found = changes("type Query { price: Int }", "type Query { harga: Int }")
    assert [(c.severity, c.code, c.path) for c in found] == [
        (B, C.FIELD_REMOVED, "Query.price"),
        (S, C.FIELD_ADDED, "Query.harga"),
    ]


def test_changes_come_breaking_first() -> None:
    found = changes(
        "type Query { a: Int b: Int e: E } enum E { A }",
        "type Query { a: Int c: Int e: E } enum E { A B }",
    )
    assert [c.severity for c in found] == [B, D, S]


def test_default_values_compare_as_introspection_shows_them() -> None:
    current = "type Query { a(i: I = {x: 1, y: 2}): Int } input I { x: Int y: Int }"
    proposed = "type Query { a(i: I = {y: 2, x: 1}): Int } input I { x: Int y: Int }"
    assert changes(current, proposed) == ()


def test_messages_name_the_element_and_the_consequence() -> None:
    (change,) = changes("type Query { a: Int! }", "type Query { a: Int }")
    assert change.message == (
        "Field 'Query.a' changed type from Int! to Int: it can now be null, and clients "
        "written for a value may fail on null."
    )
    (change,) = changes("type Query { a: Int }", "type Query { a(first: Int!): Int }")
    assert "Query.a(first:)" in change.message and "Give it a default value" in change.message


def test_built_in_scalars_falling_out_of_use_are_not_changes() -> None:
    found = changes("type Query { a: Float b: Int }", "type Query { b: Int }")
    assert [(c.code, c.path) for c in found] == [(C.FIELD_REMOVED, "Query.a")]
