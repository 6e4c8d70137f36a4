"""How a selection divides below interfaces and unions, and below ``@interfaceObject`` types.

Fields every implementation resolves locally stay on the interface; otherwise the
selection is split per runtime type the subgraph can return. A subgraph that knows an
interface only as an ``@interfaceObject`` answers for the interface itself: concrete types
come from the subgraph owning the implementations, and interface fields of another
interface-object subgraph are fetched for the interface as a whole.

These are decisions over :class:`Capabilities` only; the plan builder's walk carries them
out (:meth:`PlanBuilder._plan_abstract`, :meth:`PlanBuilder._plan_interface_object`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..supergraph.model import SubgraphName, TypeKind
from .capabilities import Capabilities, PlanContext
from .normalize import FieldItem, FragmentItem, Item, under_fragment

__all__ = [
    "AbstractSplit",
    "InterfaceObjectSplit",
    "items_for",
    "split_abstract",
    "split_interface_object",
]


@dataclass(frozen=True, slots=True)
class AbstractSplit:
    """A selection on an abstract type, divided for one subgraph."""

    on_type: tuple[Item, ...] | None
    """Fields planned on the interface itself; ``None`` when none are."""
    per_runtime: tuple[tuple[str, tuple[Item, ...]], ...]
    """For each type the subgraph can return (that anything applies to), its items."""


@dataclass(frozen=True, slots=True)
class InterfaceObjectSplit:
    """A selection on an interface a subgraph knows only as an ``@interfaceObject``."""

    local: tuple[Item, ...]
    """Resolved by the subgraph itself."""
    elsewhere: tuple[tuple[SubgraphName, Item], ...]
    """Interface fields another interface-object subgraph resolves, with that subgraph."""
    to_owner: tuple[Item, ...]
    """What needs the concrete type: fetched from ``owner``."""
    owner: SubgraphName | None
    """A subgraph owning implementations that can be entered by key; ``None`` if none."""


def split_abstract(
    can: Capabilities,
    type_name: str,
    subgraph: SubgraphName,
    items: tuple[Item, ...],
    ctx: PlanContext,
) -> AbstractSplit:
    """Divide ``items`` selected on abstract ``type_name`` in ``subgraph``."""
    info = can.supergraph.types[type_name]
    if info.kind is TypeKind.UNION:
        possible = can.anchored_possible(type_name, subgraph, ctx.anchor)
    else:
        possible = can.possible(type_name, subgraph)
    direct = tuple(i for i in items if isinstance(i, FieldItem))
    keep = info.kind is TypeKind.INTERFACE and all(
        can.interface_local(type_name, f.name, subgraph, possible, ctx) for f in direct
    )
    on_type: tuple[Item, ...] | None = None
    rest = items
    if keep or (not possible and info.kind is TypeKind.INTERFACE):
        # with no implementation here, fields the interface lacks can only come from
        # another subgraph through the interface's key, or not at all
        on_type = direct
        rest = tuple(i for i in items if isinstance(i, FragmentItem))
    per_runtime = tuple(
        (runtime, applicable)
        for runtime in possible
        if (applicable := items_for(can, rest, runtime))
    )
    return AbstractSplit(on_type, per_runtime)


def items_for(can: Capabilities, items: tuple[Item, ...], runtime: str) -> tuple[Item, ...]:
    """The items of an abstract position that apply to objects of type ``runtime``."""
    result: list[Item] = []
    for item in items:
        if isinstance(item, FieldItem):
            result.append(item)
        elif item.type_condition is None or can.applies(item.type_condition, runtime):
            inner = items_for(can, item.selections, runtime)
            if not inner:
                continue
            if item.conditions or item.directives_text:
                result.append(replace(item, type_condition=None, selections=inner))
            else:
                result.extend(inner)
    return tuple(result)


def split_interface_object(
    can: Capabilities,
    type_name: str,
    subgraph: SubgraphName,
    items: tuple[Item, ...],
    ctx: PlanContext,
) -> InterfaceObjectSplit:
    """Divide ``items`` selected on ``type_name`` where ``subgraph`` knows it as an
    ``@interfaceObject``."""
    types = can.supergraph.types
    local: list[Item] = []
    elsewhere: list[tuple[SubgraphName, Item]] = []
    to_owner: list[Item] = []
    for item in _on_interface(items, type_name):
        if _local(can, type_name, item, subgraph, ctx):
            local.append(item)
            continue
        other = (
            next(
                (
                    s.subgraph
                    for s in can.sources(type_name, item.name, ctx)
                    if s.subgraph != subgraph
                    and s.requires is None
                    and types[type_name].is_interface_object_in(s.subgraph)
                    and can.can_enter(type_name, s.subgraph)
                ),
                None,
            )
            if isinstance(item, FieldItem) and item.name != "__typename"
            else None
        )
        if other is None:
            to_owner.append(item)
        else:
            elsewhere.append((other, item))
    owner = next(
        (
            m.subgraph
            for m in types[type_name].members
            if not m.is_interface_object
            and any(k.resolvable for k in types[type_name].keys_in(m.subgraph))
            # a subgraph with no implementation has no entity to answer for it
            and can.possible(type_name, m.subgraph)
        ),
        None,
    )
    return InterfaceObjectSplit(tuple(local), tuple(elsewhere), tuple(to_owner), owner)


def _on_interface(items: tuple[Item, ...], type_name: str) -> list[Item]:
    """``items`` with the fragments on the interface itself (or on no type) flattened
    away, their conditions moved onto what they held; fragments on its types kept."""
    flat: list[Item] = []
    for item in items:
        if isinstance(item, FragmentItem) and item.type_condition in (None, type_name):
            inner = _on_interface(item.selections, type_name)
            flat.extend(under_fragment(i, item) for i in inner)
        else:
            flat.append(item)
    return flat


def _local(
    can: Capabilities, type_name: str, item: Item, subgraph: SubgraphName, ctx: PlanContext
) -> bool:
    if not isinstance(item, FieldItem):
        return False
    if item.name == "__typename":
        return ctx.internal
    return can.local(type_name, item.name, subgraph, ctx) is not None
