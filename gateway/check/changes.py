"""What changes between two API schemas, and what each change means for clients.

:func:`diff_schemas` walks the current and the proposed client schema side by side and
lists every difference a client can observe as a :class:`SchemaChange`:

- **breaking**: an operation that validates today may stop validating, or may receive a
  value it was not written for (a removed field, a field that can now be null, a new
  required argument, a removed enum value);
- **dangerous**: operations keep validating, but clients may see something new at run
  time (an enum value or union member they do not handle, a changed default value);
- **safe**: nothing an existing client relies on changes (an added type or field, an
  output that became non-null, a description or a deprecation).

A rename is a removal and an addition. The rules follow graphql-js' ``findBreakingChanges``
and GraphQL Inspector, except that an optional input field is safe: a client that does not
send it sends what it always sent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from graphql import (
    GraphQLArgument,
    GraphQLDirective,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
    GraphQLUnionType,
    is_introspection_type,
    is_named_type,
    is_required_argument,
    is_required_input_field,
    is_specified_scalar_type,
    print_ast,
)
from graphql.utilities import get_default_value_ast
from graphql.utilities.sort_value_node import sort_value_node

__all__ = ["ChangeCode", "SchemaChange", "Severity", "diff_schemas"]


class Severity(StrEnum):
    BREAKING = "breaking"
    DANGEROUS = "dangerous"
    SAFE = "safe"


class ChangeCode(StrEnum):
    """Stable codes for CI scripts; the severity of each is fixed, except the three
    ``*_TYPE_CHANGED`` codes, which are safe or breaking depending on the direction."""

    TYPE_ADDED = "TYPE_ADDED"
    TYPE_REMOVED = "TYPE_REMOVED"
    TYPE_KIND_CHANGED = "TYPE_KIND_CHANGED"
    ROOT_TYPE_CHANGED = "ROOT_TYPE_CHANGED"
    FIELD_ADDED = "FIELD_ADDED"
    FIELD_REMOVED = "FIELD_REMOVED"
    FIELD_TYPE_CHANGED = "FIELD_TYPE_CHANGED"
    ARG_ADDED_REQUIRED = "ARG_ADDED_REQUIRED"
    ARG_ADDED_OPTIONAL = "ARG_ADDED_OPTIONAL"
    ARG_REMOVED = "ARG_REMOVED"
    ARG_TYPE_CHANGED = "ARG_TYPE_CHANGED"
    ARG_DEFAULT_CHANGED = "ARG_DEFAULT_CHANGED"
    INPUT_FIELD_ADDED_REQUIRED = "INPUT_FIELD_ADDED_REQUIRED"
    INPUT_FIELD_ADDED_OPTIONAL = "INPUT_FIELD_ADDED_OPTIONAL"
    INPUT_FIELD_REMOVED = "INPUT_FIELD_REMOVED"
    INPUT_FIELD_TYPE_CHANGED = "INPUT_FIELD_TYPE_CHANGED"
    INPUT_FIELD_DEFAULT_CHANGED = "INPUT_FIELD_DEFAULT_CHANGED"
    INPUT_ONE_OF_ADDED = "INPUT_ONE_OF_ADDED"
    INPUT_ONE_OF_REMOVED = "INPUT_ONE_OF_REMOVED"
    ENUM_VALUE_ADDED = "ENUM_VALUE_ADDED"
    ENUM_VALUE_REMOVED = "ENUM_VALUE_REMOVED"
    UNION_MEMBER_ADDED = "UNION_MEMBER_ADDED"
    UNION_MEMBER_REMOVED = "UNION_MEMBER_REMOVED"
    INTERFACE_ADDED = "INTERFACE_ADDED"
    INTERFACE_REMOVED = "INTERFACE_REMOVED"
    DIRECTIVE_ADDED = "DIRECTIVE_ADDED"
    DIRECTIVE_REMOVED = "DIRECTIVE_REMOVED"
    DIRECTIVE_LOCATION_ADDED = "DIRECTIVE_LOCATION_ADDED"
    DIRECTIVE_LOCATION_REMOVED = "DIRECTIVE_LOCATION_REMOVED"
    DIRECTIVE_REPEATABLE_ADDED = "DIRECTIVE_REPEATABLE_ADDED"
    DIRECTIVE_REPEATABLE_REMOVED = "DIRECTIVE_REPEATABLE_REMOVED"
    DESCRIPTION_CHANGED = "DESCRIPTION_CHANGED"
    DEPRECATION_ADDED = "DEPRECATION_ADDED"
    DEPRECATION_REMOVED = "DEPRECATION_REMOVED"
    DEPRECATION_REASON_CHANGED = "DEPRECATION_REASON_CHANGED"
    SPECIFIED_BY_CHANGED = "SPECIFIED_BY_CHANGED"


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One difference between the current and the proposed API schema."""

    severity: Severity
    code: ChangeCode
    path: str
    """The schema coordinate: ``Type``, ``Type.field``, ``Type.field(arg:)``,
    ``Enum.VALUE``, ``Input.field``, ``@directive``, ``@directive(arg:)``."""
    message: str


