"""The merged types, as the supergraph printer writes them.

This is not a second supergraph model: it is the printer's input, one record per element
with the ``@join__*`` applications it gets (the join spec's :class:`JoinType` and
:class:`JoinField`, :mod:`gateway.specs.join`). The gateway reads the printed SDL with its own
loader (:func:`gateway.supergraph.load_supergraph`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..specs.join import JoinField, JoinType
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
