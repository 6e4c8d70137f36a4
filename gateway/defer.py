"""Incremental delivery (``@defer``): an operation split into its initial part and one
operation per deferred fragment.

Each deferred fragment becomes an operation of its own: the fields leading from the root to
the fragment (with their arguments, aliases and conditions) and the fragment there. The
initial operation is the original without its deferred fragments. All of them run at once,
through the engine like any operation (access control, limits and the access record
included); the initial answer is sent as soon as it is ready and each fragment's objects
follow as its operation answers. A deferred fragment is thus never held back by the slow
part of the initial answer, nor the initial answer by it.

Where a deferred fragment is taken out, the operations select ``__typename`` under an alias
of the gateway's, so that no selection is left empty and the fragment's type condition can
be checked on each object; the alias is taken out of every answer before it is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    Visitor,
    is_abstract_type,
    print_ast,
    visit,
)

from .errors import ErrorCode, graphql_error
from .request import GraphQLResponse

__all__ = [
    "MARKER",
    "DeferredFragment",
    "SplitOperation",
    "applies",
    "deliver",
    "has_defer",
    "objects_at",
    "split_operation",
    "strip_marker",
]

MARKER = "_simpulDeferredType"
"""The alias of the ``__typename`` the split operations select where a fragment was."""


@dataclass(frozen=True, slots=True)
class DeferredFragment:
    """One deferred fragment: where it is, and the operation fetching it."""

    label: str | None
    path: tuple[str, ...]
    """Response keys from the root to the objects the fragment applies to (list levels
    implied: every item of a list is such an object)."""
    type_condition: str | None
    query: str


@dataclass(frozen=True, slots=True)
class SplitOperation:
    initial: str
    """The operation without its deferred fragments."""
    fragments: tuple[DeferredFragment, ...]


def _deferred(node: SelectionNode, variables: Mapping[str, Any]) -> DirectiveNode | None:
    """The fragment's ``@defer``, when it defers (its ``if`` true or absent)."""
    if not isinstance(node, InlineFragmentNode | FragmentSpreadNode):
        return None
    for directive in node.directives or ():
        if directive.name.value != "defer":
            continue
        for argument in directive.arguments or ():
            if argument.name.value != "if":
                continue
            value = argument.value
            if isinstance(value, BooleanValueNode) and not value.value:
                return None
            if isinstance(value, VariableNode) and not variables.get(value.name.value, True):
                return None
        return directive
    return None


def has_defer(document: DocumentNode) -> bool:
    """Whether the document uses ``@defer`` anywhere (a cheap test before splitting)."""
    finder = _DirectiveFinder("defer")
    visit(document, finder)
    return finder.found


