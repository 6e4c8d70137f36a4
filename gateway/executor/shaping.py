"""Project the merged subgraph answers onto the client's selection.

This replaces running graphql-core's ``execute()`` over the merged tree: one walk over the
client's selection that keeps exactly the requested response keys, answers
``__typename``, applies fragments by runtime type, checks leaf values against the API
schema, and propagates nulls by the API schema's nullability, adding an error at the
client's path where a non-null field has no value and no error explains it yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

__all__ = ["shape_response"]

_NULL = object()
"""A non-null position got null: the nearest nullable parent becomes null."""


class _Shaper:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        errors: list[dict[str, Any]],
    ):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.errors = errors
        self.error_paths = [tuple(e.get("path") or ()) for e in errors]
        self._collected: dict[tuple[int, str], dict[str, list[FieldNode]]] = {}

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
    ) -> dict[str, list[FieldNode]]:
        key = (
            id(selection_sets[0])
            if len(selection_sets) == 1
            else hash(tuple(id(s) for s in selection_sets)),
            object_type.name,
        )
        cached = self._collected.get(key)
        if cached is not None:
            return cached
        fields: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect_into(object_type, selection_set, fields, set())
        self._collected[key] = fields
        return fields

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
        path: tuple[str | int, ...],
    ) -> Any:
        result: dict[str, Any] = {}
        for key, nodes in self.collect(object_type, selection_sets).items():
            name = nodes[0].name.value
            if name == "__typename":
                result[key] = object_type.name
                continue
            if name in ("__schema", "__type"):
                result[key] = source.get(key)  # answered by introspection beforehand
                continue
            field = object_type.fields.get(name)
            if field is None:
                continue
            value = source.get(key)
            child_sets = tuple(n.selection_set for n in nodes if n.selection_set is not None)
            completed = self.value(field.type, child_sets, value, (*path, key), object_type, name)
            if completed is _NULL:
                return _NULL
            result[key] = completed
        return result

    def value(
        self,
        type_: GraphQLOutputType,
        selection_sets: tuple[SelectionSetNode, ...],
        value: Any,
        path: tuple[str | int, ...],
        parent: GraphQLObjectType | GraphQLInterfaceType,
        field_name: str,
    ) -> Any:
        if isinstance(type_, GraphQLNonNull):
            completed = self.value(type_.of_type, selection_sets, value, path, parent, field_name)
            if completed is None or completed is _NULL:
                if completed is None and not self.has_error_at(path):
                    self._error(
                        f"Cannot return null for non-nullable field {parent.name}.{field_name}.",
                        path,
                    )
                return _NULL
            return completed
        if value is None:
            return None
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                return self._invalid(f"expected a list for {parent.name}.{field_name}", path)
            items = []
            for index, item in enumerate(value):
                completed = self.value(
                    type_.of_type, selection_sets, item, (*path, index), parent, field_name
                )
                if completed is _NULL:
                    return None
                items.append(completed)
            return items
        if isinstance(type_, GraphQLEnumType):
            if value not in type_.values:
                return self._invalid(f"Enum '{type_.name}' cannot represent value: {value!r}", path)
            return value
        if isinstance(type_, GraphQLScalarType):
            return value
        if not isinstance(value, dict):
            return self._invalid(f"expected an object for {parent.name}.{field_name}", path)
        if is_abstract_type(type_):
            typename = value.get("__typename")
            runtime = self.schema.get_type(typename) if isinstance(typename, str) else None
            if runtime is type_ and isinstance(runtime, GraphQLInterfaceType):
                # an @interfaceObject answered for the interface itself; the planner only
                # lets that happen when nothing type-specific was asked for
                return self._nullable(self.object(runtime, selection_sets, value, path))
            if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(
                type_, runtime
            ):
                return self._invalid(
                    f"cannot tell the type of {parent.name}.{field_name} (__typename {typename!r})",
                    path,
                )
            return self._nullable(self.object(runtime, selection_sets, value, path))
        assert isinstance(type_, GraphQLObjectType)
        return self._nullable(self.object(type_, selection_sets, value, path))

    @staticmethod
    def _nullable(completed: Any) -> Any:
        """A nullable position absorbs a null coming up from a non-null field below it."""
        return None if completed is _NULL else completed

    def _invalid(self, message: str, path: tuple[str | int, ...]) -> None:
        self._error(message, path, ErrorCode.INVALID_SUBGRAPH_RESPONSE)
        return None

    def _error(
        self,
        message: str,
        path: tuple[str | int, ...],
        code: ErrorCode = ErrorCode.INVALID_SUBGRAPH_RESPONSE,
    ) -> None:
        self.errors.append(graphql_error(message, code, path=path))
        self.error_paths.append(path)


def shape_response(
    schema: GraphQLSchema,
    root_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    data: Mapping[str, Any],
    errors: list[dict[str, Any]],
) -> dict[str, Any] | None:
    """Return the client's ``data``; appends to ``errors`` what shaping finds wrong."""
    shaper = _Shaper(schema, fragments, variables, errors)
    result = shaper.object(root_type, (selection_set,), data, ())
    return None if result is _NULL else result
