"""Merging the subgraphs' types into the supergraph's, type by type.

Objects and interfaces merge in :mod:`.merge_fields`, enums in :mod:`.merge_enums`, input
types in :mod:`.merge_inputs`; unions (by union of members) and scalars are merged here,
after the checks that concern whole types: one kind per type name (``TYPE_KIND_MISMATCH``)
and a query root somewhere (``NO_QUERIES``).
"""

from __future__ import annotations

from ..supergraph.model import TypeKind
from .declarations import Declarations
from .descriptions import merge_descriptions
from .errors import CompositionError, CompositionErrorCode
from .marks import merge_marks
from .merge_enums import merge_enum
from .merge_fields import merge_composite
from .merge_inputs import merge_input_fields
from .merged import JoinType, MergedArgument, MergedType
from .subgraph import SubgraphSchema, TypeDef

__all__ = ["merge_types"]

_KIND_NAMES = {
    TypeKind.OBJECT: "Object Type",
    TypeKind.INTERFACE: "Interface Type",
    TypeKind.UNION: "Union Type",
    TypeKind.ENUM: "Enum Type",
    TypeKind.INPUT: "Input Object Type",
    TypeKind.SCALAR: "Scalar Type",
}


def merge_types(declarations: Declarations) -> tuple[list[MergedType], list[CompositionError]]:
    """The supergraph's types, or the errors that prevent merging them."""
    errors: list[CompositionError] = []
    if not any("query" in s.root_types for s in declarations.subgraphs):
        errors.append(
            CompositionError(
                CompositionErrorCode.NO_QUERIES,
                "No queries found in any subgraph: a supergraph must have a query root type.",
            )
        )
    merged: list[MergedType] = []
    for name in declarations.type_names:
        declared = declarations.of_type(name)
        kind = _kind(name, declared, declarations, errors)
        if kind is None:
            continue
        if kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
            merged.append(merge_composite(name, declared, declarations, errors))
        elif kind is TypeKind.ENUM:
            merged.append(merge_enum(name, declared, declarations, errors))
        else:
            merged.append(_merge_simple(name, kind, declared, errors))
    return merged, errors


def _kind(
    name: str,
    declared: list[tuple[SubgraphSchema, TypeDef]],
    declarations: Declarations,
    errors: list[CompositionError],
) -> TypeKind | None:
    """The type's kind; ``None`` after reporting a mismatch. An ``@interfaceObject``
    stands for the interface."""
    groups: dict[TypeKind, list[str]] = {}
    for subgraph, type_def in declared:
        kind = TypeKind.INTERFACE if declarations.is_interface_like(type_def) else type_def.kind
        groups.setdefault(kind, []).append(subgraph.name)
    if len(groups) == 1:
        return next(iter(groups))
    described = [
        f"{_KIND_NAMES[kind]} in subgraph{'s' if len(graphs) > 1 else ''} "
        + ", ".join(f'"{g}"' for g in graphs)
        for kind, graphs in groups.items()
    ]
    errors.append(
        CompositionError(
            CompositionErrorCode.TYPE_KIND_MISMATCH,
            f'Type "{name}" has mismatched kind: it is defined as ' + " but ".join(described),
        )
    )
    return None


def _merge_simple(
    name: str,
    kind: TypeKind,
    declared: list[tuple[SubgraphSchema, TypeDef]],
    errors: list[CompositionError],
) -> MergedType:
    """Unions, input types and scalars."""
    input_fields: tuple[MergedArgument, ...] = ()
    if kind is TypeKind.INPUT:
        input_fields = merge_input_fields(
            name, [(s.name, list(t.input_fields.values())) for s, t in declared], errors
        )
    return MergedType(
        name=name,
        kind=kind,
        description=merge_descriptions(t.description for _, t in declared),
        marks=merge_marks(t.marks for _, t in declared),
        joins=tuple(JoinType(graph=s.name) for s, _ in declared),
        input_fields=input_fields,
        members=tuple(dict.fromkeys(m for _, t in declared for m in t.members)),
        union_members=tuple((s.name, m) for s, t in declared for m in t.members),
        specified_by=next((t.specified_by for _, t in declared if t.specified_by), None),
    )
