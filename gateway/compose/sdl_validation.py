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

from .errors import CompositionError, CompositionErrorCode
from .links import FederationLink

__all__ = ["strip_machinery", "validate_subgraph_sdl"]

_SUBGRAPH_TYPES = frozenset({"_Service", "_Entity", "_Any"})
_SUBGRAPH_FIELDS = frozenset({"_service", "_entities"})
_ANY = "_Simpul_Any"
# The federation directives, written for validation only: argument values are not
# checked by SDL validation, so every argument type is one placeholder scalar.
_DEFINITIONS: Mapping[str, str] = {
    "key": f"(fields: {_ANY}!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE",
    "requires": f"(fields: {_ANY}!) on FIELD_DEFINITION",
    "provides": f"(fields: {_ANY}!) on FIELD_DEFINITION",
    "external": "(reason: String) on OBJECT | FIELD_DEFINITION",
    "extends": "on OBJECT | INTERFACE",
    "tag": "(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION"
    " | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT"
    " | INPUT_FIELD_DEFINITION | SCHEMA",
    "shareable": "repeatable on OBJECT | FIELD_DEFINITION",
    "inaccessible": "on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION"
    " | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION",
    "override": "(from: String!, label: String) on FIELD_DEFINITION",
    "composeDirective": "(name: String!) repeatable on SCHEMA",
    "interfaceObject": "on OBJECT",
    "authenticated": "on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "requiresScopes": f"(scopes: {_ANY}!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "policy": f"(policies: {_ANY}!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "context": "(name: String!) repeatable on INTERFACE | OBJECT | UNION",
    "fromContext": f"(field: {_ANY}) on ARGUMENT_DEFINITION",
    "cost": "(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION"
    " | INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
    "listSize": f"(assumedSize: Int, slicingArguments: {_ANY}, sizedFields: {_ANY},"
    " requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
}
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
        name in _SUBGRAPH_TYPES
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
                    f for f in definition.fields or () if f.name.value not in _SUBGRAPH_FIELDS
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
    lines = [f"scalar {_ANY}"]
    for local, canonical in link.directives.items():
        if local not in defined:
            lines.append(f"directive @{local} {_DEFINITIONS[canonical]}")
    if link.link_name not in defined:
        lines.append(
            f"directive @{link.link_name}(url: String, as: String, for: {_ANY},"
            f" import: [{_ANY}]) repeatable on SCHEMA"
        )
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
