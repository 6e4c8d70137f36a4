"""Place every field of an operation in a subgraph fetch.

The builder walks the client's selection from the root. At each position it knows the
subgraph whose fetch is producing the object there. A field that subgraph can resolve
(its own, ``@shareable``, or ``@external`` but ``@provides``-d on the way) joins the same
fetch; any other field needs an *entity jump*: the current fetch also selects
``__typename`` and a ``@key`` of the type, and a fetch to a subgraph that can resolve the
field receives those keys as representations. ``@requires`` fields are planned like client
fields before the jump and travel in the representation too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from graphql import FieldNode

from ..supergraph.model import (
    ContextArgument,
    EntityKey,
    FieldSource,
    SubgraphName,
    Supergraph,
    TypeKind,
)
from .abstract import split_abstract, split_interface_object
from .capabilities import Capabilities, PlanContext
from .groups import (
    Group,
    GroupContext,
    InputBuilder,
    InputSlot,
    PathRef,
    path_identity,
    resolve_path,
)
from .normalize import (
    Conditions,
    FieldItem,
    FragmentItem,
    Item,
    condition_variables,
    normalize_selection,
    under_fragment,
)
from .plan import PlanningError, Unresolvable
from .selection import SelectionTree

__all__ = ["PlanBuilder", "PlanningError", "Position"]


@dataclass(eq=False, slots=True)
class _Remote:
    item: FieldItem
    slot: InputSlot | None


@dataclass(frozen=True, slots=True)
class Position:
    """Where the walk stands: the fetch producing the object here, the selection being
    filled for it, the object's type, its response path and what is known on the way."""

    group: Group
    tree: SelectionTree
    type_name: str
    path: tuple[PathRef, ...]
    ctx: PlanContext


