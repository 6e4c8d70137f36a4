"""What two supergraphs must agree on to serve the same answers: the API schema, the join
metadata the planner reads, and the plans of the same operations."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    get_named_type,
    is_leaf_type,
    is_required_argument,
    parse,
    print_ast,
)

from gateway.api_schema import build_api_schema, print_api_schema
from gateway.planner import build_query_plan, print_plan
from gateway.supergraph import Supergraph, parse_field_set

__all__ = ["api_schema", "join_metadata", "operations", "plan"]

_LITERALS = {"ID": '"1"', "String": '"a"', "Int": "1", "Float": "1.5", "Boolean": "true"}


def api_schema(supergraph: Supergraph) -> str:
    """The client schema, printed sorted."""
    return print_api_schema(build_api_schema(supergraph))


def _field_set(selection: object) -> str | None:
    if selection is None:
        return None
    return " ".join(print_ast(selection).split())


def join_metadata(supergraph: Supergraph) -> dict[str, Any]:
    """The loaded model, normalised: subgraphs by name, everything sorted, and a field's
    subgraph type spelled out even where the supergraph leaves it implicit."""
    schema = supergraph.schema
    result: dict[str, Any] = {
        "subgraphs": sorted((s.name, s.url) for s in supergraph.subgraphs.values()),
        "roots": dict(supergraph.root_types),
    }
    for name, info in sorted(supergraph.types.items()):
        graphql_type = schema.get_type(name)
        fields: dict[str, Any] = {}
        for field_name, field_info in sorted(info.fields.items()):
            declared = getattr(graphql_type, "fields", {}).get(field_name)
            full_type = str(declared.type) if declared is not None else field_info.type_name
            fields[field_name] = sorted(
                (
                    s.subgraph,
                    s.external,
                    _field_set(s.requires),
                    _field_set(s.provides),
                    s.type or full_type,
                    s.override_from,
                    s.used_overridden,
                    s.override_label,
                    tuple(
                        (c.name, c.type, c.context, _field_set(c.selection))
                        for c in s.context_arguments
                    ),
                )
                for s in field_info.sources
            )
        result[name] = {
            "kind": info.kind.value,
            "members": sorted((m.subgraph, m.is_interface_object) for m in info.members),
            "keys": sorted(
                (k.subgraph, _field_set(parse_field_set(k.fields)), k.resolvable) for k in info.keys
            ),
            "fields": fields,
            "implements": {g: sorted(v) for g, v in sorted(info.implements.items())},
            "union_members": {g: sorted(v) for g, v in sorted(info.union_members.items())},
            "contexts": sorted(info.contexts),
        }
    return result


def operations(supergraph: Supergraph, depth: int = 3) -> list[str]:
    """One query per root field: every field reachable without required arguments, down
    to ``depth``, abstract types through ``__typename`` and a fragment per possible type."""
    schema = build_api_schema(supergraph)
    queries = []
    for root in (schema.query_type, schema.mutation_type):
        if root is None:
            continue
        keyword = "query" if root is schema.query_type else "mutation"
        for name, field in root.fields.items():
            arguments = _arguments(field)
            if arguments is None:
                continue
            queries.append(f"{keyword} {{ {name}{arguments}{_selection(schema, field, depth)} }}")
    return queries


def _arguments(field: GraphQLField) -> str | None:
    """Literal values for the required arguments; ``None`` if one cannot be made up."""
    values = []
    for name, argument in field.args.items():
        if not is_required_argument(argument):
            continue
        named = get_named_type(argument.type)
        if isinstance(named, GraphQLEnumType):
            value = next(iter(named.values))
        elif isinstance(named, GraphQLScalarType) and named.name in _LITERALS:
            value = _LITERALS[named.name]
        else:
            return None
        values.append(f"{name}: {value}")
    return f"({', '.join(values)})" if values else ""


def _selection(schema: GraphQLSchema, field: GraphQLField, depth: int) -> str:
    named = get_named_type(field.type)
    if is_leaf_type(named):
        return ""
    if depth == 0:
        return " { __typename }"
    parts = ["__typename"]
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        parts += _fields(schema, named, depth)
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        for possible in schema.get_possible_types(named):
            inner = " ".join(_fields(schema, possible, depth))
            if inner:
                parts.append(f"... on {possible.name} {{ {inner} }}")
    return " { " + " ".join(parts) + " }"


def _fields(
    schema: GraphQLSchema, parent: GraphQLObjectType | GraphQLInterfaceType, depth: int
) -> list[str]:
    return [
        name + _selection(schema, field, depth - 1)
        for name, field in parent.fields.items()
        if _arguments(field) == ""
    ]


def plan(supergraph: Supergraph, operation: str) -> str:
    """The printed plan of ``operation``, or the planner's error."""
    document = parse(operation)
    definition = document.definitions[0]
    assert isinstance(definition, OperationDefinitionNode)
    try:
        return print_plan(build_query_plan(supergraph, definition, {}, frozenset()))
    except Exception as error:  # both supergraphs must fail alike
        return f"{type(error).__name__}: {error}"
