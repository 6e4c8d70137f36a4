"""Demand control: what an operation will cost, before it runs, and what it cost.

Costs follow the IBM GraphQL cost directive specification, as Apollo Router applies it:

- a mutation costs 10 to start with, a query 0;
- a field costs its weight: ``@cost(weight:)`` on the field, else on its type, else 1 for an
  object, interface or union and 0 for a scalar or enum; plus the weights of the arguments
  it is given (``@cost`` on an argument);
- a field's selection adds its own cost; a list multiplies its items' cost by the list's
  size: the largest value given to one of its ``@listSize(slicingArguments:)`` (``first:
  20``), else its ``assumedSize``, else the configured default; with ``sizedFields`` that
  size applies to those child fields of a connection instead; the arguments' weights count
  once, not per item;
- where a selection is on an interface or union, the most expensive possible type counts.

The estimate is worked out once per document, operation and value of the slicing arguments
it reads. The actual cost walks the answer with the same weights, each list by its real
length.

The gateway builds its model from the supergraph (:class:`CostModel`); an OPD's subgraph
from its own SDL (:meth:`CostModel.from_schema`, used by :mod:`subgraphs.toolkit.limits`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from graphql import (
    ArgumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    value_from_ast_untyped,
)

from .specs.cost import ListSize, arguments_of, list_size_from_arguments, weight_from_arguments
from .supergraph.model import Supergraph

__all__ = ["MUTATION_COST", "CostModel", "Estimate"]

MUTATION_COST = 10


@dataclass(slots=True)
class Estimate:
    """One operation's cost estimates, by the values of the slicing arguments it reads."""

    variables: tuple[str, ...] = ()
    """The variables whose values change the estimate (slicing arguments)."""
    by_values: dict[tuple[object, ...], int] = field(default_factory=dict)


class CostModel:
    """The weights and list sizes of one supergraph's API schema (or of one subgraph's
    schema, :meth:`from_schema`)."""

    def __init__(self, supergraph: Supergraph, api_schema: GraphQLSchema, list_size: int) -> None:
        names = supergraph.spec_names
        cost_name, list_size_name = names.get("cost"), names.get("listSize")
        self._read(
            supergraph.schema,
            api_schema,
            list_size,
            cost_names=() if cost_name is None else (cost_name,),
            list_size_names=() if list_size_name is None else (list_size_name,),
        )

    @classmethod
    def from_schema(
        cls,
        schema: GraphQLSchema,
        *,
        cost_names: Collection[str] = ("cost",),
        list_size_names: Collection[str] = ("listSize",),
        list_size: int,
        api_schema: GraphQLSchema | None = None,
        count_list_arguments: bool = False,
    ) -> CostModel:
        """The model of ``schema``, whose definitions carry ``@cost`` and ``@listSize``
        in their AST nodes under the names ``cost_names`` and ``list_size_names`` (a
        subgraph's SDL, parsed); estimates are worked out on ``api_schema`` (default
        ``schema``). With ``count_list_arguments``, a list given to a slicing argument
        counts as its number of items (how a subgraph sizes ``_entities`` by its
        ``representations``)."""
        model = cls.__new__(cls)
        model._read(
            schema,
            schema if api_schema is None else api_schema,
            list_size,
            cost_names=tuple(cost_names),
            list_size_names=tuple(list_size_names),
        )
        model.count_list_arguments = count_list_arguments
        return model

    def _read(
        self,
        marked: GraphQLSchema,
        api_schema: GraphQLSchema,
        list_size: int,
        *,
        cost_names: tuple[str, ...],
        list_size_names: tuple[str, ...],
    ) -> None:
        self.schema = api_schema
        self.default_list_size = list_size
        self.count_list_arguments = False
        """Whether a list given to a slicing argument counts as its number of items."""
        self.type_weights: dict[str, int] = {}
        self.field_weights: dict[tuple[str, str], int] = {}
        self.argument_weights: dict[tuple[str, str, str], int] = {}
        self.list_sizes: dict[tuple[str, str], ListSize] = {}
        if not cost_names and not list_size_names:
            return
        for type_ in marked.type_map.values():
            nodes = [type_.ast_node, *type_.extension_ast_nodes] if type_.ast_node else []
            for node in nodes:
                for directive in getattr(node, "directives", None) or ():
                    if directive.name.value in cost_names:
                        weight = weight_from_arguments(arguments_of(directive))
                        if weight is not None:
                            self.type_weights[type_.name] = weight
            for field_name, definition in getattr(type_, "fields", {}).items():
                node = definition.ast_node
                for directive in getattr(node, "directives", None) or ():
                    arguments = arguments_of(directive)
                    if directive.name.value in cost_names:
                        weight = weight_from_arguments(arguments)
                        if weight is not None:
                            self.field_weights[type_.name, field_name] = weight
                    elif directive.name.value in list_size_names:
                        self.list_sizes[type_.name, field_name] = list_size_from_arguments(
                            arguments
                        )
                for argument_name, argument in getattr(definition, "args", {}).items():
                    for directive in getattr(argument.ast_node, "directives", None) or ():
                        if directive.name.value in cost_names:
                            weight = weight_from_arguments(arguments_of(directive))
                            if weight is not None:
                                key = (type_.name, field_name, argument_name)
                                self.argument_weights[key] = weight

    def estimate(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        cache: dict[str | None, Estimate],
    ) -> int:
        """The operation's estimated cost, kept in ``cache`` (the document's)."""
        name = operation.name.value if operation.name else None
        known = cache.get(name)
        if known is not None:
            values = tuple(_frozen(variables.get(v)) for v in known.variables)
            found = known.by_values.get(values)
            if found is not None:
                return found
        walk = _Estimator(self, fragments, variables)
        root = self.schema.get_root_type(operation.operation)
        assert root is not None
        cost = walk.selection(operation.selection_set, root, {})
        if operation.operation is OperationType.MUTATION:
            cost += MUTATION_COST
        estimate = cache.setdefault(name, Estimate(tuple(sorted(walk.read))))
        values = tuple(_frozen(variables.get(v)) for v in estimate.variables)
        if len(estimate.by_values) < 64:  # distinct page sizes are few; never unbounded
            estimate.by_values[values] = cost
        return cost

    def actual(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        data: Mapping[str, Any] | None,
    ) -> int:
        """What the answer ``data`` cost: the same weights, each list by its length."""
        root = self.schema.get_root_type(operation.operation)
        assert root is not None
        base = MUTATION_COST if operation.operation is OperationType.MUTATION else 0
        if data is None:
            return base
        return base + _Measurer(self, fragments).selection(operation.selection_set, root, data)

    def weight(self, parent: str, field_name: str, named: GraphQLNamedType) -> int:
        found = self.field_weights.get((parent, field_name))
        if found is not None:
            return found
        found = self.type_weights.get(named.name)
        if found is not None:
            return found
        return 1 if is_composite_type(named) else 0


