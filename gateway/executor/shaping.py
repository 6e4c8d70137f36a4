"""Project the merged subgraph answers onto the client's selection.

This replaces running graphql-core's ``execute()`` over the merged tree: one walk over the
client's selection that keeps exactly the requested response keys, answers
``__typename``, applies fragments by runtime type, checks leaf values against the API
schema, and propagates nulls by the API schema's nullability, adding an error at the
client's path where a non-null field has no value and no error explains it yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    is_abstract_type,
)

from ..errors import ErrorCode, graphql_error
from .paths import Path, listed

__all__ = ["ShapeCache", "shape_response"]

_NULL = object()
"""A non-null position got null: the nearest nullable parent becomes null."""

_TYPENAME, _INTROSPECTION, _FIELD, _SCALAR, _NON_NULL_SCALAR = 0, 1, 2, 3, 4
"""Step kinds. Scalar leaves, most of any response, are copied without the general walk
(the general walk passes scalars through unchecked too); a non-null one takes the general
walk only when it is null, to report it."""


@dataclass(frozen=True, slots=True)
class _Step:
    """One response key of an object, as collected from the client's selection."""

    key: str
    name: str
    kind: int
    type: GraphQLOutputType | None
    selection_sets: tuple[SelectionSetNode, ...]
    children: dict[tuple[str, tuple[tuple[str, bool], ...]], tuple[_Step, ...]] = field(
        default_factory=dict, compare=False
    )
    """The steps collected below this one, by runtime type and condition variables: a
    repeated document finds them here instead of hashing its selection sets again."""


ShapeCache: TypeAlias = dict[tuple[object, ...], tuple[_Step, ...]]
"""Collected steps by (selection sets, runtime type, condition variables). It must live
exactly as long as the document whose nodes its keys identify."""


