"""The client's selection as shaping reads it: per object type, one step per response key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

from graphql import GraphQLNonNull, GraphQLOutputType, GraphQLScalarType, SelectionSetNode

__all__ = [
    "FIELD",
    "INTROSPECTION",
    "NON_NULL_SCALAR",
    "SCALAR",
    "TYPENAME",
    "ShapeCache",
    "Step",
    "step_kind",
]

TYPENAME, INTROSPECTION, FIELD, SCALAR, NON_NULL_SCALAR = 0, 1, 2, 3, 4
"""Step kinds. Scalar leaves, most of any response, are copied without the general walk
(the general walk passes scalars through unchecked too); a non-null one takes the general
walk only when it is null, to report it."""


@dataclass(frozen=True, slots=True)
class Step:
    """One response key of an object, as collected from the client's selection."""

    key: str
    name: str
    kind: int
    type: GraphQLOutputType | None
    selection_sets: tuple[SelectionSetNode, ...]
    children: dict[tuple[str, tuple[tuple[str, bool], ...]], tuple[Step, ...]] = field(
        default_factory=dict, compare=False
    )
    """The steps collected below this one, by runtime type and condition variables: a
    repeated document finds them here instead of hashing its selection sets again."""


def step_kind(field_type: GraphQLOutputType) -> int:
    """The kind of a field's step (``TYPENAME`` and ``INTROSPECTION`` go by name instead)."""
    if isinstance(field_type, GraphQLScalarType):
        return SCALAR
    if isinstance(field_type, GraphQLNonNull) and isinstance(field_type.of_type, GraphQLScalarType):
        return NON_NULL_SCALAR
    return FIELD


ShapeCache: TypeAlias = dict[tuple[object, ...], Any]
"""What shaping keeps per document: collected steps by (selection sets, runtime type,
condition variables), and the compiled shaping per (operation, conditions). It must live
exactly as long as the document whose nodes its keys identify."""
