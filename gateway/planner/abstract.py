"""Planning below interfaces and unions, and below ``@interfaceObject`` types.

Fields every implementation resolves locally stay on the interface; otherwise the
selection is split per runtime type the subgraph can return. A subgraph that knows an
interface only as an ``@interfaceObject`` answers for the interface itself: concrete types
come from the subgraph owning the implementations, and interface fields of another
interface-object subgraph are fetched for the interface as a whole.
"""

from __future__ import annotations

from dataclasses import replace

from ..supergraph.model import SubgraphName, Supergraph, TypeKind
from .capabilities import Capabilities, PlanContext
from .groups import Group, InputBuilder, PathRef
from .normalize import Conditions, FieldItem, FragmentItem, Item, under_fragment
from .selection import SelectionTree

__all__ = ["AbstractTypePlanning"]


class AbstractTypePlanning:
    """The part of the plan builder that handles abstract positions."""

    supergraph: Supergraph
    can: Capabilities

    def _plan(
        self,
        group: Group,
        tree: SelectionTree,
        type_name: str,
        items: tuple[Item, ...],
        path: tuple[PathRef, ...],
        ctx: PlanContext,
    ) -> set[Group]:
        raise NotImplementedError

    def _plan_object(
        self,
        group: Group,
        tree: SelectionTree,
        type_name: str,
        items: tuple[Item, ...],
        path: tuple[PathRef, ...],
        ctx: PlanContext,
    ) -> set[Group]:
        raise NotImplementedError

    def _jump(
        self,
        group: Group,
        tree: SelectionTree,
        type_name: str,
        path: tuple[PathRef, ...],
        ctx: PlanContext,
        target: SubgraphName,
        via: str | None,
        extra_deps: frozenset[Group],
        conditions: Conditions,
        requires_inputs: InputBuilder | None = None,
    ) -> tuple[Group, SelectionTree]:
        raise NotImplementedError

    def _give_up(
        self, fields: list[FieldItem], path: tuple[PathRef, ...], ctx: PlanContext, reason: str
    ) -> None:
        raise NotImplementedError

    def _plan_abstract(
        self,
        group: Group,
        tree: SelectionTree,
        type_name: str,
        items: tuple[Item, ...],
        path: tuple[PathRef, ...],
        ctx: PlanContext,
    ) -> set[Group]:
        typename = tree.add_typename()
        if ctx.inputs is not None:
            # an abstract value in a representation says which type it is
            ctx.inputs.slot("__typename", "").entry = typename
        touched = {group}
        info = self.supergraph.types[type_name]
        if info.kind is TypeKind.UNION:
            possible = self.can.anchored_possible(type_name, group.subgraph, ctx.anchor)
        else:
            possible = self.can.possible(type_name, group.subgraph)
        direct = [i for i in items if isinstance(i, FieldItem)]
        keep = info.kind is TypeKind.INTERFACE and all(
            self.can.interface_local(type_name, f.name, group.subgraph, possible, ctx)
            for f in direct
        )
        rest: tuple[Item, ...]
        if keep or (not possible and info.kind is TypeKind.INTERFACE):
            # with no implementation here, fields the interface lacks can only come from
            # another subgraph through the interface's key, or not at all
            touched |= self._plan_object(group, tree, type_name, tuple(direct), path, ctx)
            rest = tuple(i for i in items if isinstance(i, FragmentItem))
        else:
            rest = items
        for runtime in possible:
            applicable = self._items_for(rest, runtime)
            if not applicable:
                continue
            sub = tree.add_fragment(runtime)
            runtime_path = (*path, f"|[{runtime}]")
            runtime_ctx = ctx
            if ctx.inputs is not None:
                runtime_ctx = replace(
                    ctx, inputs=ctx.inputs.fragment(runtime, frozenset({runtime}))
                )
            touched |= self._plan_object(group, sub, runtime, applicable, runtime_path, runtime_ctx)
        return touched

    def _items_for(self, items: tuple[Item, ...], runtime: str) -> tuple[Item, ...]:
        """The items of an abstract position that apply to objects of type ``runtime``."""
        result: list[Item] = []
        for item in items:
            if isinstance(item, FieldItem):
                result.append(item)
            elif item.type_condition is None or self.can.applies(item.type_condition, runtime):
                inner = self._items_for(item.selections, runtime)
                if not inner:
                    continue
                if item.conditions or item.directives_text:
                    result.append(replace(item, type_condition=None, selections=inner))
                else:
                    result.extend(inner)
        return tuple(result)

    def _plan_interface_object(
        self,
        group: Group,
        tree: SelectionTree,
        type_name: str,
        items: tuple[Item, ...],
        path: tuple[PathRef, ...],
        ctx: PlanContext,
    ) -> set[Group]:
        """An interface this subgraph only knows as an ``@interfaceObject``."""
        if not (group.entity and any(i.tree is tree for i in group.tree.items)):
            # the interface's name, so shaping reads the interface's fields; an entity
            # fetch must not send it, or it would hide the concrete type already known
            tree.add_typename()
        local: list[Item] = []
        remote: list[Item] = []
        for item in self._on_interface(items, type_name):
            (local if self._io_local(type_name, item, group, ctx) else remote).append(item)
        touched = self._plan_object(group, tree, type_name, tuple(local), path, ctx)
        # interface fields another @interfaceObject subgraph resolves are fetched from it
        # for the interface as a whole, without learning the concrete types
        owner_items: list[Item] = []
        for item in remote:
            other = (
                next(
                    (
                        s.subgraph
                        for s in self.can.sources(type_name, item.name, ctx)
                        if s.subgraph != group.subgraph
                        and s.requires is None
                        and self.supergraph.types[type_name].is_interface_object_in(s.subgraph)
                        and self.can.can_enter(type_name, s.subgraph)
                    ),
                    None,
                )
                if isinstance(item, FieldItem) and item.name != "__typename"
                else None
            )
            if other is None:
                owner_items.append(item)
                continue
            child, subtree = self._jump(
                group, tree, type_name, path, ctx, other, None, frozenset(), ctx.conditions
            )
            touched.add(child)
            touched |= self._plan(
                child, subtree, type_name, (item,), path, replace(ctx, provided=())
            )
        remote = owner_items
        if not remote:
            return touched
        target = next(
            (
                m.subgraph
                for m in self.supergraph.types[type_name].members
                if not m.is_interface_object
                and any(k.resolvable for k in self.supergraph.types[type_name].keys_in(m.subgraph))
                # a subgraph with no implementation has no entity to answer for it
                and self.can.possible(type_name, m.subgraph)
            ),
            None,
        )
        if target is None:
            # no object of the interface can be told its type: the client's fields needing
            # it answer null; fragments on its implementations match nothing
            reason = f"no subgraph resolves the concrete types of {type_name}"
            fields = [i for i in remote if isinstance(i, FieldItem)]
            self._give_up(fields, path, ctx, reason)
            return touched
        child, subtree = self._jump(
            group, tree, type_name, path, ctx, target, None, frozenset(), ctx.conditions
        )
        touched.add(child)
        touched |= self._plan(
            child, subtree, type_name, tuple(remote), path, replace(ctx, provided=())
        )
        return touched

    def _on_interface(self, items: tuple[Item, ...], type_name: str) -> list[Item]:
        """``items`` with the fragments on the interface itself (or on no type) flattened
        away, their conditions moved onto what they held; fragments on its types kept."""
        flat: list[Item] = []
        for item in items:
            if isinstance(item, FragmentItem) and item.type_condition in (None, type_name):
                inner = self._on_interface(item.selections, type_name)
                flat.extend(under_fragment(i, item) for i in inner)
            else:
                flat.append(item)
        return flat

    def _io_local(self, type_name: str, item: Item, group: Group, ctx: PlanContext) -> bool:
        if not isinstance(item, FieldItem):
            return False
        if item.name == "__typename":
            return ctx.internal
        return self.can.local(type_name, item.name, group.subgraph, ctx) is not None
