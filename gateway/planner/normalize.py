"""Client selections in the shape the planner walks.

Fragment spreads become inline fragments, ``@skip``/``@include`` with literal arguments
are applied, and those with variables become :attr:`Item.conditions` the planner can turn
into ``Condition`` nodes. Normalized selections are immutable and cached with the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.language import Visitor, visit

from .selection import print_arguments, print_directives

__all__ = [
    "Conditions",
    "FieldItem",
    "FragmentItem",
    "Item",
    "normalize_selection",
    "under_fragment",
]

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
        if name == "defer":
            continue  # the gateway's own: no subgraph is asked to defer
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


def under_fragment(item: Item, fragment: FragmentItem) -> Item:
    """``item`` of ``fragment``'s selection, carrying the fragment's conditions itself, for
    planning it where the fragment is flattened away."""
    if not fragment.conditions:
        return item
    return replace(
        item,
        conditions=fragment.conditions + item.conditions,
        directives_text=conditions_text(fragment.conditions) + item.directives_text,
    )


def normalize_selection(
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode] | None = None,
    schema: GraphQLSchema | None = None,
    parent_type: str | None = None,
) -> tuple[Item, ...]:
    """Normalize a selection set (fragment spreads resolved against ``fragments``).

    With ``schema`` and the selection's ``parent_type``, the selection is also collected as
    GraphQL executes it: fragments that always apply (no type condition, or the parent's
    own type, and no directives) are inlined, and fields of one response key are merged
    into one. Each fragment is then normalized once per parent type, so a document whose
    fragments spread each other twice costs time in its size, not in its number of paths.
    """
    normalizer = _Normalizer(fragments or {}, schema)
    return normalizer.selection(selection_set, parent_type)


class _Normalizer:
    def __init__(
        self, fragments: Mapping[str, FragmentDefinitionNode], schema: GraphQLSchema | None
    ) -> None:
        self.fragments = fragments
        self.schema = schema
        self.memo: dict[tuple[int, str | None], tuple[Item, ...]] = {}

    def selection(self, selection_set: SelectionSetNode, parent: str | None) -> tuple[Item, ...]:
        key = (id(selection_set), parent)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._items(selection_set, parent)
        return found

    def _items(self, selection_set: SelectionSetNode, parent: str | None) -> tuple[Item, ...]:
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
                            self.selection(node.selection_set, self._child(parent, node))
                            if node.selection_set is not None
                            else None
                        ),
                    )
                )
            elif isinstance(node, InlineFragmentNode | FragmentSpreadNode):
                if isinstance(node, FragmentSpreadNode):
                    definition = self.fragments[node.name.value]
                    type_condition: str | None = definition.type_condition.name.value
                    inner = definition.selection_set
                else:
                    type_condition = node.type_condition.name.value if node.type_condition else None
                    inner = node.selection_set
                directives_text = condition_text + print_directives(rest)
                always = not directives_text and type_condition in (None, parent)
                if self.schema is not None and parent is not None and always:
                    items.extend(self.selection(inner, parent))
                    continue
                items.append(
                    FragmentItem(
                        type_condition=type_condition,
                        directives_text=directives_text,
                        conditions=conditions,
                        variables=_variables(rest),
                        selections=self.selection(inner, type_condition or parent),
                    )
                )
        return _merged(items) if self.schema is not None and parent is not None else tuple(items)

    def _child(self, parent: str | None, node: FieldNode) -> str | None:
        if self.schema is None or parent is None:
            return None
        parent_type = self.schema.get_type(parent)
        fields = getattr(parent_type, "fields", None)
        if not fields or node.name.value not in fields:
            return None  # __typename, or a field of another phase's schema
        return str(get_named_type(fields[node.name.value].type).name)


def _merged(items: list[Item]) -> tuple[Item, ...]:
    """Fields of one response key (same arguments and directives, as validation ensures
    for fields merged in one response) become one field selecting all their selections."""
    merged: dict[tuple[str, str, str, str], FieldItem] = {}
    order: list[Item | tuple[str, str, str, str]] = []
    for item in items:
        if not isinstance(item, FieldItem):
            order.append(item)
            continue
        key = (item.response_key, item.name, item.arguments_text, item.directives_text)
        seen = merged.get(key)
        if seen is None:
            merged[key] = item
            order.append(key)
        elif (
            item.selections is not None
            and seen.selections is not None
            and item.selections is not seen.selections
        ):
            selections = _merged([*seen.selections, *item.selections])
            merged[key] = replace(seen, selections=selections)
    return tuple(merged[i] if isinstance(i, tuple) else i for i in order)
