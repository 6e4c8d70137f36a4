"""Shrinking an operation: the smallest operation that still shows a disagreement.

Selections are removed one at a time (fields, fragments, directives), keeping each removal
after which the operation is still valid and still shows the disagreement, until no single
removal does; variables and fragments nothing uses any more go with them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    Node,
    OperationDefinitionNode,
    VariableNode,
    parse,
    print_ast,
    validate,
)

from tests.fuzz.operations import Operation

__all__ = ["shrink"]

Still = Callable[[Operation], Awaitable[bool]]


async def shrink(schema: GraphQLSchema, operation: Operation, still: Still) -> Operation:
    """The smallest operation reached from ``operation`` for which ``still`` holds."""
    current = operation
    progress = True
    while progress:
        progress = False
        document = parse(current.query)
        for candidate in _smaller(document):
            tidy = _tidy(candidate)
            if tidy is None or validate(schema, tidy):
                continue
            smaller = _operation(tidy, current.variables)
            if smaller.query != current.query and await still(smaller):
                current = smaller
                progress = True
                break
    return current


def _operation(document: DocumentNode, variables: Any) -> Operation:
    used = {
        d.variable.name.value
        for o in document.definitions
        if isinstance(o, OperationDefinitionNode)
        for d in o.variable_definitions or ()
    }
    return Operation(print_ast(document), {k: v for k, v in variables.items() if k in used})


def _containers(node: Any) -> Iterator[Any]:
    """Every node holding a selection set or directives, depth first."""
    if isinstance(node, Node):
        if getattr(node, "selection_set", None) is not None or getattr(node, "directives", None):
            yield node
        for key in node.keys:
            yield from _containers(getattr(node, key, None))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _containers(item)


def _smaller(document: DocumentNode) -> Iterator[DocumentNode]:
    """``document`` with one selection or one directive taken away, each way it can be."""
    for index, node in enumerate(_containers(document)):
        selection_set = getattr(node, "selection_set", None)
        selections = selection_set.selections if selection_set is not None else ()
        if len(selections) > 1:
            for position in range(len(selections)):
                kept = selections[:position] + selections[position + 1 :]
                smaller = replace(selection_set, selections=kept)
                yield _replaced(document, index, replace(node, selection_set=smaller))
        directives = tuple(node.directives or ())
        for position in range(len(directives)):
            kept = directives[:position] + directives[position + 1 :]
            yield _replaced(document, index, replace(node, directives=kept))


def _replaced(document: DocumentNode, index: int, new: Node) -> DocumentNode:
    """``document`` with its ``index``-th container (in :func:`_containers`' order) ``new``."""
    counter = [0]

    def rebuild(node: Any) -> Any:
        if isinstance(node, Node):
            if getattr(node, "selection_set", None) is not None or getattr(
                node, "directives", None
            ):
                if counter[0] == index:
                    counter[0] += 1_000_000  # replaced once, never again
                    return new
                counter[0] += 1
            changes = {}
            for key in node.keys:
                value = getattr(node, key, None)
                if isinstance(value, Node | tuple | list):
                    changes[key] = rebuild(value)
            return replace(node, **changes) if changes else node  # type: ignore[type-var]
        if isinstance(node, tuple | list):
            return tuple(rebuild(item) for item in node)
        return node

    result = rebuild(document)
    assert isinstance(result, DocumentNode)
    return result


def _tidy(document: DocumentNode) -> DocumentNode | None:
    """Without the fragments and variables nothing uses."""
    spread = {n.name.value for n in _all(document) if isinstance(n, FragmentSpreadNode)}
    definitions = [
        d
        for d in document.definitions
        if not isinstance(d, FragmentDefinitionNode) or d.name.value in spread
    ]
    document = DocumentNode(definitions=tuple(definitions))
    used = {n.name.value for n in _all(document) if isinstance(n, VariableNode)}
    definitions = [
        replace(
            d,
            variable_definitions=tuple(
                v for v in d.variable_definitions or () if v.variable.name.value in used
            ),
        )
        if isinstance(d, OperationDefinitionNode)
        else d
        for d in document.definitions
    ]
    document = DocumentNode(definitions=tuple(definitions))
    try:
        return parse(print_ast(document))
    except Exception:
        return None


def _all(node: Any) -> Iterator[Node]:
    if isinstance(node, Node):
        yield node
        for key in node.keys:
            if key == "variable_definitions":
                continue
            yield from _all(getattr(node, key, None))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _all(item)
