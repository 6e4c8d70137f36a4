"""The merged types, as the supergraph printer writes them.

This is not a second supergraph model: it is the printer's input, one record per element
with the ``@join__*`` applications it gets. The gateway reads the printed SDL with its own
loader (:func:`gateway.supergraph.load_supergraph`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..supergraph.model import TypeKind
from .marks import Marks

__all__ = [
    "JoinField",
    "JoinType",
    "MergedArgument",
    "MergedEnumValue",
    "MergedField",
    "MergedType",
]


@dataclass(frozen=True, slots=True)
class JoinType:
    """``@join__type``: the type exists in ``graph`` (with one of its keys, if any)."""

    graph: str
    key: str | None = None
    extension: bool = False
    resolvable: bool = True
    interface_object: bool = False


@dataclass(frozen=True, slots=True)
class JoinField:
    """``@join__field``; ``graph`` is ``None`` for a field no subgraph declares on this type
    (an ``@interfaceObject`` field on an implementation)."""

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


@dataclass(frozen=True, slots=True)
class MergedArgument:
    """An argument of a field, or a field of an input type."""

    name: str
    type: str
    default: str | None
    description: str | None
    marks: Marks


@dataclass(frozen=True, slots=True)
class MergedField:
    name: str
    type: str
    description: str | None
    marks: Marks
    arguments: tuple[MergedArgument, ...]
    joins: tuple[JoinField, ...]
    """Empty when the field is declared alike in every subgraph of its type."""


@dataclass(frozen=True, slots=True)
class MergedEnumValue:
    name: str
    description: str | None
    marks: Marks
    graphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergedType:
    name: str
    kind: TypeKind
    description: str | None
    marks: Marks
    joins: tuple[JoinType, ...]
    fields: tuple[MergedField, ...] = ()
    input_fields: tuple[MergedArgument, ...] = ()
    interfaces: tuple[str, ...] = ()
    implements: tuple[tuple[str, str], ...] = ()
    """``(graph, interface)`` for ``@join__implements``."""
    members: tuple[str, ...] = ()
    union_members: tuple[tuple[str, str], ...] = ()
    """``(graph, member)`` for ``@join__unionMember``."""
    values: tuple[MergedEnumValue, ...] = ()
    specified_by: str | None = None
    contexts: tuple[str, ...] = ()
    """The contexts its objects set, as ``subgraph__name``."""
