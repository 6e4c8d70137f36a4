"""Merging what clients send: field arguments and input object types.

Both merge by intersection, because a subgraph cannot accept an argument or input field it
does not declare: an element missing from one subgraph is left out of the supergraph, which
is an error when some subgraph requires it. Types merge to the most specific one
(``Int!`` over ``Int``), and default values must agree.
"""

from __future__ import annotations

from collections.abc import Sequence

from .descriptions import merge_descriptions
from .errors import CompositionError, CompositionErrorCode, and_list
from .marks import merge_marks
from .merged import MergedArgument
from .subgraph import Argument
from .type_refs import most_specific

__all__ = ["as_merged", "merge_arguments", "merge_input_fields"]


def _required(argument: Argument) -> bool:
    return argument.type.endswith("!") and argument.default is None


def _merge(
    what: str,
    coordinate: str,
    declared: Sequence[tuple[str, Sequence[Argument]]],
    errors: list[CompositionError],
) -> tuple[MergedArgument, ...]:
    """``declared``: each subgraph's elements. ``what`` is "Argument" or "Input object field"."""
    names = list(dict.fromkeys(a.name for _, arguments in declared for a in arguments))
    merged: list[MergedArgument] = []
    for name in names:
        present = [(g, a) for g, arguments in declared for a in arguments if a.name == name]
        missing = [g for g, arguments in declared if all(a.name != name for a in arguments)]
        label = f"{coordinate}({name}:)" if what == "Argument" else f"{coordinate}.{name}"
        required_in = [g for g, a in present if _required(a)]
        if missing and required_in:
            code = (
                CompositionErrorCode.REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH
                if what == "Argument"
                else CompositionErrorCode.REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH
            )
            errors.append(
                CompositionError(
                    code,
                    f'{what} "{label}" is required in some subgraphs but does not appear in all '
                    f"subgraphs: it is required in {_subgraphs(required_in)} but does not "
                    f"appear in {_subgraphs(missing)}",
                )
            )
            continue
        if missing:
            continue
        type_ = most_specific([a.type for _, a in present])
        if type_ is None:
            code = (
                CompositionErrorCode.FIELD_ARGUMENT_TYPE_MISMATCH
                if what == "Argument"
                else CompositionErrorCode.FIELD_TYPE_MISMATCH
            )
            errors.append(
                CompositionError(
                    code,
                    f'Type of {what.lower()} "{label}" is incompatible across subgraphs: it has '
                    + " but ".join(f'type "{a.type}" in subgraph "{g}"' for g, a in present),
                )
            )
            continue
        defaults = list(dict.fromkeys(a.default for _, a in present if a.default is not None))
        if len(defaults) > 1:
            code = (
                CompositionErrorCode.FIELD_ARGUMENT_DEFAULT_MISMATCH
                if what == "Argument"
                else CompositionErrorCode.INPUT_FIELD_DEFAULT_MISMATCH
            )
            errors.append(
                CompositionError(
                    code,
                    f'{what} "{label}" has incompatible default values across subgraphs: it has '
                    + " but ".join(
                        f'default value {a.default} in subgraph "{g}"'
                        for g, a in present
                        if a.default is not None
                    ),
                )
            )
            continue
        merged.append(
            MergedArgument(
                name=name,
                type=type_,
                default=defaults[0] if defaults else None,
                description=merge_descriptions(a.description for _, a in present),
                marks=merge_marks(a.marks for _, a in present),
            )
        )
    return tuple(merged)


def _subgraphs(names: Sequence[str]) -> str:
    return ("subgraphs " if len(names) > 1 else "subgraph ") + and_list(names)


def merge_arguments(
    coordinate: str,
    declared: Sequence[tuple[str, Sequence[Argument]]],
    errors: list[CompositionError],
) -> tuple[MergedArgument, ...]:
    """The arguments of field ``coordinate`` from each declaring subgraph's arguments."""
    return _merge("Argument", coordinate, declared, errors)


def merge_input_fields(
    type_name: str,
    declared: Sequence[tuple[str, Sequence[Argument]]],
    errors: list[CompositionError],
) -> tuple[MergedArgument, ...]:
    """The fields of input type ``type_name``; ``EMPTY_MERGED_INPUT_TYPE`` if none remain."""
    before = len(errors)
    merged = _merge("Input object field", type_name, declared, errors)
    if not merged and len(errors) == before:
        errors.append(
            CompositionError(
                CompositionErrorCode.EMPTY_MERGED_INPUT_TYPE,
                f'None of the fields of input object type "{type_name}" are consistently '
                "defined in all the subgraphs defining that type. As only fields common to all "
                "subgraphs are merged, this would result in an empty type.",
            )
        )
    return merged


def as_merged(argument: Argument) -> MergedArgument:
    """One subgraph's argument, as the supergraph prints it."""
    return MergedArgument(
        name=argument.name,
        type=argument.type,
        default=argument.default,
        description=argument.description,
        marks=argument.marks,
    )