_BREAKING, _DANGEROUS, _SAFE = Severity.BREAKING, Severity.DANGEROUS, Severity.SAFE
_ORDER = {_BREAKING: 0, _DANGEROUS: 1, _SAFE: 2}

_Fields = Mapping[str, GraphQLField]
_Arguments = Mapping[str, GraphQLArgument]
_Deprecatable = GraphQLField | GraphQLArgument | GraphQLInputField | GraphQLEnumValue


def diff_schemas(current: GraphQLSchema, proposed: GraphQLSchema) -> tuple[SchemaChange, ...]:
    """Every client-visible change from ``current`` to ``proposed``: breaking changes
    first, then dangerous, then safe, each group in schema-coordinate order."""
    changes = [
        *_root_changes(current, proposed),
        *_type_changes(current, proposed),
        *_directive_changes(current, proposed),
    ]
    return tuple(sorted(changes, key=lambda c: (_ORDER[c.severity], c.path, c.code)))


def _root_changes(current: GraphQLSchema, proposed: GraphQLSchema) -> Iterator[SchemaChange]:
    for operation in ("query", "mutation", "subscription"):
        old = getattr(current, f"{operation}_type")
        new = getattr(proposed, f"{operation}_type")
        # A root that disappears shows as its type's removal; this is about renamed roots.
        if old is not None and new is not None and old.name != new.name:
            yield SchemaChange(
                _BREAKING,
                ChangeCode.ROOT_TYPE_CHANGED,
                old.name,
                f"The {operation} root type is now {new.name}, no longer {old.name}.",
            )


def _client_types(schema: GraphQLSchema) -> dict[str, GraphQLNamedType]:
    # Built-in scalars come and go with their use, and introspection never changes:
    # neither is a change of this graph.
    return {
        name: type_
        for name, type_ in schema.type_map.items()
        if not is_introspection_type(type_) and not is_specified_scalar_type(type_)
    }


def _type_changes(current: GraphQLSchema, proposed: GraphQLSchema) -> Iterator[SchemaChange]:
    old_types, new_types = _client_types(current), _client_types(proposed)
    for name, old in old_types.items():
        new = new_types.get(name)
        if new is None:
            yield SchemaChange(
                _BREAKING,
                ChangeCode.TYPE_REMOVED,
                name,
                f"Type '{name}' was removed: operations using it stop validating.",
            )
        elif type(old) is not type(new):
            yield SchemaChange(
                _BREAKING,
                ChangeCode.TYPE_KIND_CHANGED,
                name,
                f"Type '{name}' changed from {_kind(old)} to {_kind(new)}.",
            )
        else:
            yield from _same_kind_changes(old, new)
    for name, new in new_types.items():
        if name not in old_types:
            yield SchemaChange(
                _SAFE, ChangeCode.TYPE_ADDED, name, f"Type '{name}' ({_kind(new)}) was added."
            )


