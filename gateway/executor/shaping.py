"""Project the merged subgraph answers onto the client's selection.

This replaces running graphql-core's ``execute()`` over the merged tree: one walk over the
client's selection that keeps exactly the requested response keys, answers
``__typename``, applies fragments by runtime type, checks leaf values against the API
schema, and propagates nulls by the API schema's nullability, adding an error at the
client's path where a non-null field has no value and no error explains it yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import orjson
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
    NamedTypeNode,
    SelectionSetNode,
    is_abstract_type,
)

from ..errors import ErrorCode, graphql_error
from .paths import Path, listed
from .shape_compiler import Fallback, Shape, compile_shape
from .steps import (
    FIELD,
    INTROSPECTION,
    NON_NULL_SCALAR,
    SCALAR,
    TYPENAME,
    ShapeCache,
    Step,
    step_kind,
)

__all__ = ["ShapeCache", "shape_response"]

_NULL = object()
"""A non-null position got null: the nearest nullable parent becomes null."""


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
        self.absent: Mapping[int, tuple[str, Mapping[str, Any]]] = {}
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
    ) -> tuple[Step, ...]:
        key = (tuple(map(id, selection_sets)), object_type.name, self.conditions)
        steps: tuple[Step, ...] | None = self.cache.get(key)
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
                collected.append(Step(response_key, name, TYPENAME, None, ()))
            elif name in ("__schema", "__type"):
                collected.append(Step(response_key, name, INTROSPECTION, None, ()))
            elif name in object_type.fields:
                sets = tuple(n.selection_set for n in nodes if n.selection_set is not None)
                field_type = object_type.fields[name].type
                collected.append(Step(response_key, name, step_kind(field_type), field_type, sets))
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

    def asks_for_concrete_type(
        self, interface: GraphQLInterfaceType, selection_sets: tuple[SelectionSetNode, ...]
    ) -> bool:
        """Whether the selections on ``interface`` ask for its objects' own type: their
        ``__typename``, or fragments on a type other than the interface (and those it
        implements)."""
        pending = list(selection_sets)
        seen: set[str] = set()
        while pending:
            for selection in pending.pop().selections:
                if not self._included(selection):  # type: ignore[arg-type]
                    continue
                if isinstance(selection, FieldNode):
                    if selection.name.value == "__typename":
                        return True
                    continue
                condition: NamedTypeNode | None
                if isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if name in seen or fragment is None:
                        continue
                    seen.add(name)
                    condition, inner = fragment.type_condition, fragment.selection_set
                else:
                    assert isinstance(selection, InlineFragmentNode)
                    condition, inner = selection.type_condition, selection.selection_set
                if condition is not None and not self._applies(condition.name.value, interface):
                    return True
                pending.append(inner)
        return False

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
            if (
                "@" in error_path
                and all(
                    given == "@" or given == at  # "@": any position of a list (authorization)
                    for given, at in zip(error_path[:common], path[:common], strict=True)
                )
            ):
                return True
        return False

    def object(
        self,
        object_type: GraphQLObjectType | GraphQLInterfaceType,
        selection_sets: tuple[SelectionSetNode, ...],
        source: Mapping[str, Any],
        path: Path,
        owner: Step | None = None,
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
            if kind == SCALAR:
                result[step.key] = get(step.key)
            elif kind == NON_NULL_SCALAR and (value := get(step.key)) is not None:
                result[step.key] = value
            elif kind >= FIELD:
                assert step.type is not None
                completed = self.value(
                    step.type, step, get(step.key), (path, step.key), object_type, source
                )
                if completed is _NULL:
                    return _NULL
                result[step.key] = completed
            elif kind == TYPENAME:
                result[step.key] = object_type.name
            else:
                result[step.key] = get(step.key)  # answered by introspection beforehand
        return result

    def value(
        self,
        type_: GraphQLOutputType,
        step: Step,
        value: Any,
        path: Path,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        owner: Mapping[str, Any] | None = None,
    ) -> Any:
        """``value`` completed as ``type_``; ``owner``: the object holding the field."""
        if isinstance(type_, GraphQLNonNull):
            completed = self.value(type_.of_type, step, value, path, parent, owner)
            if completed is None or completed is _NULL:
                if completed is None and not self.has_error_at(listed(path)):
                    message = (
                        f"Cannot return null for non-nullable field {parent.name}.{step.name}."
                    )
                    absent = self.absent.get(id(owner)) if self.absent and owner else None
                    if absent is not None:
                        # the object is one a subgraph said it does not know: name both
                        service, representation = absent
                        message = f"{_unknown(service, representation)}: {message}"
                    self._error(message, path)
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
            # a list or object from a broken subgraph must not reach the dict lookup
            if not isinstance(value, str) or value not in type_.values:
                return self._invalid(f"Enum '{type_.name}' cannot represent value: {value!r}", path)
            return value
        if not isinstance(value, dict):
            return self._invalid(f"expected an object for {parent.name}.{step.name}", path)
        if isinstance(type_, GraphQLObjectType):
            return self._nullable(self.object(type_, step.selection_sets, value, path, step))
        typename = value.get("__typename")
        runtime = self.schema.get_type(typename) if isinstance(typename, str) else None
        if runtime is type_ and isinstance(runtime, GraphQLInterfaceType):
            # an @interfaceObject answered for the interface itself: enough when nothing
            # type-specific was asked for; otherwise the fetch that was to tell the
            # concrete type failed (its error explains the null) or never answered
            if self.asks_for_concrete_type(runtime, step.selection_sets):
                if self.has_error_at(listed(path)):
                    return None
                return self._invalid(
                    f"cannot tell the type of {parent.name}.{step.name} (__typename {typename!r})",
                    path,
                )
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


_SEEN_ONCE, _NOT_COMPILED = object(), object()


def compiled_shape(
    schema: GraphQLSchema,
    root_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    cache: ShapeCache | None = None,
) -> Shape | None:
    """The compiled shaping of a selection for the ``@skip``/``@include`` conditions of
    ``variables`` (``None`` if too large); see :mod:`gateway.executor.shape_compiler`."""
    conditions = {k: v for k, v in variables.items() if isinstance(v, bool)}
    # collected for the conditions alone, so that nothing of this request is kept
    collector = _Shaper(schema, fragments, conditions, [], {} if cache is None else cache)
    return compile_shape(collector, root_type, selection_set)


def _unknown(service: str, representation: Mapping[str, Any]) -> str:
    """``subgraph 'dinkes' has no Kelurahan with kode "61.71.99.9999"``."""
    key = ", ".join(
        f"{name} {orjson.dumps(value).decode()}"
        for name, value in representation.items()
        if name != "__typename"
    )
    typename = representation.get("__typename", "entity")
    return f"subgraph '{service}' has no {typename} with {key[:200]}"


def shape_response(
    schema: GraphQLSchema,
    root_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    data: Mapping[str, Any],
    errors: list[dict[str, Any]],
    cache: ShapeCache | None = None,
    absent: Mapping[int, tuple[str, Mapping[str, Any]]] | None = None,
) -> dict[str, Any] | None:
    """Return the client's ``data``; appends to ``errors`` what shaping finds wrong.

    ``cache`` keeps what was collected from the selection between requests for the same
    document (see :data:`ShapeCache`); from the second request on, the document's shaping
    is compiled (:mod:`gateway.executor.shape_compiler`) and the general walk runs only for
    answers the compiled shaping cannot take as they are.
    """
    shaper = _Shaper(schema, fragments, variables, errors, {} if cache is None else cache)
    shaper.absent = absent or {}
    if cache is not None:
        key = ("compiled", id(selection_set), root_type.name, shaper.conditions)
        compiled = cache.get(key)
        if compiled is None:
            compiled = cache[key] = _SEEN_ONCE  # a document used once is not worth compiling
        elif compiled is _SEEN_ONCE:
            compiled = cache[key] = (
                compiled_shape(schema, root_type, selection_set, fragments, variables, cache)
                or _NOT_COMPILED
            )
        if compiled is not _SEEN_ONCE and compiled is not _NOT_COMPILED:
            shape = cast(Shape, compiled)
            try:
                return shape(data)
            except Fallback:
                pass  # an answer the compiled shaping does not take as it is: the walk reports it
    result = shaper.object(root_type, (selection_set,), data, None)
    return None if result is _NULL else result
