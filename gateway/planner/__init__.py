"""The query planner: a validated operation in, an immutable :class:`QueryPlan` out."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import FragmentDefinitionNode, OperationDefinitionNode

from ..supergraph.model import Supergraph
from .assemble import assemble_plan
from .builder import PlanBuilder, PlanningError
from .normalize import normalize_selection
from .plan import (
    Batch,
    Condition,
    Fetch,
    Flatten,
    InputField,
    InputFragment,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
    Unresolvable,
)
from .printer import format_path, print_plan

__all__ = [
    "Batch",
    "Condition",
    "Fetch",
    "Flatten",
    "InputField",
    "InputFragment",
    "Parallel",
    "PlanNode",
    "PlanningError",
    "QueryPlan",
    "Sequence",
    "Unresolvable",
    "build_query_plan",
    "format_path",
    "print_plan",
]


def build_query_plan(
    supergraph: Supergraph,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    labels: frozenset[str] = frozenset(),
    batch: bool = True,
) -> QueryPlan:
    """Plan one operation of a validated document.

    ``labels`` are the progressive-override labels active for this request; ``batch``:
    entity fetches to one subgraph ready at the same stage become one ``Batch``.
    """
    kind = operation.operation.value
    root_type = supergraph.root_types.get(kind)
    items = normalize_selection(operation.selection_set, fragments, supergraph.schema, root_type)
    builder = PlanBuilder(supergraph, labels)
    roots = builder.build_root(kind, items)
    definitions = {v.variable.name.value: v for v in operation.variable_definitions or ()}
    name = operation.name.value if operation.name else None
    if builder.unresolvable and not any(g.tree.selects_client_value() for g in builder.groups):
        # nothing the client asked for could be planned: no partial answer is left to give
        raise PlanningError(builder.unresolvable[0].reason)
    return assemble_plan(
        builder.groups, roots, kind, definitions, name, tuple(builder.unresolvable), batch
    )