def _kind(type_: GraphQLNamedType) -> str:
    kinds: list[tuple[type, str]] = [
        (GraphQLObjectType, "an object type"),
        (GraphQLInterfaceType, "an interface"),
        (GraphQLUnionType, "a union"),
        (GraphQLEnumType, "an enum"),
        (GraphQLInputObjectType, "an input type"),
        (GraphQLScalarType, "a scalar"),
    ]
    return next(label for cls, label in kinds if isinstance(type_, cls))


def _same_kind_changes(old: GraphQLNamedType, new: GraphQLNamedType) -> Iterator[SchemaChange]:
    yield from _description_change(old.name, "Type", old.description, new.description)
    if isinstance(old, GraphQLObjectType | GraphQLInterfaceType):
        assert isinstance(new, GraphQLObjectType | GraphQLInterfaceType)
        yield from _interface_changes(old, new)
        yield from _field_changes(old.name, old.fields, new.fields)
    elif isinstance(old, GraphQLUnionType):
        assert isinstance(new, GraphQLUnionType)
        yield from _union_changes(old, new)
    elif isinstance(old, GraphQLEnumType):
        assert isinstance(new, GraphQLEnumType)
        yield from _enum_changes(old, new)
    elif isinstance(old, GraphQLInputObjectType):
        assert isinstance(new, GraphQLInputObjectType)
        yield from _input_changes(old, new)
    elif isinstance(old, GraphQLScalarType):
        assert isinstance(new, GraphQLScalarType)
        if old.specified_by_url != new.specified_by_url:
            yield SchemaChange(
                _SAFE,
                ChangeCode.SPECIFIED_BY_CHANGED,
                old.name,
                f"Scalar '{old.name}' is now specified by {new.specified_by_url or 'no URL'}.",
            )


def _interface_changes(
    old: GraphQLObjectType | GraphQLInterfaceType, new: GraphQLObjectType | GraphQLInterfaceType
) -> Iterator[SchemaChange]:
    old_names = {i.name for i in old.interfaces}
    new_names = {i.name for i in new.interfaces}
    for name in sorted(old_names - new_names):
        yield SchemaChange(
            _BREAKING,
            ChangeCode.INTERFACE_REMOVED,
            old.name,
            f"'{old.name}' no longer implements '{name}': fragments "
            f"'... on {name}' stop matching it, and '... on {old.name}' inside "
            f"a '{name}' selection stops validating.",
        )
    for name in sorted(new_names - old_names):
        yield SchemaChange(
            _DANGEROUS,
            ChangeCode.INTERFACE_ADDED,
            old.name,
            f"'{old.name}' now implements '{name}': a '{name}' field may return "
            f"'{old.name}' objects that clients do not expect.",
        )


def _field_changes(owner: str, old_fields: _Fields, new_fields: _Fields) -> Iterator[SchemaChange]:
    for name, old in old_fields.items():
        path = f"{owner}.{name}"
        new = new_fields.get(name)
        if new is None:
            yield SchemaChange(
                _BREAKING,
                ChangeCode.FIELD_REMOVED,
                path,
                f"Field '{path}' was removed: operations selecting it stop validating.",
            )
            continue
        if str(old.type) != str(new.type):
            if _output_change_is_safe(old.type, new.type):
                message = (
                    f"Field '{path}' changed type from {old.type} to {new.type}: "
                    "clients get values they already handle."
                )
                yield SchemaChange(_SAFE, ChangeCode.FIELD_TYPE_CHANGED, path, message)
            else:
                yield SchemaChange(
                    _BREAKING,
                    ChangeCode.FIELD_TYPE_CHANGED,
                    path,
                    f"Field '{path}' changed type from {old.type} to {new.type}: "
                    + _output_change_consequence(old.type, new.type),
                )
        yield from _description_change(path, "Field", old.description, new.description)
        yield from _deprecation_change(path, "Field", old, new)
        yield from _argument_changes(path, old.args, new.args)
    for name in new_fields:
        if name not in old_fields:
            path = f"{owner}.{name}"
            yield SchemaChange(
                _SAFE,
                ChangeCode.FIELD_ADDED,
                path,
                f"Field '{path}' ({new_fields[name].type}) was added.",
            )


