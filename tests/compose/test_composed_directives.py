"""Composed directives where this composer differs from the reference on purpose: the
reference prints supergraphs that GraphQL validation rejects, this composer does not."""

from __future__ import annotations

import pytest

from gateway.compose import CompositionFailed, SubgraphSDL, compose
from gateway.specs.access_control import merge_requirements

HEADER = """
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@composeDirective"])
  @link(url: "https://example.dev/hello/v1.0", import: ["@hello"])
  @composeDirective(name: "@hello")
"""


def compose_all(**subgraphs: str) -> str:
    return compose(
        [SubgraphSDL(n, f"http://{n}/graphql", HEADER + s) for n, s in subgraphs.items()]
    )


def test_a_non_repeatable_composed_directive_keeps_its_first_application() -> None:
    sdl = compose_all(
        a="directive @hello(name: String) on OBJECT\ntype Query { t: T }\n"
        'type T @key(fields: "id") @hello(name: "a") { id: ID! }',
        b="directive @hello(name: String) on OBJECT\n"
        'type T @key(fields: "id") @hello(name: "b") { id: ID! x: Int }',
    )
    assert '@hello(name: "a")' in sdl
    assert '@hello(name: "b")' not in sdl


def test_argument_types_of_a_composed_directive_must_agree() -> None:
    with pytest.raises(CompositionFailed) as failure:
        compose_all(
            a="directive @hello(name: String) on FIELD_DEFINITION\ntype Query { x: Int @hello }",
            b="directive @hello(name: Int!) on FIELD_DEFINITION\n"
            "type Query { y: Int @hello(name: 1) }",
        )
    assert [e.code.value for e in failure.value.errors] == ["DIRECTIVE_COMPOSITION_ERROR"]
    assert 'argument "name" has type "String" in "a" but "Int!" in "b"' in str(failure.value)


def test_requirements_of_two_subgraphs_must_both_hold() -> None:
    assert merge_requirements((("b",), ("a",)), (("d",), ("c",))) == (
        ("a", "c"),
        ("a", "d"),
        ("b", "c"),
        ("b", "d"),
    )
    # (a and b) and (c or (a and b)) is (a and b).
    assert merge_requirements((("a", "b"),), (("c",), ("a", "b"))) == (("a", "b"),)
    assert merge_requirements((), (("z", "y"),)) == (("z", "y"),)
