"""Merging enums, by how the subgraphs use them.

An enum only returned by fields merges by union (a client must know every value any
subgraph may answer); one only accepted as input merges by intersection (every subgraph
must accept what a client sends); one used both ways must be declared identically
everywhere (``ENUM_VALUE_MISMATCH``), but for values ``@inaccessible`` to clients.
"""

from __future__ import annotations

from .declarations import Declarations
from .descriptions import merge_descriptions
from .errors import CompositionError, CompositionErrorCode
from .marks import merge_marks
from .merged import JoinType, MergedEnumValue, MergedType
from .subgraph import SubgraphSchema, TypeDef

__all__ = ["merge_enum"]


def merge_enum(
    name: str,
    declared: list[tuple[SubgraphSchema, TypeDef]],
    declarations: Declarations,
    errors: list[CompositionError],
) -> MergedType:
    """Merge enum ``name`` from its declarations."""
    graphs = [s.name for s, _ in declared]
    value_names = list(dict.fromkeys(v for _, t in declared for v in t.values))
    values = [
        MergedEnumValue(
            name=value,
            description=merge_descriptions(
                t.values[value].description for _, t in declared if value in t.values
            ),
            marks=merge_marks(t.values[value].marks for _, t in declared if value in t.values),
            graphs=tuple(s.name for s, t in declared if value in t.values),
        )
        for value in value_names
    ]
    as_input = name in declarations.input_types
    as_output = name in declarations.output_types
    if as_input and as_output:
        for value in values:
            missing = [g for g in graphs if g not in value.graphs]
            # clients can neither send nor receive an @inaccessible value: it may be missing
            if missing and not value.marks.inaccessible:
                errors.append(
                    CompositionError(
                        CompositionErrorCode.ENUM_VALUE_MISMATCH,
                        f'Enum type "{name}" is used as both input type (for example, as type '
                        f'of "{declarations.input_types[name]}") and output type (for example, '
                        f'as type of "{declarations.output_types[name]}"), but '
                        f'value "{value.name}" is not defined in all the subgraphs defining '
                        f'"{name}": "{value.name}" is defined in '
                        f"{_subgraphs(value.graphs)} but not in {_subgraphs(missing)}",
                    )
                )
    elif as_input:
        values = [v for v in values if len(v.graphs) == len(graphs)]
        if not values:
            errors.append(
                CompositionError(
                    CompositionErrorCode.EMPTY_MERGED_ENUM_TYPE,
                    f'None of the values of enum type "{name}" are defined consistently in all '
                    "the subgraphs defining that type. As only values common to all subgraphs "
                    "are merged, this would result in an empty type.",
                )
            )
    return MergedType(
        name=name,
        kind=declared[0][1].kind,
        description=merge_descriptions(t.description for _, t in declared),
        marks=merge_marks(t.marks for _, t in declared),
        joins=tuple(JoinType(graph=g) for g in graphs),
        values=tuple(values),
    )


def _subgraphs(names: tuple[str, ...] | list[str]) -> str:
    plural = "s" if len(names) > 1 else ""
    return f"subgraph{plural} " + ", ".join(f'"{n}"' for n in names)
