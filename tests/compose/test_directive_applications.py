"""The directives the supergraph keeps for the router, against the reference composer.

The API schema leaves them out and the join metadata does not hold them, so the
differential tests cannot see a dropped ``@requiresScopes`` or a wrong ``@cost`` weight:
here both supergraphs are parsed and must apply the same directives, with the same
arguments, at the same coordinates, define them alike, and link the same specs.
"""

from __future__ import annotations

import json

import pytest
from graphql import (
    ConstDirectiveNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    InputValueDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from tests.compose.reference import Reference
from tests.compose.sets import DIRECTIVE_SETS, VALID_SETS
from tests.compose.test_differential import compose_set

Application = tuple[str, str, str]
"""``(coordinate, directive, arguments as sorted JSON)``."""

# Directives the other tests already compare, through the API schema or the join metadata.
_COMPARED_ELSEWHERE = ("join__", "link", "deprecated", "specifiedBy")


def _arguments(directive: ConstDirectiveNode) -> str:
    values = {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}
    return json.dumps(values, sort_keys=True)


def _applied(coordinate: str, node: object) -> set[Application]:
    return {
        (coordinate, d.name.value, _arguments(d))
        for d in getattr(node, "directives", None) or ()
        if not d.name.value.startswith(_COMPARED_ELSEWHERE)
    }


def applications(document: DocumentNode) -> set[Application]:
    """Every kept directive applied to a type, field, argument, input field or enum value."""
    found: set[Application] = set()
    for definition in document.definitions:
        if not isinstance(definition, TypeDefinitionNode):
            continue
        name = definition.name.value
        found |= _applied(name, definition)
        if isinstance(definition, EnumTypeDefinitionNode):
            for value in definition.values or ():
                found |= _applied(f"{name}.{value.name.value}", value)
        for field in getattr(definition, "fields", None) or ():
            found |= _applied(f"{name}.{field.name.value}", field)
            if isinstance(field, FieldDefinitionNode):
                for argument in field.arguments or ():
                    coordinate = f"{name}.{field.name.value}({argument.name.value}:)"
                    found |= _applied(coordinate, argument)
    return found


def _argument_definition(argument: InputValueDefinitionNode) -> str:
    default = argument.default_value
    return f"{argument.name.value}: {print_ast(argument.type)}" + (
        f" = {print_ast(default)}" if default is not None else ""
    )


def definitions(document: DocumentNode) -> set[tuple[str, frozenset[str], bool, frozenset[str]]]:
    """The kept directives' definitions: name, arguments, repeatable, locations."""
    return {
        (
            d.name.value,
            frozenset(_argument_definition(a) for a in d.arguments or ()),
            d.repeatable,
            frozenset(location.value for location in d.locations),
        )
        for d in document.definitions
        if isinstance(d, DirectiveDefinitionNode)
        and not d.name.value.startswith(_COMPARED_ELSEWHERE)
    }


def links(document: DocumentNode) -> set[str]:
    """The ``@link``s on the schema, each with its arguments, but the join spec's: its
    version follows the subgraphs' federation versions in the reference, and its metadata
    is compared by the differential tests."""
    return {
        _arguments(d)
        for definition in document.definitions
        if isinstance(definition, SchemaDefinitionNode)
        for d in definition.directives or ()
        if d.name.value == "link" and "/join/" not in _arguments(d)
    }


@pytest.mark.parametrize("name", DIRECTIVE_SETS)
def test_kept_directives_match_the_reference(name: str, references: dict[str, Reference]) -> None:
    reference_sdl = references[name].sdl
    assert reference_sdl is not None, references[name].errors
    ours, reference = parse(compose_set(VALID_SETS[name])), parse(reference_sdl)
    assert applications(ours) == applications(reference)
    assert definitions(ours) == definitions(reference)
    assert links(ours) == links(reference)


def test_the_comparison_sees_the_kept_directives(references: dict[str, Reference]) -> None:
    # A set whose directives the comparison skipped would pass whatever we printed.
    for name in DIRECTIVE_SETS:
        reference_sdl = references[name].sdl
        assert reference_sdl is not None
        assert applications(parse(reference_sdl)) or name == "fed2/linked_spec_not_composed"
