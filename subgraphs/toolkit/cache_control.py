"""How long a subgraph's answers hold: ``Cache-Control`` declared per field and per entity
type, the answer's header computed from the fields it resolved (as Apollo Server's
cache-control plugin does). The gateway keeps answers as the header allows and serves them
stale, within ``stale-if-error``, while the OPD cannot answer (docs/opd-teams.md).

A field declares its hint in its metadata; an entity type with a class decorator::

    @strawberry.field(metadata=cache_control(max_age=600, stale_if_error=86_400))
    async def penduduk(self, info: Info) -> Penduduk | None: ...

    @entity_cache_control(max_age=86_400)
    @strawberry.federation.type(keys=["kode"])
    class Kelurahan: ...

The answer's policy is the most restrictive of the hints of the fields it resolved: the
smallest ``max_age`` and ``stale_if_error``, ``private`` if any is, ``no-store`` if any is.
A root field (and a field of an entity the gateway asked for by ``_entities``) without a
hint of its own or of its entity type makes the answer uncacheable; a deeper field without
one follows its parent. An answer with errors, or to a mutation, carries no header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

__all__ = ["CacheControlExtension", "CacheHint", "cache_control", "entity_cache_control"]

T = TypeVar("T")

_METADATA_KEY = "simpul.cache_control"
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
    return {_METADATA_KEY: _hint(max_age, stale_if_error, private, no_store)}


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
    """Sets the answer's ``Cache-Control`` from the hints of the fields it resolved (one
    instance per request)."""

    policy: CacheHint | None = None
    """The answer's policy so far; ``None`` until a field is resolved."""

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Note the field's hint, then resolve it."""
        path = info.path
        if path.prev is None:
            if info.field_name != "_entities":
                self._note(_field_hint(info) or _UNCACHEABLE)
        elif (
            path.prev.prev is not None
            and path.prev.prev.prev is None
            and (path.prev.prev.key == "_entities")
        ):
            # a field of an entity the gateway asked for: its own hint, else its type's
            self._note(_field_hint(info) or _type_hint(root))
        else:
            hint = _field_hint(info)
            if hint is not None:
                self._note(hint)
        return _next(root, info, *args, **kwargs)

    def on_execute(self) -> Iterator[None]:
        """After execution: the header, on an answer without errors to a query."""
        yield
        context = self.execution_context
        result = context.result
        if self.policy is None or result is None or result.errors:
            return
        if context.operation_type is not OperationType.QUERY:
            return
        header = self.policy.header()
        # the toolkit's SubgraphContext, or strawberry's own context (a dict)
        holder = context.context
        response = (
            holder.get("response")
            if isinstance(holder, dict)
            else getattr(holder, "response", None)
        )
        if header is not None and response is not None:
            response.headers["cache-control"] = header

    def _note(self, hint: CacheHint) -> None:
        self.policy = hint if self.policy is None else self.policy.restricted(hint)


def _type_hint(entity: object) -> CacheHint:
    hint = getattr(type(entity), _TYPE_ATTRIBUTE, None)
    return hint if isinstance(hint, CacheHint) else _UNCACHEABLE


def _field_hint(info: GraphQLResolveInfo[Any]) -> CacheHint | None:
    field = info.parent_type.fields.get(info.field_name)
    definition = field.extensions.get("strawberry-definition") if field is not None else None
    metadata = getattr(definition, "metadata", None) or {}
    hint = metadata.get(_METADATA_KEY)
    return hint if isinstance(hint, CacheHint) else None