def _output_change_consequence(old: GraphQLType, new: GraphQLType) -> str:
    if isinstance(old, GraphQLNonNull) and str(new) == str(old.of_type):
        return "it can now be null, and clients written for a value may fail on null."
    return "operations selecting it may stop validating or get values they cannot read."


def _argument_changes(
    owner: str, old_args: _Arguments, new_args: _Arguments
) -> Iterator[SchemaChange]:
    # ``owner`` is ``Type.field`` or ``@directive``: arguments follow the same rules on both.
    for name, old in old_args.items():
        path = f"{owner}({name}:)"
        new = new_args.get(name)
        if new is None:
            yield SchemaChange(
                _BREAKING,
                ChangeCode.ARG_REMOVED,
                path,
                f"Argument '{path}' was removed: operations passing it stop validating.",
            )
            continue
        yield from _input_value_changes(
            path, "Argument", old, new, ChangeCode.ARG_TYPE_CHANGED, ChangeCode.ARG_DEFAULT_CHANGED
        )
    for name, new in new_args.items():
        if name in old_args:
            continue
        path = f"{owner}({name}:)"
        if is_required_argument(new):
            yield SchemaChange(
                _BREAKING,
                ChangeCode.ARG_ADDED_REQUIRED,
                path,
                f"Required argument '{path}' ({new.type}) was added: operations that do "
                "not pass it stop validating. Give it a default value or make it nullable.",
            )
        else:
            yield SchemaChange(
                _DANGEROUS,
                ChangeCode.ARG_ADDED_OPTIONAL,
                path,
                f"Optional argument '{path}' ({new.type}) was added: existing operations "
                "still validate; check the field answers them as before.",
            )


def _input_value_changes(
    path: str,
    what: str,
    old: GraphQLArgument | GraphQLInputField,
    new: GraphQLArgument | GraphQLInputField,
    type_code: ChangeCode,
    default_code: ChangeCode,
) -> Iterator[SchemaChange]:
    """Type, default, description and deprecation of an argument or input field."""
    if str(old.type) != str(new.type):
        if _input_change_is_safe(old.type, new.type):
            yield SchemaChange(
                _SAFE,
                type_code,
                path,
                f"{what} '{path}' changed type from {old.type} to {new.type}: "
                "every value clients send today is still accepted.",
            )
        else:
            now_required = isinstance(new.type, GraphQLNonNull) and str(new.type.of_type) == str(
                old.type
            )
            consequence = (
                "it is now required, and operations that leave it out stop validating."
                if now_required
                else "operations passing values of the old type may stop validating."
            )
            yield SchemaChange(
                _BREAKING,
                type_code,
                path,
                f"{what} '{path}' changed type from {old.type} to {new.type}: {consequence}",
            )
    old_default, new_default = _default(old), _default(new)
    if old_default != new_default:
        yield SchemaChange(
            _DANGEROUS,
            default_code,
            path,
            f"{what} '{path}' default changed from {old_default or 'none'} to "
            f"{new_default or 'none'}: operations that leave it out get a different answer.",
        )
    yield from _description_change(path, what, old.description, new.description)
    yield from _deprecation_change(path, what, old, new)


def _default(value: GraphQLArgument | GraphQLInputField) -> str | None:
    # Printed the way introspection shows it, so equal defaults written differently
    # (``{a: 1, b: 2}`` and ``{b: 2, a: 1}``) compare equal.
    literal = get_default_value_ast(value)
    return print_ast(sort_value_node(literal)) if literal is not None else None