class PlanBuilder:
    """Builds the fetch groups of one operation: one walk down the client's selection."""

    def __init__(self, supergraph: Supergraph, labels: frozenset[str] = frozenset()):
        self.supergraph = supergraph
        self.can = Capabilities(supergraph, labels)
        self.groups: list[Group] = []
        self._reuse: dict[tuple[object, ...], Group] = {}
        self._jumps: list[tuple[str, SubgraphName, tuple[str, ...]]] = []
        self._root_leftovers: list[FieldItem] = []
        self.unresolvable: list[Unresolvable] = []
        self._ancestors: list[Position] = []
        """The object positions above the current one: where a context they set is read."""
        self._contexts = 0

    # ----------------------------------------------------------------- root

    def build_root(self, operation_kind: str, items: tuple[Item, ...]) -> list[Group]:
        """Plan the root fields; return the root groups (in execution order for mutations)."""
        root_type = self.supergraph.root_types[operation_kind]
        fields = list(self._root_fields(items))
        roots: list[Group] = []
        by_subgraph: dict[SubgraphName, Group] = {}
        pending = [(item, frozenset[SubgraphName]()) for item in fields]
        while pending:
            item, tried = pending.pop(0)
            candidates = [
                s.subgraph
                for s in self.can.sources(root_type, item.name, PlanContext())
                if s.subgraph not in tried
            ]
            if not candidates:
                raise PlanningError(f"no subgraph can resolve {root_type}.{item.name}")
            if operation_kind == "mutation":
                last = roots[-1] if roots else None
                chosen = last.subgraph if last and last.subgraph in candidates else candidates[0]
                group = last if last is not None and last.subgraph == chosen else None
            else:
                chosen = self._pick_root_subgraph(root_type, item, candidates, by_subgraph)
                group = by_subgraph.get(chosen)
            if group is None:
                group = self._new_group(chosen, (), entity=False, conditions=(), deps=frozenset())
                group.root_order = len(roots)
                roots.append(group)
                by_subgraph[chosen] = group
            self._plan_object(Position(group, group.tree, root_type, (), PlanContext()), (item,))
            # what the chosen subgraph could not complete is fetched from another one
            pending[:0] = [(rest, tried | {chosen}) for rest in self._root_leftovers]
            self._root_leftovers = []
        return roots

    def _root_fields(self, items: Iterable[Item]) -> Iterable[FieldItem]:
        """Root fields in order, fragments on the root type flattened into their fields."""
        for item in items:
            if isinstance(item, FieldItem):
                if item.name not in ("__typename", "__schema", "__type"):
                    yield item
            else:
                for inner in self._root_fields(item.selections):
                    flattened = under_fragment(inner, item)
                    assert isinstance(flattened, FieldItem)
                    yield flattened

    def _pick_root_subgraph(
        self,
        root_type: str,
        item: FieldItem,
        candidates: list[SubgraphName],
        existing: Mapping[SubgraphName, Group],
    ) -> SubgraphName:
        if len(candidates) == 1:
            return candidates[0]
        field = self.supergraph.types[root_type].fields[item.name]

        def score(subgraph: SubgraphName) -> tuple[int, int]:
            covered = self.can.coverage(field.type_name, item.selections or (), subgraph, 3)
            return (covered, 1 if subgraph in existing else 0)

        return max(candidates, key=score)

    def _new_group(
        self,
        subgraph: SubgraphName,
        path: tuple[PathRef, ...],
        entity: bool,
        conditions: Conditions,
        deps: frozenset[Group],
    ) -> Group:
        group = Group(
            id=len(self.groups),
            subgraph=subgraph,
            path=path,
            entity=entity,
            conditions=conditions,
            deps=deps,
        )
        self.groups.append(group)
        return group

    # --------------------------------------------------------- resolvability

    def _plan(self, pos: Position, items: tuple[Item, ...]) -> set[Group]:
        info = self.supergraph.types[pos.type_name]
        if info.kind is TypeKind.OBJECT:
            return self._plan_object(pos, items)
        if info.is_interface_object_in(pos.group.subgraph):
            return self._plan_interface_object(pos, items)
        return self._plan_abstract(pos, items)

    # ------------------------------------------------------- abstract types

    def _plan_abstract(self, pos: Position, items: tuple[Item, ...]) -> set[Group]:
        typename = pos.tree.add_typename()
        if pos.ctx.inputs is not None:
            # an abstract value in a representation says which type it is
            pos.ctx.inputs.slot("__typename", "").entry = typename
        touched = {pos.group}
        split = split_abstract(self.can, pos.type_name, pos.group.subgraph, items, pos.ctx)
        if split.on_type is not None:
            touched |= self._plan_object(pos, split.on_type)
        for runtime, applicable in split.per_runtime:
            runtime_ctx = pos.ctx
            if pos.ctx.inputs is not None:
                runtime_ctx = replace(
                    pos.ctx, inputs=pos.ctx.inputs.fragment(runtime, frozenset({runtime}))
                )
            runtime_pos = Position(
                pos.group,
                pos.tree.add_fragment(runtime),
                runtime,
                (*pos.path, f"|[{runtime}]"),
                runtime_ctx,
            )
            touched |= self._plan_object(runtime_pos, applicable)
        return touched

    def _plan_interface_object(self, pos: Position, items: tuple[Item, ...]) -> set[Group]:
        """An interface this subgraph only knows as an ``@interfaceObject``."""
        group, tree = pos.group, pos.tree
        if not (group.entity and any(i.tree is tree for i in group.tree.items)):
            # the interface's name, so shaping reads the interface's fields; an entity
            # fetch must not send it, or it would hide the concrete type already known
            tree.add_typename()
        split = split_interface_object(self.can, pos.type_name, group.subgraph, items, pos.ctx)
        touched = self._plan_object(pos, split.local)
        # interface fields another @interfaceObject subgraph resolves are fetched from it
        # for the interface as a whole, without learning the concrete types
        for other, item in split.elsewhere:
            touched |= self._plan_jumped(pos, other, (item,))
        if not split.to_owner:
            return touched
        if split.owner is None:
            # no object of the interface can be told its type: the client's fields needing
            # it answer null; fragments on its implementations match nothing
            reason = f"no subgraph resolves the concrete types of {pos.type_name}"
            fields = [i for i in split.to_owner if isinstance(i, FieldItem)]
            self._give_up(fields, pos, reason)
            return touched
        return touched | self._plan_jumped(pos, split.owner, split.to_owner)

    def _plan_jumped(
        self, pos: Position, target: SubgraphName, items: tuple[Item, ...]
    ) -> set[Group]:
        """``items`` of the entity here, fetched from ``target`` by the entity's key."""
        child, subtree = self._jump(pos, target, None, frozenset(), pos.ctx.conditions)
        inner = replace(pos, group=child, tree=subtree, ctx=replace(pos.ctx, provided=()))
        return {child} | self._plan(inner, items)

    # --------------------------------------------------------------- objects

    def _plan_object(self, pos: Position, items: tuple[Item, ...]) -> set[Group]:
        group, tree, type_name, ctx = pos.group, pos.tree, pos.type_name, pos.ctx
        touched: set[Group] = set()
        remote: list[_Remote] = []
        for item in items:
            if isinstance(item, FragmentItem):
                if item.type_condition is not None and not self.can.applies(
                    item.type_condition, type_name
                ):
                    continue
                if item.conditions or item.directives_text:
                    sub = tree.add_fragment(None, item.directives_text, frozenset(item.conditions))
                    group.variables |= item.variables | condition_variables(item.conditions)
                    inner_ctx = replace(ctx, conditions=ctx.conditions + item.conditions)
                    touched |= self._plan_object(
                        replace(pos, tree=sub, ctx=inner_ctx), item.selections
                    )
                else:
                    touched |= self._plan_object(pos, item.selections)
                continue
            slot = ctx.inputs.slot(item.name, item.arguments_text) if ctx.inputs else None
            if item.name == "__typename":
                # fetched whatever its conditions (shaping applies them): the one the
                # gateway reads an object's type from must stay under its own name
                entry = tree.add_field(
                    "__typename", item.alias, "", item.other_directives_text, ctx.internal, False
                )
                group.variables |= item.variables
                if slot is not None:
                    slot.entry = entry
                touched.add(group)
                continue
            source = self.can.local(type_name, item.name, group.subgraph, ctx)
            if (
                source is not None
                and item.selections
                and not self.can.subtree_ok(
                    type_name, item, source, group.subgraph, ctx, refetch=False
                )
            ):
                if any(
                    self.can.subtree_ok_in(type_name, item, target, ctx, refetch=False)
                    for target, _, _ in self.can.candidates(type_name, item.name, ctx)
                    if target != group.subgraph
                ):
                    # the field's own sub-selection cannot be completed from here but can
                    # from another subgraph: fetch the field there (a "parent entity call")
                    source = None
                elif slot is None and (
                    split := self.can.split(type_name, item, source, group.subgraph, ctx)
                ):
                    # part of the sub-selection here, the rest from another subgraph
                    here, rest = split
                    touched |= self._add_local(pos, here, source, slot)
                    if not pos.path and type_name in self.supergraph.root_types.values():
                        self._root_leftovers.append(rest)
                    else:
                        remote.append(_Remote(rest, None))
                    continue
            if source is None:
                remote.append(_Remote(item, slot))
                continue
            touched |= self._add_local(pos, item, source, slot)
        if remote:
            touched |= self._plan_remote(pos, remote)
        return touched

    def _add_local(
        self, pos: Position, item: FieldItem, source: FieldSource, slot: InputSlot | None
    ) -> set[Group]:
        group, tree, type_name, ctx = pos.group, pos.tree, pos.type_name, pos.ctx
        child_type, lists = self.can.field_type(type_name, item.name)
        narrowed = False
        if source.type is not None:
            # the subgraph may declare a narrower type (an object where the supergraph
            # has a union): plan against what the subgraph will validate
            declared = source.type.replace("[", "").replace("]", "").replace("!", "")
            if declared in self.supergraph.types:
                narrowed = declared != child_type
                child_type = declared
        composite = item.selections is not None
        entry = tree.add_field(
            item.name,
            item.alias,
            item.arguments_text,
            item.directives_text,
            ctx.internal,
            composite,
        )
        entry.type_text = self.can.shape(source.type or self.can.type_text(type_name, item.name))
        entry.conditions = frozenset(item.conditions)
        group.variables |= item.variables | condition_variables(item.conditions)
        if slot is not None:
            slot.entry = entry
        touched = {group}
        if composite and item.selections is not None:
            assert entry.tree is not None
            provided = list(self.can.provided(ctx, type_name, item.name))
            if source.provides is not None:
                provided.append(normalize_selection(source.provides))
            child_info = self.supergraph.types.get(child_type)
            if child_info is not None and child_info.keys:
                anchor: tuple[str, tuple[str, ...]] | None = (child_type, ())
            elif ctx.anchor is not None:
                anchor = (ctx.anchor[0], (*ctx.anchor[1], item.name))
            else:
                anchor = None
            child_ctx = PlanContext(
                provided=tuple(provided),
                conditions=ctx.conditions + item.conditions,
                internal=ctx.internal,
                inputs=(slot.sub if slot.sub is not None else self._sub(slot)) if slot else None,
                anchor=anchor,
            )
            child = Position(
                group, entry.tree, child_type, (*pos.path, entry, *(["@"] * lists)), child_ctx
            )
            self._ancestors.append(child)
            try:
                touched |= self._plan(child, item.selections)
            finally:
                self._ancestors.pop()
            if narrowed and self.supergraph.types[child_type].kind is TypeKind.OBJECT:
                # the client's type is abstract: its answer is shaped by the object's type
                entry.tree.add_typename()
        return touched

    @staticmethod
    def _sub(slot: InputSlot) -> InputBuilder:
        slot.sub = InputBuilder()
        return slot.sub

    # ---------------------------------------------------------------- jumps

    def _plan_remote(self, pos: Position, remote: list[_Remote]) -> set[Group]:
        group, type_name, ctx = pos.group, pos.type_name, pos.ctx
        touched: set[Group] = set()
        here = resolve_path(pos.path)
        options = {
            id(r): [
                c
                for c in self.can.candidates(type_name, r.item.name, ctx)
                if (type_name, c[0], here) not in self._jumps
                # only a requirement or a context sends a fetch back to the subgraph it
                # comes from
                and (c[0] != group.subgraph or c[1].passed_in)
            ]
            for r in remote
        }

        pending = []
        for r in remote:
            if options[id(r)]:
                pending.append(r)
                continue
            reason = f"no subgraph can resolve {type_name}.{r.item.name} from {group.subgraph}"
            self._give_up([r.item], pos, reason)
        while pending:
            counts: dict[tuple[SubgraphName, str | None], int] = {}
            for r in pending:
                for subgraph, _, via in options[id(r)]:
                    counts[(subgraph, via)] = counts.get((subgraph, via), 0) + 1
            # prefer a subgraph the current fetch can reach with keys it has, then the one
            # resolving most of the pending fields; ties keep schema order
            target, via = max(
                counts,
                key=lambda k: (
                    all(
                        self.can.subtree_ok_in(type_name, r.item, k[0], ctx, refetch=False)
                        for r in pending
                        if any((s, v) == k for s, _, v in options[id(r)])
                    ),
                    self.can.directly_enterable(type_name, k, group.subgraph, ctx),
                    counts[k],
                ),
            )
            batch = [
                r for r in pending if any((s, v) == (target, via) for s, _, v in options[id(r)])
            ]
            pending = [r for r in pending if r not in batch]

            plain: list[_Remote] = []
            for r in batch:
                source = next(s for sg, s, v in options[id(r)] if (sg, v) == (target, via))
                if not source.passed_in:
                    plain.append(r)
                else:
                    touched |= self._jump_or_give_up(pos, [r], target, via, source)
            by_conditions: dict[Conditions, list[_Remote]] = {}
            for r in plain:
                by_conditions.setdefault(r.item.conditions, []).append(r)
            for _, rs in by_conditions.items():
                touched |= self._jump_or_give_up(pos, rs, target, via, None)
        return touched

    def _give_up(self, fields: list[FieldItem], pos: Position, reason: str) -> None:
        """Leave client ``fields`` unplanned: each answers null with an error naming why."""
        where = resolve_path(pos.path)
        if pos.ctx.internal or any(p.startswith("|[") for p in where):
            # a key or a requirement: what needs it cannot be planned either; below a
            # type condition, an error at the path would also name the objects of the
            # other types, which are answered
            raise PlanningError(reason)
        for item in fields:
            self.unresolvable.append(
                Unresolvable(
                    (*where, item.response_key), reason, pos.ctx.conditions + item.conditions
                )
            )

    def _jump_or_give_up(
        self,
        pos: Position,
        remotes: list[_Remote],
        target: SubgraphName,
        via: str | None,
        requires_source: FieldSource | None,
    ) -> set[Group]:
        """:meth:`_jump_with`, or, when the way there cannot be planned, the client's
        fields given up (what the failed attempt added selects a little more, no harm)."""
        try:
            return self._jump_with(pos, remotes, target, via, requires_source)
        except PlanningError as error:
            self._give_up([r.item for r in remotes], pos, str(error))
            return set()

    def _jump_with(
        self,
        pos: Position,
        remotes: list[_Remote],
        target: SubgraphName,
        via: str | None,
        requires_source: FieldSource | None,
    ) -> set[Group]:
        type_name, ctx = pos.type_name, pos.ctx
        conditions = ctx.conditions + remotes[0].item.conditions
        extra_deps: set[Group] = set()
        requires_inputs: InputBuilder | None = None
        if requires_source is not None and requires_source.requires is not None:
            requires_inputs = InputBuilder()
            # the requirements are fetched under the conditions the field is: a fetch they
            # need must not be shared with fetches the client's other fields make always
            req_ctx = PlanContext(
                provided=ctx.provided, conditions=conditions, internal=True, inputs=requires_inputs
            )
            extra_deps = self._plan(
                replace(pos, ctx=req_ctx), normalize_selection(requires_source.requires)
            )
        contexts: list[tuple[str, ContextArgument, Position, InputBuilder]] = []
        for argument in requires_source.context_arguments if requires_source else ():
            ancestor = self._context_ancestor(argument.context)
            if ancestor is None:
                raise PlanningError(
                    f"no object above {type_name}.{remotes[0].item.name} sets the context "
                    f"{argument.context} its argument {argument.name} reads"
                )
            context_inputs = InputBuilder()
            context_ctx = PlanContext(
                provided=ancestor.ctx.provided,
                conditions=conditions,
                internal=True,
                inputs=context_inputs,
            )
            extra_deps |= self._plan(
                replace(ancestor, ctx=context_ctx), normalize_selection(argument.selection)
            )
            variable = f"contextualArgument__{self._contexts}"
            self._contexts += 1
            contexts.append((variable, argument, ancestor, context_inputs))
        child, subtree = self._jump(
            pos, target, via, frozenset(extra_deps), conditions, requires_inputs
        )
        for variable, argument, ancestor, context_inputs in contexts:
            child.contexts.append(
                GroupContext(variable, argument.type, ancestor.path, context_inputs)
            )
        passed = "".join(f", {a.name}: ${v}" for v, a, _, _ in contexts)
        items = tuple(
            replace(
                r.item,
                directives_text=r.item.other_directives_text,
                conditions=(),
                arguments_text=_with_arguments(r.item.arguments_text, passed),
            )
            for r in remotes
        )
        child_ctx = PlanContext(
            conditions=conditions, internal=ctx.internal, inputs=None, anchor=(via or type_name, ())
        )
        child_pos = Position(child, subtree, via or type_name, pos.path, child_ctx)
        touched = {child}
        for r, item in zip(remotes, items, strict=True):
            if requires_source is not None:
                # the requirements travel in the representation: resolve the field in place
                touched |= self._add_local(child_pos, item, requires_source, r.slot)
                continue
            inner = child_pos
            if r.slot is not None:
                holder = InputBuilder()
                holder.fields[item.name + item.arguments_text] = r.slot
                inner = replace(child_pos, ctx=replace(child_ctx, inputs=holder))
            touched |= self._plan(inner, (item,))
        return touched

    def _context_ancestor(self, context: str) -> Position | None:
        """The nearest object above (or at) the current position whose type sets
        ``context``: for an abstract position, one of its possible types does."""
        for ancestor in reversed(self._ancestors):
            info = self.supergraph.types[ancestor.type_name]
            if context in info.contexts:
                return ancestor
            if info.kind is not TypeKind.OBJECT and any(
                context in self.supergraph.types[t].contexts
                for t in self.can.input_types(ancestor.type_name)
            ):
                return ancestor
        return None

    def _jump(
        self,
        pos: Position,
        target: SubgraphName,
        via: str | None,
        extra_deps: frozenset[Group],
        conditions: Conditions,
        requires_inputs: InputBuilder | None = None,
    ) -> tuple[Group, SelectionTree]:
        """Make the fetch at ``pos`` select a key of the entity there; return the fetch
        that receives it and the selection to fill in it."""
        group, type_name, ctx = pos.group, pos.type_name, pos.ctx
        entity_type = via or type_name
        keys = [k for k in self.supergraph.types[entity_type].keys_in(target) if k.resolvable]
        if not keys:
            raise PlanningError(
                f"subgraph {target} has no resolvable @key for {entity_type}, "
                f"so {type_name} cannot be fetched from it"
            )
        local_ctx = replace(ctx, internal=True, inputs=None)
        chosen = next(
            (
                k
                for k in keys
                if self.can.all_local(type_name, k.selection, group.subgraph, local_ctx)
            ),
            None,
        )
        known = self._known_from_representation(pos, keys)
        if chosen is None and known is not None:
            # this entity fetch was itself sent these key fields: the merged response
            # already holds them, so the next fetch reads them where this one did
            chosen, key_inputs = known
            deps = set(group.deps)
        else:
            chosen = chosen or keys[0]
            marker = (type_name, target, resolve_path(pos.path))
            if marker in self._jumps:
                raise PlanningError(
                    f"cannot collect the key of {type_name} for {target} at {'.'.join(marker[2])}"
                )
            self._jumps.append(marker)
            try:
                key_inputs = InputBuilder()
                pos.tree.add_typename()
                key_ctx = PlanContext(
                    provided=ctx.provided, conditions=conditions, internal=True, inputs=key_inputs
                )
                deps = self._plan(replace(pos, ctx=key_ctx), normalize_selection(chosen.selection))
            finally:
                self._jumps.pop()
        deps |= extra_deps
        # one fetch serves every runtime type at this position: the representations'
        # type conditions pick the objects, so a trailing type condition is dropped
        path = pos.path
        if path and isinstance(path[-1], str) and path[-1].startswith("|["):
            path = path[:-1]
        reuse: tuple[object, ...] = (
            target,
            path_identity(path),
            conditions,
            frozenset(g.id for g in deps),
        )
        child = self._reuse.get(reuse)
        while (
            child is not None
            and requires_inputs is not None
            and (existing := child.inputs.get((type_name, via))) is not None
            and existing.builder.clashes_with(requires_inputs)
        ):
            # one representation cannot carry the same field with two sets of arguments
            reuse = (*reuse, "again")
            child = self._reuse.get(reuse)
        if child is None and reuse[-1] != "again":
            child = self._sibling(reuse, deps, type_name, via, requires_inputs)
            if child is not None:
                self._reuse[reuse] = child
        if child is None:
            child = self._new_group(target, path, True, conditions, frozenset(deps))
            self._reuse[reuse] = child
        inputs = child.entity_input(type_name, self.can.input_types(type_name), via)
        inputs.merge(key_inputs)
        if requires_inputs is not None:
            inputs.merge(requires_inputs)
        return child, child.tree.add_fragment(entity_type)

    def _sibling(
        self,
        reuse: tuple[object, ...],
        deps: set[Group],
        type_name: str,
        via: str | None,
        requires_inputs: InputBuilder | None,
    ) -> Group | None:
        """A fetch to the same subgraph at the same place under the same conditions that
        can also carry this one: made one, it waits for both's dependencies, a call fewer
        (as a requirement's fetch and the plain one beside it become one). Not when one of
        the dependencies comes after that fetch: that would be a cycle."""
        for key, group in self._reuse.items():
            if key[:3] != reuse[:3] or len(key) != len(reuse):
                continue
            if group in deps or any(self._after(d, group) for d in deps):
                continue
            existing = group.inputs.get((type_name, via))
            if (
                requires_inputs is not None
                and existing is not None
                and existing.builder.clashes_with(requires_inputs)
            ):
                continue
            group.deps = group.deps | frozenset(deps)
            return group
        return None

    @staticmethod
    def _after(group: Group, other: Group) -> bool:
        """Whether ``group`` waits for ``other``, directly or through other fetches."""
        seen: set[int] = set()
        stack = list(group.deps)
        while stack:
            current = stack.pop()
            if current is other:
                return True
            if current.id not in seen:
                seen.add(current.id)
                stack.extend(current.deps)
        return False

    def _known_from_representation(
        self, pos: Position, keys: list[EntityKey]
    ) -> tuple[EntityKey, InputBuilder] | None:
        """A key whose fields the entity fetch at ``pos`` received in its representations,
        when the position is where that fetch's entities sit."""
        group = pos.group
        here = path_identity(pos.path)
        if here and isinstance(here[-1], str) and here[-1].startswith("|["):
            here = here[:-1]
        if not group.entity or here != path_identity(group.path):
            return None
        received = group.inputs.get((pos.type_name, None))
        if received is None:
            return None
        for key in keys:
            names = [n.name.value for n in key.selection.selections if isinstance(n, FieldNode)]
            if len(names) != len(key.selection.selections):
                continue
            slots = [received.builder.fields.get(name) for name in names]
            if all(
                slot is not None and slot.entry is not None and slot.sub is None for slot in slots
            ):
                inputs = InputBuilder()
                for name, slot in zip(names, slots, strict=True):
                    assert slot is not None
                    inputs.fields[name] = slot
                return key, inputs
        return None


def _with_arguments(arguments_text: str, passed: str) -> str:
    """``(a: 1)`` with ``, b: $v`` added: ``(a: 1, b: $v)``."""
    if not passed:
        return arguments_text
    if not arguments_text:
        return f"({passed[2:]})"
    return f"{arguments_text[:-1]}{passed})"
