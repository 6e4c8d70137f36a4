"""What each subgraph can resolve, as the planner asks it.

Pure questions about the supergraph, under the progressive-override labels of one plan:
where a field is declared and not overridden, what ``@provides`` makes available, which
keys let a fetch enter a subgraph, and whether a sub-selection can be completed starting
from a given subgraph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from graphql import FieldNode, GraphQLList, GraphQLNonNull, GraphQLSchema, is_composite_type

from ..supergraph.model import FieldSource, SubgraphName, Supergraph, TypeKind
from .groups import InputBuilder
from .normalize import (
    Conditions,
    FieldItem,
    FragmentItem,
    Item,
    conditions_text,
    normalize_selection,
    under_fragment,
)

__all__ = ["Capabilities", "PlanContext"]


@dataclass(frozen=True, slots=True)
class PlanContext:
    """What the planner knows at one position of the selection it walks."""

    provided: tuple[tuple[Item, ...], ...] = ()
    """Selections ``@provides`` makes available at this position."""
    conditions: Conditions = ()
    internal: bool = False
    """Fields added for keys and requires, not asked by the client."""
    inputs: InputBuilder | None = None
    """Where to record the entries of internal fields, to build representations."""
    anchor: tuple[str, tuple[str, ...]] | None = None
    """The nearest entity above this position and the fields leading down from it."""


class Capabilities:
    """Answers the planner's questions about one supergraph."""

    def __init__(self, supergraph: Supergraph, labels: frozenset[str] = frozenset()):
        self.supergraph = supergraph
        self.schema: GraphQLSchema = supergraph.schema
        self.labels = labels

    def coverage(
        self, type_name: str, items: Iterable[Item], subgraph: SubgraphName, depth: int
    ) -> int:
        """How many of the selected fields ``subgraph`` resolves without a jump."""
        if depth == 0:
            return 0
        info = self.supergraph.types.get(type_name)
        if info is None:
            return 0
        total = 0
        for item in items:
            if isinstance(item, FragmentItem):
                condition = item.type_condition or type_name
                total += self.coverage(condition, item.selections, subgraph, depth)
            elif item.name == "__typename":
                continue
            elif self.local(type_name, item.name, subgraph, PlanContext()) is not None:
                total += 1
                if item.selections:
                    child = info.fields[item.name].type_name
                    total += self.coverage(child, item.selections, subgraph, depth - 1)
        return total

    # ---------------------------------------------------------------- groups

    def override_ok(self, source: FieldSource, ctx: PlanContext) -> bool:
        if source.override_label is not None:
            active = source.override_label in self.labels
            return active if source.override_from is not None else not active
        return not source.used_overridden or ctx.internal

    def sources(self, type_name: str, field: str, ctx: PlanContext) -> list[FieldSource]:
        """Declarations of the field that can resolve it (not external, not overridden)."""
        info = self.supergraph.types[type_name].fields.get(field)
        if info is None:
            return []
        return [s for s in info.sources if not s.external and self.override_ok(s, ctx)]

    def provided(self, ctx: PlanContext, type_name: str, field: str) -> list[tuple[Item, ...]]:
        """The sub-selections ``@provides`` gives for ``field`` here (empty if not provided)."""
        found: list[tuple[Item, ...]] = []
        for items in ctx.provided:
            for item in self.flatten_for(items, type_name):
                if item.name == field:
                    found.append(item.selections or ())
        return found

    def is_provided(self, ctx: PlanContext, type_name: str, field: str) -> bool:
        for items in ctx.provided:
            if any(i.name == field for i in self.flatten_for(items, type_name)):
                return True
        return False

    def flatten_for(self, items: Iterable[Item], type_name: str) -> Iterable[FieldItem]:
        for item in items:
            if isinstance(item, FieldItem):
                yield item
            elif item.type_condition is None or self.applies(item.type_condition, type_name):
                yield from self.flatten_for(item.selections, type_name)

    def flatten_conditioned(self, items: Iterable[Item], type_name: str) -> Iterable[FieldItem]:
        """The fields ``items`` select on ``type_name``, each carrying the ``@skip`` and
        ``@include`` conditions of the fragments it was in."""
        for item in items:
            if isinstance(item, FieldItem):
                yield item
            elif item.type_condition is None or self.applies(item.type_condition, type_name):
                for inner in self.flatten_conditioned(item.selections, type_name):
                    flattened = under_fragment(inner, item)
                    assert isinstance(flattened, FieldItem)
                    yield flattened

    def local(
        self, type_name: str, field: str, subgraph: SubgraphName, ctx: PlanContext
    ) -> FieldSource | None:
        """The declaration letting ``subgraph`` resolve the field in place, if any."""
        info = self.supergraph.types[type_name].fields.get(field)
        if info is None:
            return None
        for source in info.sources:
            if source.subgraph != subgraph or not self.override_ok(source, ctx):
                continue
            if source.passed_in:
                return None  # it needs what the gateway passes in a fetch of its own
            if source.external and not self.is_provided(ctx, type_name, field):
                continue
            return source
        return None

    def applies(self, condition: str, type_name: str) -> bool:
        """Whether a fragment on ``condition`` applies to an object of ``type_name``."""
        if condition == type_name:
            return True
        condition_type = self.schema.get_type(condition)
        runtime_type = self.schema.get_type(type_name)
        if condition_type is None or runtime_type is None:
            return False
        if not is_composite_type(condition_type) or not is_composite_type(runtime_type):
            return False
        from graphql import GraphQLObjectType, is_abstract_type

        if isinstance(runtime_type, GraphQLObjectType) and is_abstract_type(condition_type):
            return self.schema.is_sub_type(condition_type, runtime_type)
        return False

    def possible(self, abstract: str, subgraph: SubgraphName) -> list[str]:
        """Object types ``subgraph`` may return where it declares type ``abstract``."""
        info = self.supergraph.types[abstract]
        if info.kind is TypeKind.UNION:
            members = info.union_members.get(subgraph, frozenset())
            return sorted(m for m in members if m in self.supergraph.types)
        result = []
        for name, candidate in self.supergraph.types.items():
            if candidate.kind is TypeKind.OBJECT and abstract in candidate.implements.get(
                subgraph, frozenset()
            ):
                result.append(name)
        return sorted(result)

    def anchored_possible(
        self, union: str, subgraph: SubgraphName, anchor: tuple[str, tuple[str, ...]] | None
    ) -> list[str]:
        """Members of ``union`` safe to select here.

        Below an entity, every subgraph that can be entered with the entity's key and
        resolves the same fields down to this position could have answered: only the
        members they all declare are sure to be answered the same way.
        """
        members = self.possible(union, subgraph)
        if anchor is None:
            return members
        entity, fields = anchor
        for other in self.supergraph.subgraphs.values():
            name = other.name
            if name == subgraph or not self.can_enter(entity, name):
                continue
            current: str | None = entity
            for field in fields:
                if current is None or self.local(current, field, name, PlanContext()) is None:
                    current = None
                    break
                current, _ = self.field_type(current, field)
            if current == union:
                shared = set(self.possible(union, name))
                members = [m for m in members if m in shared]
        return members

    def type_text(self, type_name: str, field: str) -> str:
        parent = self.schema.get_type(type_name)
        return str(parent.fields[field].type)  # type: ignore[union-attr]

    def shape(self, type_text: str) -> str:
        """The part of a field's type that must agree across sibling selections: list and
        non-null wrappers, and the leaf type (any composite types may share a key)."""
        name = type_text.strip("[]!")
        named = self.schema.get_type(name)
        if named is not None and is_composite_type(named):
            return type_text.replace(name, "{}")
        return type_text

    def field_type(self, type_name: str, field: str) -> tuple[str, int]:
        """The named type of a field and how many lists wrap it."""
        parent = self.schema.get_type(type_name)
        field_def = parent.fields[field]  # type: ignore[union-attr]
        wrapped = field_def.type
        depth = 0
        while isinstance(wrapped, GraphQLNonNull | GraphQLList):
            if isinstance(wrapped, GraphQLList):
                depth += 1
            wrapped = wrapped.of_type
        return wrapped.name, depth

    # ------------------------------------------------------------- dispatch

    def candidates(
        self, type_name: str, field: str, ctx: PlanContext
    ) -> list[tuple[SubgraphName, FieldSource, str | None]]:
        """Subgraphs that can resolve the field, with the interface to jump through if any."""
        found: list[tuple[SubgraphName, FieldSource, str | None]] = [
            (s.subgraph, s, None)
            for s in self.sources(type_name, field, ctx)
            if self.can_enter(type_name, s.subgraph)
        ]
        if found:
            return found
        runtime = self.schema.get_type(type_name)
        for interface in getattr(runtime, "interfaces", ()):
            info = self.supergraph.types.get(interface.name)
            if info is None:
                continue
            for source in self.sources(interface.name, field, ctx):
                if info.is_interface_object_in(source.subgraph) and self.can_enter(
                    interface.name, source.subgraph
                ):
                    found.append((source.subgraph, source, interface.name))
        return found

    def directly_enterable(
        self,
        type_name: str,
        target: tuple[SubgraphName, str | None],
        origin: SubgraphName,
        ctx: PlanContext,
    ) -> bool:
        """Whether ``origin`` selects a key of ``target`` itself (no intermediate fetch)."""
        subgraph, via = target
        local_ctx = replace(ctx, internal=True, inputs=None)
        return any(
            k.resolvable and self.all_local(type_name, k.selection, origin, local_ctx)
            for k in self.supergraph.types[via or type_name].keys_in(subgraph)
        )

    def subtree_ok_in(
        self,
        type_name: str,
        item: FieldItem,
        subgraph: SubgraphName,
        ctx: PlanContext,
        refetch: bool = True,
    ) -> bool:
        if not item.selections:
            return True
        source = next(
            (s for s in self.sources(type_name, item.name, ctx) if s.subgraph == subgraph), None
        )
        return source is None or self.subtree_ok(
            type_name, item, source, subgraph, ctx, refetch=refetch
        )

    def subtree_ok(
        self,
        type_name: str,
        item: FieldItem,
        source: FieldSource,
        subgraph: SubgraphName,
        ctx: PlanContext,
        depth: int = 4,
        refetch: bool = True,
    ) -> bool:
        """Whether the field's sub-selection can be completed starting from ``subgraph``:
        each field resolved there or reachable through a key of its type, or (with
        ``refetch``) through the same field fetched again from another subgraph."""
        child_type, _ = self.field_type(type_name, item.name)
        info = self.supergraph.types.get(child_type)
        if depth == 0 or info is None or not item.selections:
            return True
        if info.kind is TypeKind.OBJECT:
            runtimes = [child_type]
        elif info.is_interface_object_in(subgraph):
            return True
        else:
            # each object type the subgraph may return there, with the fields asked of it
            runtimes = self.possible(child_type, subgraph)
        provided = list(self.provided(ctx, type_name, item.name))
        if source.provides is not None:
            provided.append(normalize_selection(source.provides))
        child_ctx = PlanContext(provided=tuple(provided), internal=ctx.internal)
        for runtime in runtimes:
            for child in self.flatten_for(item.selections, runtime):
                if child.name == "__typename":
                    continue
                if not self._child_ok(
                    type_name, item, runtime, child, subgraph, ctx, child_ctx, depth, refetch
                ):
                    return False
        return True

    def _child_ok(
        self,
        type_name: str,
        item: FieldItem,
        child_type: str,
        child: FieldItem,
        subgraph: SubgraphName,
        ctx: PlanContext,
        child_ctx: PlanContext,
        depth: int,
        refetch: bool,
    ) -> bool:
        """Whether ``child`` of an object of ``child_type`` below ``item`` can be resolved:
        there, through a key of its type (the object came in a field's value, not as a
        representation: no key field it was entered with is known), or by fetching
        ``item`` again from another subgraph."""
        child_source = self.local(child_type, child.name, subgraph, child_ctx)
        if child_source is not None and self.subtree_ok(
            child_type, child, child_source, subgraph, child_ctx, depth - 1
        ):
            return True
        if any(
            self.reachable(child_type, (target, via), subgraph, entered=False)
            and self.subtree_ok(child_type, child, other, target, PlanContext(), depth - 1)
            for target, other, via in self.candidates(child_type, child.name, child_ctx)
        ):
            return True
        # or the field itself fetched again, from a subgraph that completes this part
        root = type_name in self.supergraph.root_types.values()
        return refetch and any(
            (root or self.reachable(type_name, (other.subgraph, None), subgraph))
            and self.subtree_ok(
                type_name,
                replace(item, selections=(child,)),
                other,
                other.subgraph,
                PlanContext(),
                depth - 1,
            )
            for other in self.sources(type_name, item.name, ctx)
            if other.subgraph != subgraph
        )

    def split(
        self,
        type_name: str,
        item: FieldItem,
        source: FieldSource,
        subgraph: SubgraphName,
        ctx: PlanContext,
    ) -> tuple[FieldItem, FieldItem] | None:
        """Split a field's sub-selection into what ``subgraph`` completes and the rest,
        when the field's type has no key to come back to it later."""
        if item.selections is None:
            return None
        child_type, _ = self.field_type(type_name, item.name)
        info = self.supergraph.types.get(child_type)
        if info is None or info.kind is not TypeKind.OBJECT:
            return None
        if any(
            isinstance(i, FragmentItem) and i.directives_text != conditions_text(i.conditions)
            for i in item.selections
        ):
            return None  # a fragment's other directives would be lost
        children = list(self.flatten_conditioned(item.selections, child_type))
        here: list[Item] = []
        rest: list[Item] = []
        for child in children:
            probe = replace(item, selections=(child,))
            ok = child.name == "__typename" or self.subtree_ok(
                type_name, probe, source, subgraph, ctx, refetch=False
            )
            (here if ok else rest).append(child)
        if not here or not rest:
            return None
        return replace(item, selections=tuple(here)), replace(item, selections=tuple(rest))

    def reachable(
        self,
        type_name: str,
        target: tuple[SubgraphName, str | None],
        subgraph: SubgraphName,
        depth: int = 3,
        entered: bool = True,
    ) -> bool:
        """Whether a fetch can enter ``target`` from objects ``subgraph`` returned: a key
        it selects itself, or key fields it can get through other subgraphs first (or,
        when the objects may be the ones ``subgraph`` was ``entered`` with, the key fields
        of that entry)."""
        name, via = target
        ctx = PlanContext(internal=True)
        for key in self.supergraph.types[via or type_name].keys_in(name):
            if not key.resolvable:
                continue
            if self.all_local(type_name, key.selection, subgraph, ctx):
                return True
            # key fields the subgraph was itself entered with are known too
            missing = [
                n.name.value
                for n in key.selection.selections
                if isinstance(n, FieldNode)
                and self.local(type_name, n.name.value, subgraph, ctx) is None
                and not (entered and self.in_key(type_name, n.name.value, subgraph))
            ]
            if not missing and all(isinstance(n, FieldNode) for n in key.selection.selections):
                return True
            if depth == 0:
                continue
            if all(
                any(
                    other != name
                    and self.reachable(type_name, (other, v), subgraph, depth - 1, entered)
                    for other, _, v in self.candidates(type_name, field, ctx)
                )
                for field in missing
            ):
                return True
        return False

    def in_key(self, type_name: str, field: str, subgraph: SubgraphName) -> bool:
        """Whether ``field`` is part of a key entity fetches can enter ``subgraph`` with."""
        return any(
            k.resolvable
            and any(
                isinstance(n, FieldNode) and n.name.value == field for n in k.selection.selections
            )
            for k in self.supergraph.types[type_name].keys_in(subgraph)
        )

    def can_enter(self, type_name: str, subgraph: SubgraphName) -> bool:
        """Whether an entity fetch can reach objects of this type in ``subgraph``."""
        return any(k.resolvable for k in self.supergraph.types[type_name].keys_in(subgraph))

    def input_types(self, type_name: str) -> frozenset[str]:
        info = self.supergraph.types[type_name]
        if info.kind is TypeKind.OBJECT:
            return frozenset({type_name})
        possible = {t.name for t in self.schema.get_possible_types(self.schema.get_type(type_name))}  # type: ignore[arg-type]
        return frozenset(possible | {type_name})

    def all_local(
        self, type_name: str, selection: object, subgraph: SubgraphName, ctx: PlanContext
    ) -> bool:
        from graphql import FieldNode, SelectionSetNode

        assert isinstance(selection, SelectionSetNode)
        for node in selection.selections:
            if not isinstance(node, FieldNode):
                return False
            if node.name.value == "__typename":
                continue
            if self.local(type_name, node.name.value, subgraph, ctx) is None:
                return False
            if node.selection_set is not None:
                child, _ = self.field_type(type_name, node.name.value)
                if self.supergraph.types[child].kind is not TypeKind.OBJECT:
                    return False
                if not self.all_local(child, node.selection_set, subgraph, ctx):
                    return False
        return True

    # ----------------------------------------------------- abstract types

    def interface_local(
        self,
        interface: str,
        field: str,
        subgraph: SubgraphName,
        possible: list[str],
        ctx: PlanContext,
    ) -> bool:
        if field == "__typename":
            return True
        if self.local(interface, field, subgraph, ctx) is None:
            return False
        return all(self.local(t, field, subgraph, ctx) is not None for t in possible)
