"""Where a subgraph may apply the access and demand-control directives.

``@authenticated``, ``@requiresScopes`` and ``@policy`` belong on objects, their fields,
scalars and enums, never on interfaces or their fields (an implementation's requirements
could not be told apart); ``@cost`` not on interface fields either; ``@listSize`` on a list
field, or on a field whose ``sizedFields`` are lists, sliced by ``Int`` arguments.
"""

from __future__ import annotations

from ..supergraph.model import TypeKind
from .errors import CompositionError, CompositionErrorCode
from .subgraph import Field, SubgraphSchema, TypeDef
from .type_refs import named

__all__ = ["check_directive_rules"]


def check_directive_rules(subgraph: SubgraphSchema) -> list[CompositionError]:
    """Misplaced access, cost and list-size directives in ``subgraph``."""
    errors: list[CompositionError] = []
    for type_def in subgraph.types.values():
        errors += _access_errors(subgraph.name, type_def)
        if type_def.kind is TypeKind.INTERFACE:
            errors += _interface_cost_errors(subgraph.name, type_def)
        for field in type_def.fields.values():
            if field.marks.demand.list_size is not None:
                errors += _list_size_errors(subgraph, type_def, field)
    return errors


def _access_errors(subgraph: str, type_def: TypeDef) -> list[CompositionError]:
    if type_def.kind is TypeKind.INTERFACE:
        places = [(f'interface "{type_def.name}"', type_def.marks)]
        places += [(f'field "{type_def.name}.{f.name}"', f.marks) for f in type_def.fields.values()]
    elif type_def.interface_object:
        places = [(f'interface object "{type_def.name}"', type_def.marks)]
    else:
        return []
    return [
        CompositionError(
            CompositionErrorCode.AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE,
            f"[{subgraph}] Invalid use of @{directive} on {place}: @{directive} cannot be "
            "applied on interfaces, interface fields and interface objects",
        )
        for place, marks in places
        for directive in marks.access.names()
    ]


def _interface_cost_errors(subgraph: str, type_def: TypeDef) -> list[CompositionError]:
    errors = []
    for field in type_def.fields.values():
        coordinate = f'interface "{type_def.name}.{field.name}"'
        if field.marks.demand.weight is not None:
            errors.append(f"@cost cannot be applied to {coordinate}")
        errors += [
            f'@cost cannot be applied to {coordinate} argument "{a.name}"'
            for a in field.arguments.values()
            if a.marks.demand.weight is not None
        ]
    return [
        CompositionError(
            CompositionErrorCode.COST_APPLIED_TO_INTERFACE_FIELD, f"[{subgraph}] {message}"
        )
        for message in errors
    ]


def _is_list(type_text: str) -> bool:
    return type_text.startswith("[")


def _list_size_errors(
    subgraph: SubgraphSchema, type_def: TypeDef, field: Field
) -> list[CompositionError]:
    """The reference composer's checks, in its order: each failing check ends the list."""
    list_size = field.marks.demand.list_size
    assert list_size is not None
    coordinate = f'"{type_def.name}.{field.name}"'

    def error(code: CompositionErrorCode, message: str) -> CompositionError:
        return CompositionError(code, f"[{subgraph.name}] {coordinate} {message}")

    if list_size.assumed_size is not None and list_size.assumed_size < 0:
        return [
            error(
                CompositionErrorCode.LIST_SIZE_INVALID_ASSUMED_SIZE,
                "has negative @listSize(assumedSize:) value",
            )
        ]
    sized_fields = list_size.sized_fields or ()
    if not sized_fields and not _is_list(field.type):
        return [
            error(
                CompositionErrorCode.LIST_SIZE_INVALID_SIZED_FIELD,
                "is not a list. Try to add @listSize(sizedFields:) argument.",
            )
        ]
    if sized_fields:
        target = subgraph.types.get(named(field.type))
        if target is None or target.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
            return [
                error(
                    CompositionErrorCode.LIST_SIZE_INVALID_SIZED_FIELD,
                    "has @listSize(sizedFields:) applied, but the output type is not a "
                    "composite type",
                )
            ]
        not_lists = [
            error(
                CompositionErrorCode.LIST_SIZE_APPLIED_TO_NON_LIST,
                f'references "{name}" field in @listSize(sizedFields:) argument that is not '
                "a list.",
            )
            for name in sized_fields
            if name in target.fields and not _is_list(target.fields[name].type)
        ]
        missing = [
            error(
                CompositionErrorCode.LIST_SIZE_INVALID_SIZED_FIELD,
                f'references "{name}" field in @listSize(sizedFields:) argument that does not '
                "exist.",
            )
            for name in sized_fields
            if name not in target.fields
        ]
        if not_lists or missing:
            return not_lists + missing
    slicing = list_size.slicing_arguments or ()
    not_ints = [
        error(
            CompositionErrorCode.LIST_SIZE_INVALID_SLICING_ARGUMENT,
            f'references "{name}" argument in @listSize(slicingArguments:) that is not an integer.',
        )
        for name in slicing
        if name in field.arguments and field.arguments[name].type not in ("Int", "Int!")
    ]
    unknown = [
        error(
            CompositionErrorCode.LIST_SIZE_INVALID_SLICING_ARGUMENT,
            f'references "{name}" argument in @listSize(slicingArguments:) that does not exist.',
        )
        for name in slicing
        if name not in field.arguments
    ]
    return not_ints + unknown