def _input_changes(
    old: GraphQLInputObjectType, new: GraphQLInputObjectType
) -> Iterator[SchemaChange]:
    if old.is_one_of != new.is_one_of:
        if new.is_one_of:
            yield SchemaChange(
                _BREAKING,
                ChangeCode.INPUT_ONE_OF_ADDED,
                old.name,
                f"Input '{old.name}' became @oneOf: clients must now send exactly one field.",
            )
        else:
            yield SchemaChange(
                _SAFE,
                ChangeCode.INPUT_ONE_OF_REMOVED,
                old.name,
                f"Input '{old.name}' is no longer @oneOf: it accepts several fields at once.",
            )
    for name, old_field in old.fields.items():
        path = f"{old.name}.{name}"
        new_field = new.fields.get(name)
        if new_field is None:
            yield SchemaChange(
                _BREAKING,
                ChangeCode.INPUT_FIELD_REMOVED,
                path,
                f"Input field '{path}' was removed: operations sending it stop validating.",
            )
            continue
        yield from _input_value_changes(
            path,
            "Input field",
            old_field,
            new_field,
            ChangeCode.INPUT_FIELD_TYPE_CHANGED,
            ChangeCode.INPUT_FIELD_DEFAULT_CHANGED,
        )
    for name, new_field in new.fields.items():
        if name in old.fields:
            continue
        path = f"{old.name}.{name}"
        if is_required_input_field(new_field):
            yield SchemaChange(
                _BREAKING,
                ChangeCode.INPUT_FIELD_ADDED_REQUIRED,
                path,
                f"Required input field '{path}' ({new_field.type}) was added: operations "
                "that do not send it stop validating. Give it a default or make it nullable.",
            )
        else:
            yield SchemaChange(
                _SAFE,
                ChangeCode.INPUT_FIELD_ADDED_OPTIONAL,
                path,
                f"Optional input field '{path}' ({new_field.type}) was added.",
            )


def _enum_changes(old: GraphQLEnumType, new: GraphQLEnumType) -> Iterator[SchemaChange]:
    for name, value in old.values.items():
        path = f"{old.name}.{name}"
        if name not in new.values:
            yield SchemaChange(
                _BREAKING,
                ChangeCode.ENUM_VALUE_REMOVED,
                path,
                f"Enum value '{path}' was removed: operations passing it stop validating, "
                "and stored or cached values may no longer be understood.",
            )
            continue
        new_value = new.values[name]
        yield from _description_change(path, "Enum value", value.description, new_value.description)
        yield from _deprecation_change(path, "Enum value", value, new_value)
    for name in new.values:
        if name not in old.values:
            path = f"{old.name}.{name}"
            yield SchemaChange(
                _DANGEROUS,
                ChangeCode.ENUM_VALUE_ADDED,
                path,
                f"Enum value '{path}' was added: clients that switch over '{old.name}' "
                "may receive a value they do not handle.",
            )


def _union_changes(old: GraphQLUnionType, new: GraphQLUnionType) -> Iterator[SchemaChange]:
    old_names = {t.name for t in old.types}
    new_names = {t.name for t in new.types}
    for name in sorted(old_names - new_names):
        yield SchemaChange(
            _BREAKING,
            ChangeCode.UNION_MEMBER_REMOVED,
            old.name,
            f"'{name}' is no longer a member of union '{old.name}': fragments "
            f"'... on {name}' on it stop validating.",
        )
    for name in sorted(new_names - old_names):
        yield SchemaChange(
            _DANGEROUS,
            ChangeCode.UNION_MEMBER_ADDED,
            old.name,
            f"'{name}' was added to union '{old.name}': clients may receive objects of a "
            "type they do not handle.",
        )


def _directive_changes(current: GraphQLSchema, proposed: GraphQLSchema) -> Iterator[SchemaChange]:
    old_directives = {d.name: d for d in current.directives}
    new_directives = {d.name: d for d in proposed.directives}
    for name, old in old_directives.items():
        path = f"@{name}"
        new = new_directives.get(name)
        if new is None:
            yield SchemaChange(
                _BREAKING,
                ChangeCode.DIRECTIVE_REMOVED,
                path,
                f"Directive '{path}' was removed: operations using it stop validating.",
            )
        else:
            yield from _same_directive_changes(path, old, new)
    for name in new_directives:
        if name not in old_directives:
            yield SchemaChange(
                _SAFE, ChangeCode.DIRECTIVE_ADDED, f"@{name}", f"Directive '@{name}' was added."
            )


