"""Satisfiability: every field a client can ask for is reachable through the subgraphs.

A supergraph can merge cleanly and still hold fields no query plan can reach: a field only
one subgraph resolves, on a type another subgraph returns, with no ``@key`` to jump
between them (a value type, a key the first subgraph cannot select, ``resolvable:
false``). Standard composers refuse such supergraphs with ``SATISFIABILITY_ERROR``, since
the gateway could only fail those queries at run time.

The check walks the client-facing schema from its root types and asks the gateway's own
planner to plan, for each field, the smallest query reaching it; a field the planner cannot
reach is an error when the schema shows why (no subgraph that can return the type resolves
it, and no resolvable key leads to one that does), so a planner limitation never refuses a
supergraph standard composers accept. The walk visits each type
once per set of subgraphs that can have returned it (the subgraphs resolving the field
that led there), so a type returned by two different subgraphs is checked from both sides,
while recursion through the graph stays bounded by the schema's size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    get_named_type,
    is_non_null_type,
    parse,
)

from ..api_schema import build_api_schema
from ..planner import build_query_plan
from ..planner.plan import PlanningError
from ..supergraph.model import SubgraphName, Supergraph
from .errors import CompositionError, CompositionErrorCode, and_list

__all__ = ["check_satisfiability"]


@dataclass(frozen=True, slots=True)
class _Step:
    """One step of a query path: a field (with its arguments) or a type condition."""

    text: str
    variables: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Position:
    """A composite type reached by ``path``, returned by one of ``origins``."""

    kind: str
    """The operation kind of the root the path starts at."""
    type_name: str
    path: tuple[_Step, ...]
    origins: frozenset[SubgraphName]
    """The subgraphs resolving the field that led here (empty at a root type)."""


def check_satisfiability(supergraph: Supergraph) -> list[CompositionError]:
    """A ``SATISFIABILITY_ERROR`` for each field no query plan can reach, once per field."""
    api = build_api_schema(supergraph)
    errors: list[CompositionError] = []
    failed: set[tuple[str, str]] = set()
    seen: set[tuple[str, str, frozenset[SubgraphName]]] = set()
    queue: deque[_Position] = deque()
    for kind, root in (("query", api.query_type), ("mutation", api.mutation_type)):
        if root is not None:
            queue.append(_Position(kind, root.name, (), frozenset()))
    while queue:
        position = queue.popleft()
        state = (position.kind, position.type_name, position.origins)
        if state in seen:
            continue
        seen.add(state)
        for name, field, step in _fields(api, position):
            if (position.type_name, name) in failed:
                continue
            query = _query(position.kind, (*position.path, step), field)
            try:
                build_query_plan(supergraph, query, {})
            except PlanningError:
                failed.add((position.type_name, name))
                if _unreachable(supergraph, position, name):
                    errors.append(_error(supergraph, position, name, _print_path(position, step)))
                continue
            named = get_named_type(field.type)
            if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
                origins = _sources(supergraph, position.type_name, name)
                path = (*position.path, step)
                queue.append(_Position(position.kind, named.name, path, origins))
                if not isinstance(named, GraphQLObjectType):
                    for possible in api.get_possible_types(named):
                        condition = _Step(f"... on {possible.name}")
                        queue.append(
                            _Position(position.kind, possible.name, (*path, condition), origins)
                        )
    return errors


def _fields(api: GraphQLSchema, position: _Position) -> Iterator[tuple[str, GraphQLField, _Step]]:
    parent = api.get_type(position.type_name)
    if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return  # a union: its members are positions of their own
    if isinstance(parent, GraphQLInterfaceType) and not api.get_possible_types(parent):
        return  # no object can ever be here, so no query reaches its fields
    for name, field in parent.fields.items():
        arguments = [
            (argument, f"${position.type_name}_{name}_{argument}: {arg.type}")
            for argument, arg in field.args.items()
            if is_non_null_type(arg.type) and arg.default_value is None
        ]
        text = name
        if arguments:
            values = ", ".join(f"{a}: ${position.type_name}_{name}_{a}" for a, _ in arguments)
            text = f"{name}({values})"
        yield name, field, _Step(text, tuple(v for _, v in arguments))


def _query(kind: str, path: tuple[_Step, ...], field: GraphQLField) -> OperationDefinitionNode:
    leaf = "" if _is_leaf(field) else " { __typename }"
    body = leaf
    for step in reversed(path):
        body = f" {{ {step.text}{body} }}"
    variables = [v for step in path for v in step.variables]
    header = f"{kind} ({', '.join(variables)})" if variables else kind
    operation = parse(header + body, no_location=True).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation


def _is_leaf(field: GraphQLField) -> bool:
    return not isinstance(
        get_named_type(field.type), GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
    )


def _print_path(position: _Position, step: _Step) -> str:
    text = ""
    for part in reversed((*position.path, step)):
        text = f" {{ {part.text}{text} }}"
    return text.strip()


def _sources(supergraph: Supergraph, type_name: str, field: str) -> frozenset[SubgraphName]:
    info = supergraph.types.get(type_name)
    if info is None or field not in info.fields:
        return frozenset()
    return frozenset(s.subgraph for s in info.fields[field].sources if not s.external)


def _unreachable(supergraph: Supergraph, position: _Position, field: str) -> bool:
    """Whether the schema itself shows the field cannot be reached from ``position``: no
    subgraph that can have returned the type resolves it, and none that resolves it has a
    resolvable key whose fields those subgraphs resolve.

    The planner is the judge of what it can plan; this keeps a field the planner misses for
    reasons of its own from failing composition, as standard composers would accept it.
    """
    resolvers = _sources(supergraph, position.type_name, field)
    if not resolvers:
        return True
    if not position.origins or resolvers & position.origins:
        return False
    info = supergraph.types[position.type_name]
    if any(info.is_interface_object_in(r) for r in resolvers):
        return False
    runtime = supergraph.schema.get_type(position.type_name)
    for interface in getattr(runtime, "interfaces", ()):
        interface_info = supergraph.types.get(interface.name)
        if interface_info is not None and any(
            interface_info.is_interface_object_in(r) for r in resolvers
        ):
            return False  # entered through the interface object's keys: the planner's call
    for key in info.keys:
        if key.subgraph not in resolvers or not key.resolvable:
            continue
        names = [n.name.value for n in key.selection.selections if isinstance(n, FieldNode)]
        if all(position.origins & _sources(supergraph, position.type_name, n) for n in names):
            return False
    return True


def _name(supergraph: Supergraph, subgraph: SubgraphName) -> str:
    found = supergraph.subgraphs.get(subgraph)
    return found.name if found is not None else subgraph


def _error(supergraph: Supergraph, position: _Position, field: str, query: str) -> CompositionError:
    type_name = position.type_name
    coordinate = f"{type_name}.{field}"
    resolvers = sorted(_sources(supergraph, type_name, field))
    names = and_list(_name(supergraph, s) for s in resolvers)
    lead = f'The query "{query}" cannot be satisfied by the subgraphs: "{coordinate}" '
    if not resolvers:
        return CompositionError(
            CompositionErrorCode.SATISFIABILITY_ERROR,
            lead + "is resolved by no subgraph (every declaration is @external or overridden).",
        )
    origins = sorted(position.origins)
    reasons = [_reason(supergraph, type_name, target, origins) for target in resolvers]
    origin_text = (
        f" from {'subgraph' if len(origins) == 1 else 'subgraphs'} "
        f"{and_list(_name(supergraph, s) for s in origins)}"
        if origins
        else ""
    )
    return CompositionError(
        CompositionErrorCode.SATISFIABILITY_ERROR,
        lead
        + f"is resolved only by {'subgraph' if len(resolvers) == 1 else 'subgraphs'} {names}, "
        + f'and no query plan reaches "{type_name}" there{origin_text}: '
        + "; ".join(reasons)
        + ". Add the field to the subgraphs returning the type (@shareable), or give the "
        "type a @key both sides can use.",
    )


def _reason(
    supergraph: Supergraph, type_name: str, target: SubgraphName, origins: list[SubgraphName]
) -> str:
    info = supergraph.types[type_name]
    keys = info.keys_in(target)
    where = f'subgraph "{_name(supergraph, target)}"'
    if not info.keys:
        return f'"{type_name}" is not an entity (no @key in any subgraph)'
    if not keys:
        return f'"{type_name}" has no @key in {where}'
    if not any(k.resolvable for k in keys):
        return f'"{type_name}" has only resolvable: false keys in {where}'
    fields = and_list(k.fields for k in keys if k.resolvable)
    if not origins:
        return f"no root field leads to {where}"
    return f"the key fields {fields} of {where} cannot be selected where the type is returned"
