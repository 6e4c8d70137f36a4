"""Turn fetch groups into plan nodes: the subgraph documents, then their order.

A group runs once every group it depends on has run. Groups that only depend on one
group run right after it (``Sequence``); independent branches run side by side
(``Parallel``); groups under a variable ``@skip``/``@include`` sit in ``Condition`` nodes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graphql import VariableDefinitionNode, print_ast

from .groups import Group, resolve_path
from .plan import (
    Batch,
    Condition,
    ContextRead,
    Fetch,
    Flatten,
    InputField,
    InputFragment,
    OutputRewrite,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
    Unresolvable,
)

__all__ = ["assemble_plan"]


def _variables_text(names: list[str], definitions: Mapping[str, VariableDefinitionNode]) -> str:
    parts = []
    for name in names:
        definition = definitions[name]
        text = f"${name}:{print_ast(definition.type)}"
        # the default stays: a nullable variable with a default may fill a non-null position
        if definition.default_value is not None:
            text += f"={print_ast(definition.default_value)}"
        parts.append(text)
    return ",".join(parts)


def _print_inputs(inputs: tuple[InputField | InputFragment, ...], depth: int) -> list[str]:
    pad = "  " * depth
    lines: list[str] = []
    for item in inputs:
        if isinstance(item, InputFragment):
            lines.append(f"{pad}... on {item.type_condition} {{")
            if depth == 1:  # every representation starts with its __typename
                lines.append(f"{pad}  __typename")
            lines.extend(_print_inputs(item.selections, depth + 1))
            lines.append(f"{pad}}}")
        elif item.selections is not None:
            lines.append(f"{pad}{item.name} {{")
            lines.extend(_print_inputs(item.selections, depth + 1))
            lines.append(f"{pad}}}")
        else:
            lines.append(f"{pad}{item.name}")
    return lines


def _fetch(
    group: Group,
    operation_kind: str,
    definitions: Mapping[str, VariableDefinitionNode],
    operation_name: str | None,
) -> Fetch:
    name = f"{operation_name}__{group.subgraph}__{group.id}" if operation_name else None
    rewrites = tuple(OutputRewrite(*r) for r in group.tree.separate_conflicting_shapes())
    selection = group.tree.print_compact()
    # a variable only a selection left out of the document used (an emptied fragment's
    # condition) must not be declared: a subgraph refuses a variable it never uses
    used = sorted(
        n for n in group.variables if n in definitions and re.search(rf"\${n}\b", selection)
    )
    variables = _variables_text(used, definitions)
    contexts = tuple(
        ContextRead(
            c.variable,
            sum(1 for p in resolve_path(c.ancestor) if not p.startswith("|[")),
            c.inputs.build(),
        )
        for c in group.contexts
    )
    if contexts:
        declared_contexts = ",".join(f"${c.variable}:{c.type_text}" for c in group.contexts)
        variables = f"{variables},{declared_contexts}" if variables else declared_contexts
    inputs: tuple[InputFragment, ...] | None = None
    requires_text: str | None = None
    if group.entity:
        inputs = group.build_inputs()
        requires_text = "\n".join(["{", *_print_inputs(inputs, 1), "}"])
        declared = "$representations:[_Any!]!" + ("," + variables if variables else "")
        document = (
            f"query{' ' + name if name else ''}({declared})"
            f"{{_entities(representations:$representations){selection}}}"
        )
        kind = "query"
    else:
        head = operation_kind + (" " + name if name else "")
        document = head + (f"({variables})" if variables else "") + selection
        kind = operation_kind
    return Fetch(
        service=group.subgraph,
        operation=document,
        operation_kind=kind,  # type: ignore[arg-type]
        variable_usages=tuple(used),
        requires=inputs,
        selection_text=group.tree.print_pretty(),
        requires_text=requires_text,
        variables_text=variables,
        operation_name=name,
        output_rewrites=rewrites,
        response_keys=group.tree.client_keys(),
        contexts=contexts,
        selection=selection,
    )


def assemble_plan(
    groups: list[Group],
    roots: list[Group],
    operation_kind: str,
    definitions: Mapping[str, VariableDefinitionNode],
    operation_name: str | None,
    unresolvable: tuple[Unresolvable, ...] = (),
    batch: bool = True,
) -> QueryPlan:
    """Order the groups into a plan tree (``batch``: see :func:`_units`)."""
    live = [g for g in groups if not g.tree.is_empty()]
    if not live:
        return QueryPlan(node=None, unresolvable=unresolvable)
    fetches = {g: _fetch(g, operation_kind, definitions, operation_name) for g in live}
    if operation_kind == "mutation":
        # each mutation field, with what it needs, completes before the next one starts
        scheduler = _Scheduler(_units(live, None), fetches, definitions)
        units: list[PlanNode] = []
        for root in roots:
            if root not in fetches:
                continue
            units.append(scheduler.run([scheduler.unit_of[root]]))
        rest = [u for u in scheduler.units if u not in scheduler.claimed]
        if rest:
            units.append(scheduler.run(scheduler.ready(rest)))
        return QueryPlan(node=_sequence(units), unresolvable=unresolvable)
    stage = _stages(live) if batch and operation_kind == "query" else None
    scheduler = _Scheduler(_units(live, stage), fetches, definitions, stage)
    node = scheduler.run(scheduler.ready(scheduler.units))
    return QueryPlan(node=node, unresolvable=unresolvable)


def _stages(groups: list[Group]) -> dict[Group, int]:
    """Each group's stage: the length of the longest chain of groups it waits for."""
    live = set(groups)
    stage: dict[Group, int] = {}

    def stage_of(group: Group) -> int:
        if group not in stage:
            deps = [d for d in group.deps if d in live]
            stage[group] = 1 + max((stage_of(d) for d in deps), default=-1)
        return stage[group]

    for group in groups:
        stage_of(group)
    return stage