def _same_directive_changes(
    path: str, old: GraphQLDirective, new: GraphQLDirective
) -> Iterator[SchemaChange]:
    yield from _description_change(path, "Directive", old.description, new.description)
    if old.is_repeatable and not new.is_repeatable:
        yield SchemaChange(
            _BREAKING,
            ChangeCode.DIRECTIVE_REPEATABLE_REMOVED,
            path,
            f"Directive '{path}' is no longer repeatable: operations using it twice "
            "in one place stop validating.",
        )
    elif new.is_repeatable and not old.is_repeatable:
        yield SchemaChange(
            _SAFE,
            ChangeCode.DIRECTIVE_REPEATABLE_ADDED,
            path,
            f"Directive '{path}' is now repeatable.",
        )
    old_locations = {location.name for location in old.locations}
    new_locations = {location.name for location in new.locations}
    for location in sorted(old_locations - new_locations):
        yield SchemaChange(
            _BREAKING,
            ChangeCode.DIRECTIVE_LOCATION_REMOVED,
            path,
            f"Directive '{path}' can no longer be used on {location}.",
        )
    for location in sorted(new_locations - old_locations):
        yield SchemaChange(
            _SAFE,
            ChangeCode.DIRECTIVE_LOCATION_ADDED,
            path,
            f"Directive '{path}' can now be used on {location}.",
        )
    yield from _argument_changes(path, old.args, new.args)


def _description_change(
    path: str, what: str, old: str | None, new: str | None
) -> Iterator[SchemaChange]:
    if (old or None) != (new or None):
        yield SchemaChange(
            _SAFE,
            ChangeCode.DESCRIPTION_CHANGED,
            path,
            f"{what} '{path}' has a new description."
            if new
            else f"{what} '{path}' lost its description.",
        )


def _deprecation_change(
    path: str, what: str, old: _Deprecatable, new: _Deprecatable
) -> Iterator[SchemaChange]:
    before, after = old.deprecation_reason, new.deprecation_reason
    if before == after:
        return
    if before is None:
        yield SchemaChange(
            _SAFE,
            ChangeCode.DEPRECATION_ADDED,
            path,
            f"{what} '{path}' is deprecated: {after}. It still works; clients should move off it.",
        )
    elif after is None:
        yield SchemaChange(
            _SAFE,
            ChangeCode.DEPRECATION_REMOVED,
            path,
            f"{what} '{path}' is no longer deprecated.",
        )
    else:
        yield SchemaChange(
            _SAFE,
            ChangeCode.DEPRECATION_REASON_CHANGED,
            path,
            f"{what} '{path}' has a new deprecation reason: {after}.",
        )


def _output_change_is_safe(old: GraphQLType, new: GraphQLType) -> bool:
    """Whether every value of ``new`` is one a client reading ``old`` already handles:
    the same named type, possibly non-null where it was nullable."""
    if isinstance(new, GraphQLNonNull) and not isinstance(old, GraphQLNonNull):
        return _output_change_is_safe(old, new.of_type)
    if isinstance(old, GraphQLNonNull):
        return isinstance(new, GraphQLNonNull) and _output_change_is_safe(old.of_type, new.of_type)
    if isinstance(old, GraphQLList):
        return isinstance(new, GraphQLList) and _output_change_is_safe(old.of_type, new.of_type)
    return is_named_type(new) and str(old) == str(new)


def _input_change_is_safe(old: GraphQLType, new: GraphQLType) -> bool:
    """Whether every value clients may send for ``old`` is accepted by ``new``: the same
    named type, possibly nullable where it was non-null."""
    if isinstance(old, GraphQLNonNull):
        inner = new.of_type if isinstance(new, GraphQLNonNull) else new
        return _input_change_is_safe(old.of_type, inner)
    if isinstance(new, GraphQLNonNull):
        return False
    if isinstance(old, GraphQLList):
        return isinstance(new, GraphQLList) and _input_change_is_safe(old.of_type, new.of_type)
    return is_named_type(new) and str(old) == str(new)
