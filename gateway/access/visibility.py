"""The API schema as one caller may see it, for introspection.

Introspection shows a caller what it may query, not the fields authorization would answer
with ``UNAUTHORIZED_FIELD_OR_TYPE``: a field the caller may not reach is left out, with
whatever then has nothing left (a type whose every field went, a field whose type or
argument type went, a union with no members), until nothing changes; then the types no
root reaches any more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    get_named_type,
    parse,
    print_schema,
    validate_schema,
)

__all__ = ["pruned_schema"]


def pruned_schema(
    schema: GraphQLSchema, hidden_types: Iterable[str], hidden_fields: Iterable[tuple[str, str]]
) -> GraphQLSchema | None:
    """``schema`` without the hidden types and fields and what depended on them only;
    ``None`` if not even a query type would be left."""
    removed_types = set(hidden_types)
    removed_fields = set(hidden_fields)
    document = parse(print_schema(schema), no_location=True)
    while True:
        pruned = _prune(document, removed_types, removed_fields)
        emptied = {d.name.value for d in pruned.definitions if _empty(d)}  # type: ignore[attr-defined]
        if not emptied - removed_types:
            break
        removed_types |= emptied
    query = schema.query_type.name if schema.query_type else "Query"
    if query in removed_types:
        return None
    built = build_ast_schema(pruned, assume_valid_sdl=True)
    # types nothing reaches any more would still tell what exists: left out too
    result = GraphQLSchema(
        query=built.query_type,
        mutation=built.mutation_type,
        subscription=built.subscription_type,
        types=[built.type_map[name] for name in _reachable(built)],
        directives=built.directives,
        description=built.description,
    )
    return None if validate_schema(result) else result


def _reachable(schema: GraphQLSchema) -> list[str]:
    """The named types reachable from the root types, implementations of a reachable
    interface included."""
    roots = [t for t in (schema.query_type, schema.mutation_type, schema.subscription_type) if t]
    seen: dict[str, GraphQLNamedType] = {}
    stack: list[GraphQLNamedType] = list(roots)
    while stack:
        named = stack.pop()
        if named.name in seen or named.name.startswith("__"):
            continue
        seen[named.name] = named
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field in named.fields.values():
                stack.append(get_named_type(field.type))
                for argument in getattr(field, "args", {}).values():
                    stack.append(get_named_type(argument.type))
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            stack.extend(named.interfaces)
        if isinstance(named, GraphQLInterfaceType):
            stack.extend(schema.get_implementations(named).objects)
        if isinstance(named, GraphQLUnionType):
            stack.extend(named.types)
    return list(seen)


def _prune(
    document: DocumentNode, removed_types: set[str], removed_fields: set[tuple[str, str]]
) -> DocumentNode:
    def keeps(type_name: str, field: Any) -> bool:
        if (type_name, field.name.value) in removed_fields or _named(field.type) in removed_types:
            return False
        arguments = getattr(field, "arguments", None) or ()
        return all(_named(argument.type) not in removed_types for argument in arguments)

    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            operations = tuple(
                o for o in definition.operation_types if o.type.name.value not in removed_types
            )
            definitions.append(replace(definition, operation_types=operations))
            continue
        if not isinstance(definition, TypeDefinitionNode):
            definitions.append(definition)
            continue
        name = definition.name.value
        if name in removed_types:
            continue
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            definition = replace(
                definition,
                fields=tuple(f for f in definition.fields or () if keeps(name, f)),
                interfaces=tuple(
                    i for i in definition.interfaces or () if i.name.value not in removed_types
                ),
            )
        elif isinstance(definition, InputObjectTypeDefinitionNode):
            definition = replace(
                definition, fields=tuple(f for f in definition.fields or () if keeps(name, f))
            )
        elif isinstance(definition, UnionTypeDefinitionNode):
            definition = replace(
                definition,
                types=tuple(t for t in definition.types or () if t.name.value not in removed_types),
            )
        definitions.append(definition)
    return DocumentNode(definitions=tuple(definitions))


def _empty(definition: Any) -> bool:
    """A type left with nothing in it, which GraphQL does not allow."""
    if isinstance(
        definition,
        ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode | InputObjectTypeDefinitionNode,
    ):
        return not definition.fields
    return isinstance(definition, UnionTypeDefinitionNode) and not definition.types


def _named(type_node: Any) -> str:
    while not hasattr(type_node, "name"):
        type_node = type_node.type
    return str(type_node.name.value)