def _units(groups: list[Group], stage: Mapping[Group, int] | None) -> list[tuple[Group, ...]]:
    """What runs as one step: a group, or (given the groups' ``stage``) the entity groups of
    one subgraph that become ready at the same stage of the plan, sent as one call.

    Groups of one stage wait only for earlier stages, so a batch of them waits no longer than its
    slowest part would, and forms no cycle. The same entities reached by several paths
    (``users.@.reviews.@.product`` and ``topProducts.@``) are so fetched in one call to
    their subgraph instead of one call per path: on the city's network every call is a
    round-trip to an OPD's server. Groups with contextual arguments are left alone: their
    fetch is already one call per distinct value."""
    if stage is None:
        return [(g,) for g in groups]
    buckets: dict[tuple[str, int], list[Group]] = {}
    units: list[tuple[Group, ...] | list[Group]] = []
    for group in groups:
        if not group.entity or group.contexts:
            units.append((group,))
            continue
        key = (group.subgraph, stage[group])
        if key not in buckets:
            buckets[key] = []
            units.append(buckets[key])  # placed where its first group was
        buckets[key].append(group)
    return [tuple(unit) for unit in units]


class _Scheduler:
    def __init__(
        self,
        units: list[tuple[Group, ...]],
        fetches: Mapping[Group, Fetch],
        definitions: Mapping[str, VariableDefinitionNode],
        stage: Mapping[Group, int] | None = None,
    ):
        """``stage``: the groups' stages when they are batched (see :meth:`_chain`); a unit's
        is its groups' (a batch's groups share one)."""
        self.units = units
        self.fetches = fetches
        self.definitions = definitions
        self.unit_of = {g: unit for unit in units for g in unit}
        self.claimed: set[tuple[Group, ...]] = set()
        self.finished: frozenset[tuple[Group, ...]] = frozenset()
        """The units placed in earlier steps: they have run when the next step starts."""
        self.stage = stage
        self.deps: dict[tuple[Group, ...], set[tuple[Group, ...]]] = {}
        self.children: dict[tuple[Group, ...], list[tuple[Group, ...]]] = {u: [] for u in units}
        for unit in units:
            deps = {self.unit_of[d] for g in unit for d in g.deps if d in self.unit_of}
            deps.discard(unit)
            self.deps[unit] = deps
            for dep in self.deps[unit]:
                self.children[dep].append(unit)

    def ready(self, candidates: list[tuple[Group, ...]]) -> list[tuple[Group, ...]]:
        return [u for u in candidates if u not in self.claimed and self.deps[u] <= self.claimed]

    def run(self, ready: list[tuple[Group, ...]]) -> PlanNode:
        """Schedule ``ready`` and, after them, everything that becomes ready."""
        steps: list[PlanNode] = []
        while ready:
            branches = []
            for unit in ready:
                if unit in self.claimed:
                    continue
                branches.append(self._chain(unit, self.finished))
            if branches:
                steps.append(_parallel(branches))
            self.finished = frozenset(self.claimed)
            ready = [
                u
                for u in self.units
                if u not in self.claimed and self.deps[u] and self.deps[u] <= self.finished
            ]
        return _sequence(steps)

    def _chain(self, unit: tuple[Group, ...], before: frozenset[tuple[Group, ...]]) -> PlanNode:
        """A unit, then the units that wait only for it and what ran before it (``before``:
        earlier steps and this chain's own ancestors; never a unit of a parallel branch,
        which may still be running)."""
        self.claimed.add(unit)
        node = self._node(unit)
        done = before | {unit}
        followers = [
            c for c in self.children[unit] if c not in self.claimed and self.deps[c] <= done
        ]
        waiting = [
            c for c in self.children[unit] if c not in self.claimed and not self.deps[c] <= done
        ]
        stage = self.stage
        if stage is not None and waiting:
            # a unit waiting for this one and for another branch starts after this step;
            # the units of its stage or later start with it, side by side, rather than
            # lengthen the step it waits for (with subgraphs alike in speed, no later)
            first = min(stage[c[0]] for c in waiting)
            followers = [c for c in followers if stage[c[0]] < first]
        if followers:
            node = _sequence(
                [
                    node,
                    _parallel([self._chain(c, done) for c in followers if c not in self.claimed]),
                ]
            )
        # what follows a group runs under its @skip/@include too; a batch's parts each
        # carry their own
        return _wrap(node, unit[0].conditions) if len(unit) == 1 else node

    def _node(self, unit: tuple[Group, ...]) -> PlanNode:
        if len(unit) == 1:
            return self._part(unit[0], conditions=False)
        fetches = [self.fetches[g] for g in unit]
        used = sorted({name for fetch in fetches for name in fetch.variable_usages})
        return Batch(
            service=unit[0].subgraph,
            parts=tuple(self._part(g) for g in unit),
            variables=tuple((name, _variables_text([name], self.definitions)) for name in used),
            operation_name=fetches[0].operation_name,
        )

    def _part(self, group: Group, conditions: bool = True) -> PlanNode:
        node: PlanNode = self.fetches[group]
        if group.entity:
            node = Flatten(path=resolve_path(group.path), node=node)  # type: ignore[arg-type]
        # a fetch whose every field is under the same @skip/@include need not be sent
        shared = group.tree.shared_conditions() - set(group.conditions)
        node = _wrap(node, tuple(sorted(shared)))
        return _wrap(node, group.conditions) if conditions else node


def _wrap(node: PlanNode, conditions: tuple[tuple[str, bool], ...]) -> PlanNode:
    for variable, include in reversed(conditions):
        node = Condition(variable, node, None) if include else Condition(variable, None, node)
    return node


def _sequence(nodes: list[PlanNode]) -> PlanNode:
    flat: list[PlanNode] = []
    for node in nodes:
        flat.extend(node.nodes if isinstance(node, Sequence) else (node,))
    return flat[0] if len(flat) == 1 else Sequence(tuple(flat))


def _parallel(nodes: list[PlanNode]) -> PlanNode:
    flat: list[PlanNode] = []
    for node in nodes:
        flat.extend(node.nodes if isinstance(node, Parallel) else (node,))
    return flat[0] if len(flat) == 1 else Parallel(tuple(flat))