class _Shaper:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        errors: list[dict[str, Any]],
        cache: ShapeCache,
    ):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.errors = errors
        self.error_paths = [tuple(e.get("path") or ()) for e in errors]
        self.cache = cache
        # @skip/@include read boolean variables: they are part of what was collected
        self.conditions = tuple(sorted((k, v) for k, v in variables.items() if isinstance(v, bool)))

    def _included(self, node: FieldNode | FragmentSpreadNode | InlineFragmentNode) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            for argument in directive.arguments or ():
                if argument.name.value != "if":
                    continue
                value_node = argument.value
                if value_node.kind == "variable":
                    value = bool(self.variables.get(value_node.name.value))  # type: ignore[attr-defined]
                else:
                    value = bool(getattr(value_node, "value", False))
                if (name == "skip") == value:
                    return False
        return True

    def collect(
        self,
        object_type: GraphQLObjectType | GraphQLInterfaceType,
        selection_sets: tuple[SelectionSetNode, ...],
    ) -> tuple[_Step, ...]:
        key = (tuple(map(id, selection_sets)), object_type.name, self.conditions)
        steps = self.cache.get(key)
        if steps is not None:
            return steps
        fields: dict[str, list[FieldNode]] = {}
        # One visited set for all the merged fields' selections: a fragment collected once
        # for this object adds nothing the second time, and fragments spreading each other
        # twice would otherwise multiply the field nodes at every level.
        visited: set[str] = set()
        for selection_set in {id(s): s for s in selection_sets}.values():
            self._collect_into(object_type, selection_set, fields, visited)
        collected = []
        for response_key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                collected.append(_Step(response_key, name, _TYPENAME, None, ()))
            elif name in ("__schema", "__type"):
                collected.append(_Step(response_key, name, _INTROSPECTION, None, ()))
            elif name in object_type.fields:
                sets = tuple(n.selection_set for n in nodes if n.selection_set is not None)
                field_type = object_type.fields[name].type
                collected.append(_Step(response_key, name, _kind(field_type), field_type, sets))
        steps = self.cache[key] = tuple(collected)
        return steps

    def _collect_into(
        self,
        object_type: GraphQLObjectType | GraphQLInterfaceType,
        selection_set: SelectionSetNode,
        fields: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):  # type: ignore[arg-type]
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, object_type):
                    self._collect_into(object_type, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = self.fragments.get(name)
                if fragment is not None and self._applies(
                    fragment.type_condition.name.value, object_type
                ):
                    self._collect_into(object_type, fragment.selection_set, fields, visited)

    def _applies(
        self, condition: str, object_type: GraphQLObjectType | GraphQLInterfaceType
    ) -> bool:
        if condition == object_type.name:
            return True
        condition_type = self.schema.get_type(condition)
        return (
            condition_type is not None
            and is_abstract_type(condition_type)
            and (self.schema.is_sub_type(condition_type, object_type))
        )

    def has_error_at(self, path: tuple[str | int, ...]) -> bool:
        size = len(path)
        for error_path in self.error_paths:
            # an error on this position, inside it, or on an ancestor explains the null
            common = min(size, len(error_path))
            if error_path[:common] == path[:common]:
                return True
        return False

    def object(
        self,
        object_type: GraphQLObjectType | GraphQLInterfaceType,
        selection_sets: tuple[SelectionSetNode, ...],
        source: Mapping[str, Any],
        path: Path,
        owner: _Step | None = None,
    ) -> Any:
        if owner is None:
            steps = self.collect(object_type, selection_sets)
        else:
            memo = (object_type.name, self.conditions)
            found = owner.children.get(memo)
            if found is None:
                found = owner.children[memo] = self.collect(object_type, selection_sets)
            steps = found
        result: dict[str, Any] = {}
        get = source.get
        for step in steps:
            kind = step.kind
            if kind == _SCALAR:
                result[step.key] = get(step.key)
            elif kind == _NON_NULL_SCALAR and (value := get(step.key)) is not None:
                result[step.key] = value
            elif kind >= _FIELD:
                assert step.type is not None
                completed = self.value(
                    step.type, step, get(step.key), (path, step.key), object_type
                )
                if completed is _NULL:
                    return _NULL
                result[step.key] = completed
            elif kind == _TYPENAME:
                result[step.key] = object_type.name
            else:
                result[step.key] = get(step.key)  # answered by introspection beforehand
        return result

    def value(
        self,
        type_: GraphQLOutputType,
        step: _Step,
        value: Any,
        path: Path,
        parent: GraphQLObjectType | GraphQLInterfaceType,
    ) -> Any:
        if isinstance(type_, GraphQLNonNull):
            completed = self.value(type_.of_type, step, value, path, parent)
            if completed is None or completed is _NULL:
                if completed is None and not self.has_error_at(listed(path)):
                    self._error(
                        f"Cannot return null for non-nullable field {parent.name}.{step.name}.",
                        path,
                    )
                return _NULL
            return completed
        if value is None or isinstance(type_, GraphQLScalarType):
            return value
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                return self._invalid(f"expected a list for {parent.name}.{step.name}", path)
            items = []
            item_type = type_.of_type
            non_null = isinstance(item_type, GraphQLNonNull)
            object_type = item_type.of_type if non_null else item_type
            if not isinstance(object_type, GraphQLObjectType):
                object_type = None
            for index, item in enumerate(value):
                if object_type is not None and isinstance(item, dict):
                    # lists of objects are most of a large response: straight to the object
                    completed = self.object(
                        object_type, step.selection_sets, item, (path, index), step
                    )
                    if completed is _NULL:
                        if non_null:  # the error is recorded below; the list absorbs it
                            return None
                        completed = None
                else:
                    completed = self.value(item_type, step, item, (path, index), parent)
                    if completed is _NULL:
                        return None
                items.append(completed)
            return items
        if isinstance(type_, GraphQLEnumType):
            if value not in type_.values:
                return self._invalid(f"Enum '{type_.name}' cannot represent value: {value!r}", path)
            return value
        if not isinstance(value, dict):
            return self._invalid(f"expected an object for {parent.name}.{step.name}", path)
        if isinstance(type_, GraphQLObjectType):
            return self._nullable(self.object(type_, step.selection_sets, value, path, step))
        typename = value.get("__typename")
        runtime = self.schema.get_type(typename) if isinstance(typename, str) else None
        if runtime is type_ and isinstance(runtime, GraphQLInterfaceType):
            # an @interfaceObject answered for the interface itself; the planner only
            # lets that happen when nothing type-specific was asked for
            return self._nullable(self.object(runtime, step.selection_sets, value, path, step))
        if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(
            type_,
            runtime,
        ):
            return self._invalid(
                f"cannot tell the type of {parent.name}.{step.name} (__typename {typename!r})",
                path,
            )
        return self._nullable(self.object(runtime, step.selection_sets, value, path, step))

    @staticmethod
    def _nullable(completed: Any) -> Any:
        """A nullable position absorbs a null coming up from a non-null field below it."""
        return None if completed is _NULL else completed

    def _invalid(self, message: str, path: Path) -> None:
        self._error(message, path, ErrorCode.INVALID_SUBGRAPH_RESPONSE)
        return None

    def _error(
        self,
        message: str,
        path: Path,
        code: ErrorCode = ErrorCode.INVALID_SUBGRAPH_RESPONSE,
    ) -> None:
        keys = listed(path)
        self.errors.append(graphql_error(message, code, path=keys))
        self.error_paths.append(keys)


def _kind(field_type: GraphQLOutputType) -> int:
    if isinstance(field_type, GraphQLScalarType):
        return _SCALAR
    if isinstance(field_type, GraphQLNonNull) and isinstance(field_type.of_type, GraphQLScalarType):
        return _NON_NULL_SCALAR
    return _FIELD


def shape_response(
    schema: GraphQLSchema,
    root_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    data: Mapping[str, Any],
    errors: list[dict[str, Any]],
    cache: ShapeCache | None = None,
) -> dict[str, Any] | None:
    """Return the client's ``data``; appends to ``errors`` what shaping finds wrong.

    ``cache`` keeps what was collected from the selection between requests for the same
    document (see :data:`ShapeCache`).
    """
    shaper = _Shaper(schema, fragments, variables, errors, {} if cache is None else cache)
    result = shaper.object(root_type, (selection_set,), data, None)
    return None if result is _NULL else result
