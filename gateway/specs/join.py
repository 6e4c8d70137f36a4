"""The join spec (``https://specs.apollo.dev/join/v0.5``, linked ``for: EXECUTION``): how
a supergraph says which subgraph holds what, for the planner.

``@join__graph`` names each subgraph on the ``join__Graph`` enum; ``@join__type``,
``@join__field``, ``@join__implements``, ``@join__unionMember`` and ``@join__enumValue``
say which subgraphs define an element, with keys, requirements and overrides. The
composer prints :class:`JoinType` and :class:`JoinField` with :func:`join_type_text` and
:func:`join_field_text`; the supergraph loader reads them (v0.2 to v0.5) with
:func:`join_type_of` and :func:`join_field_of`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql.language.print_string import print_string

__all__ = [
    "DEFINITIONS",
    "IDENTITY",
    "NAME",
    "SUPPORTED",
    "TYPES",
    "URL",
    "JoinArgumentError",
    "JoinField",
    "JoinType",
    "join_field_of",
    "join_field_text",
    "join_type_of",
    "join_type_text",
]

NAME = "join"
IDENTITY = f"https://specs.apollo.dev/{NAME}"
URL = f"{IDENTITY}/v0.5"
"""The version the composer prints."""
SUPPORTED = ("0.2", "0.3", "0.4", "0.5")
"""The versions the gateway reads."""
DEFINITIONS = """
directive @join__directive(
  graphs: [join__Graph!]
  name: String!
  args: join__DirectiveArguments
) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(
  graph: join__Graph
  requires: join__FieldSet
  provides: join__FieldSet
  type: String
  external: Boolean
  override: String
  usedOverridden: Boolean
  overrideLabel: String
  contextArguments: [join__ContextArgument!]
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(
  graph: join__Graph!
  interface: String!
) repeatable on OBJECT | INTERFACE

directive @join__type(
  graph: join__Graph!
  key: join__FieldSet
  extension: Boolean! = false
  resolvable: Boolean! = true
  isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
""".strip()
"""The spec's directives, as a v0.5 supergraph defines them (before ``join__Graph``)."""
TYPES = """
input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}

scalar join__DirectiveArguments

scalar join__FieldSet

scalar join__FieldValue
""".strip()
"""The spec's types, as a v0.5 supergraph defines them."""


class JoinArgumentError(ValueError):
    """An argument of a ``@join__`` application that cannot be read."""

    def __init__(self, argument: str, value: object, reason: str | None = None):
        self.argument = argument
        self.value = value
        self.reason = reason or f"{argument} must be a string"
        super().__init__(self.reason)


@dataclass(frozen=True, slots=True)
class JoinType:
    """``@join__type``: the type exists in ``graph`` (with one of its keys, if any).

    ``graph`` is the subgraph's name where the composer makes one, its ``join__Graph``
    value where a supergraph is read."""

    graph: str
    key: str | None = None
    extension: bool = False
    resolvable: bool = True
    interface_object: bool = False


@dataclass(frozen=True, slots=True)
class JoinField:
    """``@join__field``; ``graph`` (named as in :class:`JoinType`) is ``None`` for a field
    no subgraph declares on this type (an ``@interfaceObject`` field on an implementation)."""

    graph: str | None
    type: str | None = None
    external: bool = False
    requires: str | None = None
    provides: str | None = None
    override: str | None = None
    override_label: str | None = None
    used_overridden: bool = False
    context_arguments: tuple[tuple[str, str, str, str], ...] = ()
    """``(name, type, context, selection)``, the context named as the supergraph names
    it (``subgraph__name``)."""


def join_type_of(arguments: Mapping[str, object]) -> JoinType:
    """``@join__type``'s arguments as a :class:`JoinType`."""
    key = arguments.get("key")
    return JoinType(
        graph=_string("graph", arguments.get("graph")),
        key=None if key is None else _string("key", key),
        extension=bool(arguments.get("extension", False)),
        resolvable=bool(arguments.get("resolvable", True)),
        interface_object=bool(arguments.get("isInterfaceObject", False)),
    )


def join_field_of(arguments: Mapping[str, object]) -> JoinField:
    """``@join__field``'s arguments as a :class:`JoinField`."""
    graph = arguments.get("graph")
    requires, provides = arguments.get("requires"), arguments.get("provides")
    return JoinField(
        graph=None if graph is None else _string("graph", graph),
        type=_text(arguments.get("type")),
        external=bool(arguments.get("external") or False),
        requires=_string("requires", requires) if requires else None,
        provides=_string("provides", provides) if provides else None,
        override=_text(arguments.get("override")),
        override_label=_text(arguments.get("overrideLabel")),
        used_overridden=bool(arguments.get("usedOverridden") or False),
        context_arguments=_context_arguments(arguments.get("contextArguments")),
    )


def _string(argument: str, value: object) -> str:
    if not isinstance(value, str):
        raise JoinArgumentError(argument, value)
    return value


def _text(value: object) -> str | None:
    return str(value) if value else None


def _context_arguments(value: object) -> tuple[tuple[str, str, str, str], ...]:
    """v0.5 ``contextArguments``: ``[{name, type, context, selection}]``."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise JoinArgumentError("contextArguments", value, "contextArguments must be a list")
    entries = []
    for entry in value:
        keys = ("name", "type", "context", "selection")
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in keys):
            raise JoinArgumentError(
                "contextArguments",
                value,
                "a context argument needs name, type, context and selection",
            )
        name, type_, context, selection = (str(entry[k]) for k in keys)
        entries.append((name, type_, context, selection))
    return tuple(entries)


def join_type_text(join: JoinType, graphs: Mapping[str, str]) -> str:
    """``@join__type(...)``, with ``graphs`` mapping subgraph names to ``join__Graph`` values."""
    args = [f"graph: {graphs[join.graph]}"]
    if join.key is not None:
        args.append(f"key: {print_string(join.key)}")
    if join.extension:
        args.append("extension: true")
    if not join.resolvable:
        args.append("resolvable: false")
    if join.interface_object:
        args.append("isInterfaceObject: true")
    return f"@join__type({', '.join(args)})"


def join_field_text(join: JoinField, graphs: Mapping[str, str]) -> str:
    """``@join__field(...)``, with ``graphs`` mapping subgraph names to ``join__Graph`` values."""
    args = [f"graph: {graphs[join.graph]}"] if join.graph is not None else []
    for name, value in (
        ("requires", join.requires),
        ("provides", join.provides),
        ("type", join.type),
        ("override", join.override),
        ("overrideLabel", join.override_label),
    ):
        if value is not None:
            args.append(f"{name}: {print_string(value)}")
    if join.external:
        args.append("external: true")
    if join.used_overridden:
        args.append("usedOverridden: true")
    if join.context_arguments:
        entries = ", ".join(
            f"{{context: {print_string(context)}, name: {print_string(name)}, "
            f"type: {print_string(type_)}, selection: {print_string(selection)}}}"
            for name, type_, context, selection in join.context_arguments
        )
        args.append(f"contextArguments: [{entries}]")
    return f"@join__field({', '.join(args)})" if args else "@join__field"
