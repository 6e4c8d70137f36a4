"""The ``fields`` of ``@key``, ``@requires`` and ``@provides``, checked against the subgraph
that declares them.

Each field set must select existing fields (``*_INVALID_FIELDS``); a key may not select
fields with arguments or of abstract types; ``@requires`` and ``@provides`` may only
select fields the subgraph marks ``@external`` (Federation 2). The walk also records what
each subgraph's field sets use, which decides later which ``@external`` fields matter,
which fields are shareable as key fields, and what the supergraph records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    SelectionSetNode,
)

from ..supergraph.loader import parse_field_set
from ..supergraph.model import TypeKind
from .errors import CompositionError, CompositionErrorCode
from .subgraph import SubgraphSchema, TypeDef
from .type_refs import named

__all__ = ["FieldSetUsage", "check_field_sets"]

Coordinate = tuple[str, str]
_COMPOSITE = (TypeKind.OBJECT, TypeKind.INTERFACE, TypeKind.UNION)


@dataclass(slots=True)
class FieldSetUsage:
    """What one subgraph's field sets select, by ``(type, field)``."""

    key_fields: set[Coordinate] = field(default_factory=set)
    """Selected by a ``@key``, at any depth: these fields are shareable."""
    top_key_fields: set[Coordinate] = field(default_factory=set)
    """Selected at the top of a ``@key`` of their own type."""
    required: set[Coordinate] = field(default_factory=set)
    provided: set[Coordinate] = field(default_factory=set)

    @property
    def used(self) -> set[Coordinate]:
        return self.key_fields | self.required | self.provided


@dataclass(frozen=True, slots=True)
class _Selected:
    type: TypeDef
    name: str
    node: FieldNode
    depth: int


class _Walk:
    """Walks one field set over a subgraph's types, reporting through ``report``."""

    def __init__(
        self, subgraph: SubgraphSchema, report: Callable[[CompositionErrorCode, str], None]
    ):
        self.subgraph = subgraph
        self.report = report
        self.valid = True

    def fail(self, code: CompositionErrorCode, message: str) -> None:
        self.valid = False
        self.report(code, message)

    def fields(
        self,
        selection: SelectionSetNode,
        parent: TypeDef,
        invalid: CompositionErrorCode,
        depth: int = 0,
    ) -> Iterator[_Selected]:
        for item in selection.selections:
            if isinstance(item, InlineFragmentNode):
                condition = item.type_condition.name.value if item.type_condition else parent.name
                target = self.subgraph.types.get(condition)
                if target is None:
                    self.fail(invalid, f'Unknown type "{condition}"')
                    continue
                yield from self.fields(item.selection_set, target, invalid, depth)
                continue
            if not isinstance(item, FieldNode):
                self.fail(invalid, "Fragment spreads are not allowed in a field set")
                continue
            name = item.name.value
            if name == "__typename":
                continue
            declared = parent.fields.get(name)
            if declared is None:
                hint = (
                    "the field should either be added to this subgraph or, if it should not be "
                    "resolved by this subgraph, you need to add it to this subgraph with @external"
                    if invalid is CompositionErrorCode.KEY_INVALID_FIELDS
                    else "if the field is defined in another subgraph, you need to add it to "
                    "this subgraph with @external"
                )
                self.fail(invalid, f'Cannot query field "{name}" on type "{parent.name}" ({hint}).')
                continue
            yield _Selected(parent, name, item, depth)
            target = self.subgraph.types.get(named(declared.type))
            composite = target is not None and target.kind in _COMPOSITE
            if composite and item.selection_set is None:
                self.fail(
                    invalid,
                    f'Invalid empty selection set for field "{parent.name}.{name}" '
                    f"of non-leaf type {declared.type}",
                )
            elif not composite and item.selection_set is not None:
                self.fail(
                    invalid,
                    f'Field "{name}" must not have a selection since type "{declared.type}" '
                    "has no subfields.",
                )
            elif target is not None and item.selection_set is not None:
                yield from self.fields(item.selection_set, target, invalid, depth + 1)


def _parse(text: str) -> SelectionSetNode | str:
    try:
        return parse_field_set(text)
    except GraphQLSyntaxError as error:
        return error.message


def check_field_sets(subgraph: SubgraphSchema) -> tuple[FieldSetUsage, list[CompositionError]]:
    """Check every key, requires and provides of ``subgraph``; return what they use."""
    usage = FieldSetUsage()
    errors: list[CompositionError] = []
    for type_def in subgraph.types.values():
        for key in type_def.keys:
            _check_key(subgraph, type_def, key.fields, usage, errors)
        for field_def in type_def.fields.values():
            if field_def.requires is not None:
                _check_requires(
                    subgraph, type_def, field_def.name, field_def.requires, usage, errors
                )
            if field_def.provides is not None:
                _check_provides(
                    subgraph, type_def, field_def.name, field_def.provides, usage, errors
                )
    return usage, errors


def _reporter(
    subgraph: SubgraphSchema, errors: list[CompositionError], prefix: str
) -> Callable[[CompositionErrorCode, str], None]:
    def report(code: CompositionErrorCode, message: str) -> None:
        errors.append(CompositionError(code, f"[{subgraph.name}] {prefix}: {message}"))

    return report


