"""Client selections in the shape the planner walks.

Fragment spreads become inline fragments, ``@skip``/``@include`` with literal arguments
are applied, and those with variables become :attr:`Item.conditions` the planner can turn
into ``Condition`` nodes. Normalized selections are immutable and cached with the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.language import Visitor, visit

from .selection import print_arguments, print_directives

__all__ = ["Conditions", "FieldItem", "FragmentItem", "Item", "normalize_selection"]

Conditions = tuple[tuple[str, bool], ...]
"""``(variable, include)`` pairs: the selection applies when each variable equals ``include``."""


def condition_variables(conditions: Conditions) -> frozenset[str]:
    return frozenset(name for name, _ in conditions)


@dataclass(frozen=True, slots=True)
class FieldItem:
    name: str
    alias: str | None
    arguments_text: str
    directives_text: str
    """All directives, the variable ``@skip``/``@include`` ones included."""
    other_directives_text: str
    """Directives other than the variable ``@skip``/``@include``."""
    conditions: Conditions
    variables: frozenset[str]
    """Variables of the arguments and of the directives other than the conditions."""
    selections: tuple[Item, ...] | None

    @property
    def response_key(self) -> str:
        return self.alias or self.name


@dataclass(frozen=True, slots=True)
class FragmentItem:
    type_condition: str | None
    directives_text: str
    conditions: Conditions
    variables: frozenset[str]
    selections: tuple[Item, ...]


Item = FieldItem | FragmentItem


class _VariableCollector(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self.names.add(node.name.value)


def _variables(*nodes: object) -> frozenset[str]:
    collector = _VariableCollector()
    for node in nodes:
        if node is None:
            continue
        for item in node if isinstance(node, tuple) else (node,):
            visit(item, collector)
    return frozenset(collector.names)


def _conditions(
    directives: tuple[DirectiveNode, ...],
) -> tuple[bool, Conditions, tuple[DirectiveNode, ...]]:
    """Return (excluded for sure, variable conditions, remaining directives)."""
    conditions: list[tuple[str, bool]] = []
    rest: list[DirectiveNode] = []
    for directive in directives:
        name = directive.name.value
        if name not in ("skip", "include"):
            rest.append(directive)
            continue
        argument = next((a for a in directive.arguments or () if a.name.value == "if"), None)
        if argument is None:
            rest.append(directive)
            continue
        include = name == "include"
        if isinstance(argument.value, BooleanValueNode):
            if argument.value.value != include:
                return True, (), ()
            continue
        if isinstance(argument.value, VariableNode):
            conditions.append((argument.value.name.value, include))
        else:
            rest.append(directive)
    return False, tuple(conditions), tuple(rest)


def conditions_text(conditions: Conditions) -> str:
    return "".join(
        f" @{'include' if include else 'skip'}(if: ${name})" for name, include in conditions
    )


def normalize_selection(
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode] | None = None,
) -> tuple[Item, ...]:
    """Normalize a selection set (fragment spreads resolved against ``fragments``)."""
    fragments = fragments or {}
    items: list[Item] = []
    for node in selection_set.selections:
        excluded, conditions, rest = _conditions(tuple(node.directives or ()))
        if excluded:
            continue
        condition_text = conditions_text(conditions)
        if isinstance(node, FieldNode):
            arguments = tuple(node.arguments or ())
            rest_text = print_directives(rest)
            items.append(
                FieldItem(
                    name=node.name.value,
                    alias=node.alias.value if node.alias else None,
                    arguments_text=print_arguments(arguments),
                    directives_text=condition_text + rest_text,
                    other_directives_text=rest_text,
                    conditions=conditions,
                    variables=_variables(arguments, rest),
                    selections=(
                        normalize_selection(node.selection_set, fragments)
                        if node.selection_set is not None
                        else None
                    ),
                )
            )
        elif isinstance(node, InlineFragmentNode | FragmentSpreadNode):
            if isinstance(node, FragmentSpreadNode):
                definition = fragments[node.name.value]
                type_condition: str | None = definition.type_condition.name.value
                inner = definition.selection_set
            else:
                type_condition = node.type_condition.name.value if node.type_condition else None
                inner = node.selection_set
            items.append(
                FragmentItem(
                    type_condition=type_condition,
                    directives_text=condition_text + print_directives(rest),
                    conditions=conditions,
                    variables=_variables(rest),
                    selections=normalize_selection(inner, fragments),
                )
            )
    return tuple(items)