class _DirectiveFinder(Visitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def enter_directive(self, node: DirectiveNode, *_: object) -> None:
        if node.name.value == self.name:
            self.found = True


class _VariableUses(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self.names.add(node.name.value)


def _without_defer(directives: tuple[DirectiveNode, ...]) -> tuple[DirectiveNode, ...]:
    return tuple(d for d in directives if d.name.value != "defer")


def _label(directive: DirectiveNode) -> str | None:
    for argument in directive.arguments or ():
        if argument.name.value == "label" and isinstance(argument.value, StringValueNode):
            return argument.value.value
    return None


def _marker() -> FieldNode:
    return FieldNode(alias=NameNode(value=MARKER), name=NameNode(value="__typename"))


class _Splitter:
    def __init__(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        limit: int,
    ) -> None:
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self.limit = limit
        self.found: list[DeferredFragment] = []

    def selection_set(
        self,
        selection_set: SelectionSetNode,
        chain: tuple[FieldNode | InlineFragmentNode, ...],
        deferring: bool = True,
    ) -> SelectionSetNode:
        """``selection_set`` without its deferred fragments, each recorded; fragment
        spreads inlined. Inside a deferred fragment (``deferring`` false) the fragments it
        defers in turn are answered with it: the spec lets a server deliver deferred data
        sooner than asked."""
        kept: list[SelectionNode] = []
        took_out = False
        for node in selection_set.selections:
            if isinstance(node, FragmentSpreadNode):
                definition = self.fragments[node.name.value]
                node = InlineFragmentNode(
                    type_condition=definition.type_condition,
                    directives=node.directives,
                    selection_set=definition.selection_set,
                )
            # past the limit a fragment comes with the rest: each deferred one is an
            # operation of its own, and one request must not become many
            deferring_here = deferring and len(self.found) < self.limit
            defer = _deferred(node, self.variables) if deferring_here else None
            if isinstance(node, InlineFragmentNode):
                node = replace(node, directives=_without_defer(tuple(node.directives or ())))
            if defer is not None:
                assert isinstance(node, InlineFragmentNode)
                inner = self.selection_set(node.selection_set, (*chain, node), deferring=False)
                self._record(_label(defer), chain, replace(node, selection_set=inner))
                took_out = True
                continue
            # a field of a composite type, or a fragment: its selection is split in turn
            below = node.selection_set if isinstance(node, FieldNode | InlineFragmentNode) else None
            if below is not None:
                assert isinstance(node, FieldNode | InlineFragmentNode)
                node = replace(
                    node, selection_set=self.selection_set(below, (*chain, node), deferring)
                )
            kept.append(node)
        if took_out or not kept:
            kept.append(_marker())
        return SelectionSetNode(selections=tuple(kept))

    def _record(
        self,
        label: str | None,
        chain: tuple[FieldNode | InlineFragmentNode, ...],
        fragment: InlineFragmentNode,
    ) -> None:
        selection: SelectionNode = fragment
        inner = SelectionSetNode(selections=(_marker(), selection))
        path: list[str] = []
        for node in reversed(chain):
            if isinstance(node, FieldNode):
                path.append((node.alias or node.name).value)
            wrapped = replace(node, selection_set=inner)
            inner = SelectionSetNode(selections=(wrapped,))
        operation = replace(self.operation, selection_set=inner)
        condition = fragment.type_condition.name.value if fragment.type_condition else None
        self.found.append(
            DeferredFragment(label, tuple(reversed(path)), condition, _printed(operation))
        )


def _printed(operation: OperationDefinitionNode) -> str:
    """The operation with only the variables it uses declared."""
    uses = _VariableUses()
    visit(operation.selection_set, uses)
    declared = tuple(
        v for v in operation.variable_definitions or () if v.variable.name.value in uses.names
    )
    return print_ast(replace(operation, variable_definitions=declared))


def split_operation(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    limit: int,
) -> SplitOperation | None:
    """The operation split at its first ``limit`` deferred fragments (the others come
    with the initial part); ``None`` when none defers."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    splitter = _Splitter(operation, fragments, variables, limit)
    initial = splitter.selection_set(operation.selection_set, ())
    if not splitter.found:
        return None
    return SplitOperation(
        _printed(replace(operation, selection_set=initial)), tuple(splitter.found)
    )


def objects_at(
    data: Any, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """The objects at ``path`` in ``data`` (every item of a list on the way), each with its
    response path."""

    def walk(
        node: Any, depth: int, at: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, depth, (*at, index))
            return
        if not isinstance(node, dict):
            return
        if depth == len(path):
            yield at, node
            return
        key = path[depth]
        if key in node:
            yield from walk(node[key], depth + 1, (*at, key))

    yield from walk(data, 0, ())


def strip_marker(data: Any) -> None:
    """Take the gateway's ``__typename`` alias out of an answer, wherever it is."""
    if isinstance(data, list):
        for item in data:
            strip_marker(item)
    elif isinstance(data, dict):
        data.pop(MARKER, None)
        for value in data.values():
            if isinstance(value, dict | list):
                strip_marker(value)


def applies(schema: GraphQLSchema, condition: str | None, typename: object) -> bool:
    """Whether a fragment on ``condition`` applies to an object of type ``typename``."""
    if condition is None:
        return True
    if not isinstance(typename, str):
        return False
    named, runtime = schema.get_type(condition), schema.get_type(typename)
    if named is None or runtime is None:
        return False
    if named is runtime:
        return True
    return (
        is_abstract_type(named)
        and isinstance(runtime, GraphQLObjectType)
        and schema.is_sub_type(named, runtime)
    )


@dataclass(frozen=True, slots=True)
class _Pending:
    id: str
    fragment: int
    path: tuple[str | int, ...]


def deliver(
    initial: GraphQLResponse,
    fragments: tuple[DeferredFragment, ...],
    answers: list[asyncio.Task[GraphQLResponse]],
    schema: GraphQLSchema,
    form: str,
) -> GraphQLResponse:
    """The initial payload and the stream of the fragments' payloads, in ``form``
    (``"20220824"`` or ``"draft"``). An initial answer without data (refused, failed)
    is the whole answer: the fragments' operations are cancelled."""
    data = initial.body.get("data")
    if initial.status != 200 or not isinstance(data, dict):
        for task in answers:
            task.cancel()
        strip_marker(data)
        return initial
    pending: list[_Pending] = []
    for index, fragment in enumerate(fragments):
        for at, found in objects_at(data, fragment.path):
            if applies(schema, fragment.type_condition, found.get(MARKER)):
                pending.append(_Pending(str(len(pending)), index, at))
    strip_marker(data)
    waited = {p.fragment for p in pending}
    for index, task in enumerate(answers):
        if index not in waited:
            task.cancel()
    body = {**initial.body, "hasNext": bool(pending)}
    if form == "draft" and pending:
        body["pending"] = [_announced(p, fragments[p.fragment]) for p in pending]
    if not pending:
        return replace(initial, body=body)
    return replace(initial, body=body, subsequent=_subsequent(pending, fragments, answers, form))


def _announced(pending: _Pending, fragment: DeferredFragment) -> dict[str, Any]:
    announced: dict[str, Any] = {"id": pending.id, "path": list(pending.path)}
    if fragment.label is not None:
        announced["label"] = fragment.label
    return announced


async def _subsequent(
    pending: list[_Pending],
    fragments: tuple[DeferredFragment, ...],
    answers: list[asyncio.Task[GraphQLResponse]],
    form: str,
) -> AsyncIterator[dict[str, Any]]:
    by_fragment: dict[int, list[_Pending]] = {}
    for entry in pending:
        by_fragment.setdefault(entry.fragment, []).append(entry)

    async def answered(index: int) -> tuple[int, GraphQLResponse]:
        return index, await answers[index]

    waiting = [asyncio.ensure_future(answered(i)) for i in by_fragment]
    try:
        for left, next_answer in enumerate(asyncio.as_completed(waiting), start=1):
            index, response = await next_answer
            payload = _payload(by_fragment[index], fragments[index], response, form)
            payload["hasNext"] = left < len(waiting)
            yield payload
    finally:
        for task in (*waiting, *answers):
            task.cancel()


def _payload(
    entries: list[_Pending], fragment: DeferredFragment, response: GraphQLResponse, form: str
) -> dict[str, Any]:
    """One fragment's objects, from its operation's answer."""
    data = response.body.get("data")
    errors = [e for e in response.body.get("errors") or () if isinstance(e, dict)]
    incremental: list[dict[str, Any]] = []
    completed: list[dict[str, Any]] = []
    unplaced = [e for e in errors if not any(_under(e, p.path) for p in entries)]
    for number, entry in enumerate(entries):
        found = _at(data, entry.path)
        mine = [e for e in errors if _under(e, entry.path)]
        if number == 0:
            mine += unplaced
        if isinstance(found, dict):
            item: dict[str, Any] = {"data": {k: v for k, v in found.items() if k != MARKER}}
            strip_marker(item["data"])
            if mine:
                item["errors"] = mine
            if form == "draft":
                incremental.append({"id": entry.id, **item})
                completed.append({"id": entry.id})
            else:
                incremental.append({**item, "path": list(entry.path), **_labelled(fragment)})
            continue
        failure = mine or [
            graphql_error(
                "the deferred fragment could not be answered", ErrorCode.INVALID_SUBGRAPH_RESPONSE
            )
        ]
        if form == "draft":
            completed.append({"id": entry.id, "errors": failure})
        else:
            incremental.append(
                {"data": None, "path": list(entry.path), "errors": failure, **_labelled(fragment)}
            )
    payload: dict[str, Any] = {}
    if incremental:
        payload["incremental"] = incremental
    if completed:
        payload["completed"] = completed
    stale = (response.body.get("extensions") or {}).get("stale")
    if stale:
        # what the gateway's cache answered for this part, at paths of the whole answer
        payload["extensions"] = {"stale": stale}
    return payload


def _labelled(fragment: DeferredFragment) -> dict[str, str]:
    return {"label": fragment.label} if fragment.label is not None else {}


def _under(error: Mapping[str, Any], path: tuple[str | int, ...]) -> bool:
    at = error.get("path")
    return isinstance(at, list) and tuple(at[: len(path)]) == path


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        if isinstance(key, int):
            if not isinstance(data, list) or key >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[key] if isinstance(key, int) else data.get(key)
    return data