def _check_key(
    subgraph: SubgraphSchema,
    type_def: TypeDef,
    fields: str,
    usage: FieldSetUsage,
    errors: list[CompositionError],
) -> None:
    report = _reporter(subgraph, errors, f'On type "{type_def.name}", for @key(fields: "{fields}")')
    selection = _parse(fields)
    if isinstance(selection, str):
        report(CompositionErrorCode.KEY_INVALID_FIELDS, selection)
        return
    walk = _Walk(subgraph, report)
    for selected in walk.fields(selection, type_def, CompositionErrorCode.KEY_INVALID_FIELDS):
        coordinate = (selected.type.name, selected.name)
        declared = selected.type.fields[selected.name]
        if selected.node.directives:
            walk.fail(
                CompositionErrorCode.KEY_DIRECTIVE_IN_FIELDS_ARG,
                "cannot have directive applications in the @key(fields:) argument",
            )
        if declared.arguments:
            walk.fail(
                CompositionErrorCode.KEY_FIELDS_HAS_ARGS,
                f"field {coordinate[0]}.{coordinate[1]} cannot be included because it has "
                "arguments (fields with argument are not allowed in @key)",
            )
        target = subgraph.types.get(named(declared.type))
        if target is not None and target.kind in (TypeKind.INTERFACE, TypeKind.UNION):
            kind = "Interface" if target.kind is TypeKind.INTERFACE else "Union"
            walk.fail(
                CompositionErrorCode.KEY_FIELDS_SELECT_INVALID_TYPE,
                f'field "{coordinate[0]}.{coordinate[1]}" is a {kind} type which is not '
                "allowed in @key",
            )
        usage.key_fields.add(coordinate)
        if selected.depth == 0 and selected.type.name == type_def.name:
            usage.top_key_fields.add(coordinate)


def _check_requires(
    subgraph: SubgraphSchema,
    type_def: TypeDef,
    field_name: str,
    fields: str,
    usage: FieldSetUsage,
    errors: list[CompositionError],
) -> None:
    report = _reporter(
        subgraph,
        errors,
        f'On field "{type_def.name}.{field_name}", for @requires(fields: "{fields}")',
    )
    selection = _parse(fields)
    if isinstance(selection, str):
        report(CompositionErrorCode.REQUIRES_INVALID_FIELDS, selection)
        return
    walk = _Walk(subgraph, report)
    for selected in walk.fields(selection, type_def, CompositionErrorCode.REQUIRES_INVALID_FIELDS):
        usage.required.add((selected.type.name, selected.name))
        _check_external(
            subgraph,
            walk,
            selected,
            "@requires",
            CompositionErrorCode.REQUIRES_FIELDS_MISSING_EXTERNAL,
        )


def _check_provides(
    subgraph: SubgraphSchema,
    type_def: TypeDef,
    field_name: str,
    fields: str,
    usage: FieldSetUsage,
    errors: list[CompositionError],
) -> None:
    coordinate = f"{type_def.name}.{field_name}"
    report = _reporter(
        subgraph, errors, f'On field "{coordinate}", for @provides(fields: "{fields}")'
    )
    declared = type_def.fields[field_name]
    target = subgraph.types.get(named(declared.type))
    if target is None or target.kind not in _COMPOSITE:
        errors.append(
            CompositionError(
                CompositionErrorCode.PROVIDES_ON_NON_OBJECT_FIELD,
                f'[{subgraph.name}] Invalid @provides directive on field "{coordinate}": '
                f'field has type "{declared.type}" which is not a Composite Type',
            )
        )
        return
    selection = _parse(fields)
    if isinstance(selection, str):
        report(CompositionErrorCode.PROVIDES_INVALID_FIELDS, selection)
        return
    walk = _Walk(subgraph, report)
    targets = (
        [subgraph.types[m] for m in target.members if m in subgraph.types]
        if target.kind is TypeKind.UNION
        else [target]
    )
    for parent in targets:
        for selected in walk.fields(
            selection, parent, CompositionErrorCode.PROVIDES_INVALID_FIELDS
        ):
            usage.provided.add((selected.type.name, selected.name))
            if selected.type.fields[selected.name].arguments:
                walk.fail(
                    CompositionErrorCode.PROVIDES_INVALID_FIELDS,
                    f"field {selected.type.name}.{selected.name} cannot be included because it "
                    "has arguments (fields with argument are not allowed in @provides)",
                )
            _check_external(
                subgraph,
                walk,
                selected,
                "@provides",
                CompositionErrorCode.PROVIDES_FIELDS_MISSING_EXTERNAL,
            )


def _check_external(
    subgraph: SubgraphSchema,
    walk: _Walk,
    selected: _Selected,
    directive: str,
    code: CompositionErrorCode,
) -> None:
    # Federation 1 subgraphs often left these unmarked; composers accept that.
    if subgraph.is_fed1 or selected.depth > 0:
        return
    declared = selected.type.fields[selected.name]
    target = subgraph.types.get(named(declared.type))
    leaf = target is None or target.kind not in _COMPOSITE
    if leaf and not declared.external:
        walk.fail(
            code,
            f'field "{selected.type.name}.{selected.name}" should not be part of a {directive} '
            "since it is already provided by this subgraph (it is not marked @external)",
        )