def _frozen(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _is_list(type_: GraphQLOutputType) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _Estimator:
    def __init__(
        self,
        model: CostModel,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.model = model
        self.fragments = fragments
        self.variables = variables
        self.read: set[str] = set()
        self.memo: dict[tuple[str, str, tuple[tuple[str, int], ...]], int] = {}

    def selection(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLCompositeType,
        sized: Mapping[str, int],
    ) -> int:
        """The cost of a selection on ``parent``: for an abstract parent, its most
        expensive possible type."""
        if is_abstract_type(parent):
            possible = self.model.schema.get_possible_types(parent)
            return max((self.on_type(selection_set, t, parent, sized) for t in possible), default=0)
        return self.on_type(selection_set, parent, parent, sized)

    def on_type(
        self,
        selection_set: SelectionSetNode,
        target: GraphQLObjectType | GraphQLCompositeType,
        parent: GraphQLCompositeType,
        sized: Mapping[str, int],
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, sized)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self.applies(condition.name.value, target):
                    scope = self.scope(condition.name.value if condition else None, parent)
                    total += self.on_type(selection.selection_set, target, scope, sized)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None or not self.applies(fragment.type_condition.name.value, target):
                    continue
                # a fragment costs the same wherever its target and sized fields are the same
                key = (fragment.name.value, target.name, tuple(sorted(sized.items())))
                if key not in self.memo:
                    self.memo[key] = 0  # a cycle (refused by validation) adds nothing
                    scope = self.scope(fragment.type_condition.name.value, parent)
                    self.memo[key] = self.on_type(fragment.selection_set, target, scope, sized)
                total += self.memo[key]
        return total

    def scope(self, condition: str | None, parent: GraphQLCompositeType) -> GraphQLCompositeType:
        found = self.model.schema.get_type(condition) if condition else None
        return found if found is not None and is_composite_type(found) else parent

    def applies(self, condition: str, target: GraphQLNamedType) -> bool:
        if condition == target.name:
            return True
        found = self.model.schema.get_type(condition)
        return (
            found is not None
            and is_abstract_type(found)
            and isinstance(target, GraphQLObjectType)
            and self.model.schema.is_sub_type(found, target)
        )

    def field(self, node: FieldNode, parent: GraphQLCompositeType, sized: Mapping[str, int]) -> int:
        name = node.name.value
        definition: GraphQLField | None = getattr(parent, "fields", {}).get(name)
        if definition is None or name.startswith("__"):
            return 0
        named = get_named_type(definition.type)
        cost = self.model.weight(parent.name, name, named)
        arguments = sum(
            self.model.argument_weights.get((parent.name, name, argument.name.value), 0)
            for argument in node.arguments or ()
        )
        list_size = self.model.list_sizes.get((parent.name, name))
        size = self.size(list_size, node.arguments or ())
        children_sized: dict[str, int] = {}
        if list_size is not None and list_size.sized_fields:
            children_sized = dict.fromkeys(list_size.sized_fields, size)
            size = 1
        elif name in sized:
            size = sized[name]
        elif not _is_list(definition.type):
            size = 1
        children = 0
        if node.selection_set is not None and is_composite_type(named):
            children = self.selection(node.selection_set, named, children_sized)
        # the arguments are given once, whatever the size of the list
        return arguments + size * (cost + children)

    def size(self, list_size: ListSize | None, arguments: tuple[ArgumentNode, ...]) -> int:
        if list_size is None:
            return self.model.default_list_size
        given = []
        for argument in arguments:
            if argument.name.value not in (list_size.slicing_arguments or ()):
                continue
            value_node = argument.value
            if isinstance(value_node, VariableNode):
                self.read.add(value_node.name.value)
                value = self.variables.get(value_node.name.value)
            else:
                value = value_from_ast_untyped(value_node)
            if isinstance(value, int) and not isinstance(value, bool):
                given.append(value)
            elif isinstance(value, list) and self.model.count_list_arguments:
                given.append(len(value))
        if given:
            return max(given)
        if list_size.assumed_size is not None:
            return list_size.assumed_size
        return self.model.default_list_size


_Priced = tuple[str, int, GraphQLCompositeType, SelectionSetNode | None]
"""One field of a selection as the answer is priced: response key, weight, type, below."""


class _Measurer:
    """Walks an answer with the operation's selections, pricing what it holds.

    Each (selection set, type) is resolved once into the fields to price, with their
    weights: an answer repeats the same selection for every object of a list.
    """

    def __init__(self, model: CostModel, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.model = model
        self.fragments = fragments
        self._plans: dict[tuple[int, str], list[_Priced]] = {}

    def selection(
        self, selection_set: SelectionSetNode, parent: GraphQLCompositeType, data: Any
    ) -> int:
        if isinstance(data, list):
            return sum(self.selection(selection_set, parent, item) for item in data)
        if not isinstance(data, dict):
            return 0
        total = 0
        for key, weight, named, below in self._plan(selection_set, parent):
            value = data.get(key)
            if value is None:
                continue
            total += weight * _items(value)
            if below is not None:
                total += self.selection(below, named, value)
        return total

    def _plan(self, selection_set: SelectionSetNode, parent: GraphQLCompositeType) -> list[_Priced]:
        found = self._plans.get((id(selection_set), parent.name))
        if found is not None:
            return found
        plan: list[_Priced] = []
        for node in self.fields(selection_set, parent):
            definition = getattr(parent, "fields", {}).get(node.name.value)
            if definition is None:
                continue
            named = get_named_type(definition.type)
            weight = self.model.weight(parent.name, node.name.value, named)
            below = node.selection_set if is_composite_type(named) else None
            key = node.alias.value if node.alias else node.name.value
            plan.append((key, weight, cast(GraphQLCompositeType, named), below))
        self._plans[id(selection_set), parent.name] = plan
        return plan

    def fields(
        self, selection_set: SelectionSetNode, parent: GraphQLCompositeType
    ) -> list[FieldNode]:
        found: list[FieldNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                found += self.fields(selection.selection_set, parent)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    found += self.fields(fragment.selection_set, parent)
        return found


def _items(value: Any) -> int:
    """How many objects (or values) a list holds, nested lists flattened; 1 for one."""
    if isinstance(value, list):
        return sum(_items(item) for item in value if item is not None)
    return 1
