"""Removing the federation machinery from a subgraph SDL, and checking what is left is a
valid GraphQL schema (``INVALID_GRAPHQL`` otherwise).

graphql-core validates; federation's allowances are made first: a type may be extended
without being defined here (the definition lives in another subgraph), the federation
directives are defined under the names the subgraph gave them, and a subgraph may have no
query fields of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from graphql import (
    DefinitionNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
    parse,
    validate_schema,
)
from graphql.validation.validate import validate_sdl

from ..specs import federation
from ..specs.link import ANY_VALUE, subgraph_definition
from .errors import CompositionError, CompositionErrorCode
from .links import FederationLink

__all__ = ["strip_machinery", "validate_subgraph_sdl"]

_AS_DEFINITION: Mapping[type, type] = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
    UnionTypeExtensionNode: UnionTypeDefinitionNode,
    EnumTypeExtensionNode: EnumTypeDefinitionNode,
    InputObjectTypeExtensionNode: InputObjectTypeDefinitionNode,
    ScalarTypeExtensionNode: ScalarTypeDefinitionNode,
}


def _query_root(document: DocumentNode) -> str:
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            for operation in definition.operation_types:
                if operation.operation.value == "query":
                    return operation.type.name.value
    return "Query"


def _is_machinery(name: str, link: FederationLink) -> bool:
    return (
        name in federation.SUBGRAPH_TYPES
        or name in link.spec_types
        or any(name.startswith(f"{prefix}__") for prefix in link.prefixes)
    )


def strip_machinery(document: DocumentNode, link: FederationLink) -> DocumentNode:
    """The subgraph's own schema: no ``_service``/``_entities``, no spec definitions."""
    query = _query_root(document)
    definitions: list[DefinitionNode] = []
    emptied = False
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            name = definition.name.value
            if name in link.directives or name == link.link_name or _is_machinery(name, link):
                continue
        elif isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            if _is_machinery(definition.name.value, link):
                continue
            if definition.name.value == query and isinstance(
                definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode
            ):
                fields = tuple(
                    f
                    for f in definition.fields or ()
                    if f.name.value not in federation.SUBGRAPH_FIELDS
                )
                if not fields and definition.fields:
                    emptied = True
                    continue
                definition = replace(definition, fields=fields)
        definitions.append(definition)
    if emptied and not any(
        isinstance(d, ObjectTypeDefinitionNode | ObjectTypeExtensionNode) and d.name.value == query
        for d in definitions
    ):
        # Only the federation fields were there: the subgraph has no query root of its own.
        definitions = [_without_query_root(d) for d in definitions]
    return DocumentNode(definitions=tuple(definitions))


def _without_query_root(definition: DefinitionNode) -> DefinitionNode:
    if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
        operations = tuple(
            o for o in definition.operation_types or () if o.operation.value != "query"
        )
        return replace(definition, operation_types=operations)
    return definition


def _as_definition(node: TypeExtensionNode) -> TypeDefinitionNode:
    kind = _AS_DEFINITION[type(node)]
    values: dict[str, Any] = {k: getattr(node, k) for k in node.keys if k != "loc"}
    result: TypeDefinitionNode = kind(description=None, **values)
    return result


def _prelude(link: FederationLink, defined: set[str]) -> list[DefinitionNode]:
    lines = [f"scalar {ANY_VALUE}"]
    for local, canonical in link.directives.items():
        if local not in defined:
            lines.append(f"directive @{local} {federation.DIRECTIVES[canonical].validation}")
    if link.link_name not in defined:
        lines.append(subgraph_definition(link.link_name))
    return list(parse("\n".join(lines)).definitions)


def validate_subgraph_sdl(
    subgraph: str, document: DocumentNode, link: FederationLink
) -> list[CompositionError]:
    """``INVALID_GRAPHQL`` errors for what makes the subgraph an invalid GraphQL schema."""
    defined_types = {
        d.name.value for d in document.definitions if isinstance(d, TypeDefinitionNode)
    }
    definitions: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, TypeExtensionNode) and definition.name.value not in defined_types:
            # Extending a type defined in another subgraph is what federation is about.
            definitions.append(_as_definition(definition))
            defined_types.add(definition.name.value)
        else:
            definitions.append(definition)
    defined_directives = {
        d.name.value for d in document.definitions if isinstance(d, DirectiveDefinitionNode)
    }
    full = DocumentNode(definitions=(*_prelude(link, defined_directives), *definitions))
    errors: list[GraphQLError] = list(validate_sdl(full))
    if not errors:
        schema = build_ast_schema(full, assume_valid_sdl=True)
        errors = [
            e for e in validate_schema(schema) if e.message != "Query root type must be provided."
        ]
    return [
        CompositionError(CompositionErrorCode.INVALID_GRAPHQL, f"[{subgraph}] {e.message}")
        for e in errors
    ]
