"""Rules each subgraph must satisfy on its own, before any merging: ``@override`` used
sensibly, every ``@fromContext`` reading a context the subgraph sets, and no ``@external``
field left unused (Federation 2)."""

from __future__ import annotations

from ..specs.federation import valid_label
from ..supergraph.model import TypeKind
from .errors import CompositionError, CompositionErrorCode
from .fieldsets import FieldSetUsage
from .subgraph import SubgraphSchema
from .type_refs import named

__all__ = ["check_subgraph_rules"]


def check_subgraph_rules(subgraph: SubgraphSchema, usage: FieldSetUsage) -> list[CompositionError]:
    """Errors in ``subgraph`` that do not depend on the other subgraphs."""
    errors = _override_errors(subgraph) + _context_errors(subgraph)
    if not subgraph.is_fed1:
        errors += _unused_externals(subgraph, usage)
    return errors


def _context_errors(subgraph: SubgraphSchema) -> list[CompositionError]:
    """Every ``@fromContext`` reads a context some type of the same subgraph sets."""
    contexts = {c for t in subgraph.types.values() for c in t.contexts}
    errors = []
    for type_def in subgraph.types.values():
        for field in type_def.fields.values():
            for argument in field.contextual:
                if argument.context not in contexts:
                    errors.append(
                        CompositionError(
                            CompositionErrorCode.CONTEXT_NOT_SET,
                            f'[{subgraph.name}] Context "{argument.context}" is used at '
                            f'location "{type_def.name}.{field.name}({argument.name}:)" but is '
                            "never set.",
                        )
                    )
    return errors


def _override_errors(subgraph: SubgraphSchema) -> list[CompositionError]:
    errors = []
    for type_def in subgraph.types.values():
        for field in type_def.fields.values():
            if field.override is None:
                continue
            coordinate = f"{type_def.name}.{field.name}"
            if field.override == subgraph.name:
                errors.append(
                    CompositionError(
                        CompositionErrorCode.OVERRIDE_FROM_SELF_ERROR,
                        f'[{subgraph.name}] Source and destination subgraphs "{subgraph.name}" '
                        "are the same for "
                        f'overridden field "{coordinate}"',
                    )
                )
            if field.external:
                errors.append(
                    CompositionError(
                        CompositionErrorCode.OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE,
                        f'[{subgraph.name}] @override cannot be used on field "{coordinate}" on '
                        "subgraph "
                        f'"{subgraph.name}" since "{coordinate}" on "{subgraph.name}" is marked '
                        'with directive "@external"',
                    )
                )
            label = field.override_label
            if label is not None and not valid_label(label):
                errors.append(
                    CompositionError(
                        CompositionErrorCode.OVERRIDE_LABEL_INVALID,
                        f'[{subgraph.name}] Invalid @override label "{label}" on field '
                        f'"{coordinate}" on subgraph '
                        f'"{subgraph.name}": labels must start with a letter and after that may '
                        "contain alphanumerics, underscores, minuses, colons, periods, or "
                        'slashes. Alternatively, labels may be of the form "percent(x)" where x '
                        "is a float between 0-100 inclusive.",
                    )
                )
    return errors


def _unused_externals(subgraph: SubgraphSchema, usage: FieldSetUsage) -> list[CompositionError]:
    errors = []
    used = usage.used
    for type_def in subgraph.types.values():
        if type_def.kind is not TypeKind.OBJECT or type_def.interface_object:
            continue
        interface_fields = {
            name
            for interface in type_def.interfaces
            if interface in subgraph.types
            for name in subgraph.types[interface].fields
        }
        for field in type_def.fields.values():
            if not field.external or (type_def.name, field.name) in used:
                continue
            if field.name in interface_fields:
                continue  # it is there to satisfy an interface
            target = subgraph.types.get(named(field.type))
            if target is not None and target.kind is TypeKind.OBJECT and _all_shareable(target):
                continue
            errors.append(
                CompositionError(
                    CompositionErrorCode.EXTERNAL_UNUSED,
                    f'[{subgraph.name}] Field "{type_def.name}.{field.name}" is marked @external '
                    "but is not used in any federation directive (@key, @provides, @requires) "
                    "or to satisfy an interface; the field declaration has no use and should be "
                    "removed (or the field should not be @external).",
                )
            )
    return errors


def _all_shareable(type_def: object) -> bool:
    fields = getattr(type_def, "fields", {})
    return bool(fields) and all(f.shareable for f in fields.values())
