"""How long a subgraph's answers hold: ``Cache-Control`` declared per field and per entity
type, the answer's header computed from the fields its operation selects (as Apollo
Server's cache-control plugin does from the fields it resolves; read from the document, it
costs nothing per resolved field). The gateway keeps answers as the header allows and serves them
stale, within ``stale-if-error``, while the OPD cannot answer (docs/opd-teams.md).

A field declares its hint in its metadata; an entity type with a class decorator::

    @strawberry.field(metadata=cache_control(max_age=600, stale_if_error=86_400))
    async def penduduk(self, info: Info) -> Penduduk | None: ...

    @entity_cache_control(max_age=86_400)
    @strawberry.federation.type(keys=["kode"])
    class Kelurahan: ...

The answer's policy is the most restrictive of the hints of the fields it selects: the
smallest ``max_age`` and ``stale_if_error``, ``private`` if any is, ``no-store`` if any is.
A root field (and a field of an entity the gateway asked for by ``_entities``) without a
hint of its own or of its entity type makes the answer uncacheable; a deeper field without
one follows its parent. An answer with errors, or to a mutation, carries no header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

__all__ = ["CacheControlExtension", "CacheHint", "cache_control", "entity_cache_control"]

T = TypeVar("T")

_HINT_ENTRY = "simpul.cache_control"
_TYPE_ATTRIBUTE = "__simpul_cache_hint__"


@dataclass(frozen=True, slots=True)
class CacheHint:
    """How long an answer holds (s), how long more it may stand in for a failed subgraph,
    whether it is one caller's own, whether it may be kept at all."""

    max_age: int = 0
    stale_if_error: int = 0
    private: bool = False
    no_store: bool = False

    def restricted(self, other: CacheHint) -> CacheHint:
        """The policy allowing only what both allow."""
        return CacheHint(
            max_age=min(self.max_age, other.max_age),
            stale_if_error=min(self.stale_if_error, other.stale_if_error),
            private=self.private or other.private,
            no_store=self.no_store or other.no_store,
        )

    def header(self) -> str | None:
        """The ``Cache-Control`` value; ``None``: an answer that is simply not kept."""
        if self.no_store:
            return "no-store"
        if self.max_age <= 0:
            return None
        parts = ["private" if self.private else "public", f"max-age={self.max_age}"]
        if self.stale_if_error > 0:
            parts.append(f"stale-if-error={self.stale_if_error}")
        return ", ".join(parts)


_UNCACHEABLE = CacheHint()


def cache_control(
    *, max_age: int = 0, stale_if_error: int = 0, private: bool = False, no_store: bool = False
) -> dict[str, Any]:
    """A field's hint, for ``strawberry.field(metadata=...)``: its answer holds ``max_age``
    seconds, stands in ``stale_if_error`` more when the OPD cannot answer; ``private``:
    one client application's own; ``no_store``: never kept (personal data)."""
    return {_HINT_ENTRY: _hint(max_age, stale_if_error, private, no_store)}


def entity_cache_control(
    *, max_age: int = 0, stale_if_error: int = 0, private: bool = False, no_store: bool = False
) -> Callable[[type[T]], type[T]]:
    """A type's hint, for its fields without their own (see :func:`cache_control`)."""
    hint = _hint(max_age, stale_if_error, private, no_store)

    def decorate(cls: type[T]) -> type[T]:
        setattr(cls, _TYPE_ATTRIBUTE, hint)
        return cls

    return decorate


def _hint(max_age: int, stale_if_error: int, private: bool, no_store: bool) -> CacheHint:
    if max_age < 0 or stale_if_error < 0:
        raise ValueError("max_age and stale_if_error are seconds, 0 or more")
    return CacheHint(max_age, stale_if_error, private, no_store)


class CacheControlExtension(SchemaExtension):
    """Sets the answer's ``Cache-Control`` from the hints of the fields its operation
    selects: read from the document and the schema once per request, not per resolved
    field (a field selected but not resolved can only make the policy stricter)."""

    def on_execute(self) -> Iterator[None]:
        """After execution: the header, on an answer without errors to a query."""
        yield
        context = self.execution_context
        result = context.result
        if result is None or result.errors or context.graphql_document is None:
            return
        if context.operation_type is not OperationType.QUERY:
            return
        policy = selection_policy(
            context.schema._schema, context.graphql_document, context.operation_name
        )
        header = policy.header() if policy is not None else None
        # the toolkit's SubgraphContext, or strawberry's own context (a dict)
        holder = context.context
        response = (
            holder.get("response")
            if isinstance(holder, dict)
            else getattr(holder, "response", None)
        )
        if header is not None and response is not None:
            response.headers["cache-control"] = header


def selection_policy(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> CacheHint | None:
    """The most restrictive hint of the fields ``operation_name`` selects (``None``: it
    selects none with a hint, or there is no such query)."""
    operation = get_operation_ast(document, operation_name)
    root = schema.query_type
    if operation is None or root is None:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    hints: list[CacheHint] = []

    def selected(
        selection_set: SelectionSetNode, parent: GraphQLNamedType
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                owner = schema.get_type(condition.name.value) if condition else parent
                yield from selected(selection.selection_set, owner or parent)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    owner = schema.get_type(fragment.type_condition.name.value)
                    yield from selected(fragment.selection_set, owner or parent)

    def walk(selection_set: SelectionSetNode, parent: GraphQLNamedType, level: str) -> None:
        for node, owner in selected(selection_set, parent):
            name = node.name.value
            fields = getattr(owner, "fields", None)
            if name.startswith("__") or not fields or name not in fields:
                continue
            field = fields[name]
            hint = _field_hint(field)
            if level == "root" and name == "_entities":
                if node.selection_set is not None:
                    walk(node.selection_set, get_named_type(field.type), "entity")
                continue
            if level == "root":
                hint = hint or _UNCACHEABLE
            elif level == "entity":
                hint = hint or _type_hint(owner)
            if hint is not None:
                hints.append(hint)
            if node.selection_set is not None:
                walk(node.selection_set, get_named_type(field.type), "nested")

    walk(operation.selection_set, root, "root")
    if not hints:
        return None
    policy = hints[0]
    for hint in hints[1:]:
        policy = policy.restricted(hint)
    return policy


def _type_hint(owner: GraphQLNamedType) -> CacheHint:
    definition = owner.extensions.get("strawberry-definition")
    hint = getattr(getattr(definition, "origin", None), _TYPE_ATTRIBUTE, None)
    return hint if isinstance(hint, CacheHint) else _UNCACHEABLE


def _field_hint(field: GraphQLField) -> CacheHint | None:
    definition = field.extensions.get("strawberry-definition")
    metadata = getattr(definition, "metadata", None) or {}
    hint = metadata.get(_HINT_ENTRY)
    return hint if isinstance(hint, CacheHint) else None
