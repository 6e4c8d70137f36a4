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
    )


def assemble_plan(
    groups: list[Group],
    roots: list[Group],
    operation_kind: str,
    definitions: Mapping[str, VariableDefinitionNode],
    operation_name: str | None,
    unresolvable: tuple[Unresolvable, ...] = (),
) -> QueryPlan:
    """Order the groups into a plan tree."""
    live = [g for g in groups if not g.tree.is_empty()]
    if not live:
        return QueryPlan(node=None, unresolvable=unresolvable)
    fetches = {g: _fetch(g, operation_kind, definitions, operation_name) for g in live}
    scheduler = _Scheduler(live, fetches)
    if operation_kind == "mutation":
        # each mutation field, with what it needs, completes before the next one starts
        units: list[PlanNode] = []
        for root in roots:
            if root not in fetches:
                continue
            units.append(scheduler.run([root]))
        rest = [g for g in live if g not in scheduler.claimed]
        if rest:
            units.append(scheduler.run(scheduler.ready(rest)))
        return QueryPlan(node=_sequence(units), unresolvable=unresolvable)
    node = scheduler.run(scheduler.ready(live))
    return QueryPlan(node=node, unresolvable=unresolvable)


class _Scheduler:
    def __init__(self, groups: list[Group], fetches: Mapping[Group, Fetch]):
        self.groups = groups
        self.fetches = fetches
        self.live = set(groups)
        self.claimed: set[Group] = set()
        self.children: dict[Group, list[Group]] = {g: [] for g in groups}
        for group in groups:
            for dep in group.deps:
                if dep in self.children:
                    self.children[dep].append(group)

    def _deps(self, group: Group) -> set[Group]:
        return {d for d in group.deps if d in self.live}

    def ready(self, candidates: list[Group]) -> list[Group]:
        return [g for g in candidates if g not in self.claimed and self._deps(g) <= self.claimed]

    def run(self, ready: list[Group]) -> PlanNode:
        """Schedule ``ready`` and, after them, everything that becomes ready."""
        steps: list[PlanNode] = []
        while ready:
            branches = []
            for group in ready:
                if group in self.claimed:
                    continue
                branches.append(self._chain(group))
            if branches:
                steps.append(_parallel(branches))
            ready = [
                g
                for g in self.groups
                if g not in self.claimed and self._deps(g) and self._deps(g) <= self.claimed
            ]
        return _sequence(steps)

    def _chain(self, group: Group) -> PlanNode:
        """A group, then the groups that depend on it alone."""
        self.claimed.add(group)
        node: PlanNode = self.fetches[group]
        if group.entity:
            node = Flatten(path=resolve_path(group.path), node=node)  # type: ignore[arg-type]
        # a fetch whose every field is under the same @skip/@include need not be sent
        shared = group.tree.shared_conditions() - set(group.conditions)
        node = _wrap(node, tuple(sorted(shared)))
        followers = [
            c
            for c in self.children[group]
            if c not in self.claimed and self._deps(c) <= self.claimed
        ]
        if followers:
            node = _sequence(
                [node, _parallel([self._chain(c) for c in followers if c not in self.claimed])]
            )
        return _wrap(node, group.conditions)


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
