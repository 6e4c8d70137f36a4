"""The limits an OPD's subgraph puts on what one call may ask, checked before it runs.

The gateway limits what clients ask of the city, but a subgraph's port may be reached by
more than the gateway, and one nesting query (``daftarKecamatan { kelurahan { kecamatan {
kelurahan ... } } }``, 13 levels) cost the dukcapil subgraph 41 s of CPU and 913 MB.
:func:`create_app` (:mod:`.app`) therefore checks every document against
:class:`SubgraphLimits` before strawberry validates or executes it, with the gateway's own
code:

- tokens: the document is parsed with graphql-core's ``max_lexical_tokens``, so the
  parser stops at the limit without reading the rest (``MAX_TOKENS_LIMIT``);
- depth: each field with a selection of its own adds a level, fragments counted where they
  are spread, each fragment measured once (:func:`gateway.operation_limits.selection_depth`,
  the gateway's measure) (``QUERY_TOO_DEEP``). An entity fetch is as deep as its selection:
  ``_entities { ... on Kelurahan { kecamatan { nama } } }`` is 2 deep, like
  ``kelurahan(kode:) { kecamatan { nama } }``. Introspection (``__schema``, ``__type`` at
  the root) is not measured by depth, so GraphiQL's own query (14 deep) works; it is held
  instead by graphql-core's ``MaxIntrospectionDepthRule`` (introspection lists at most 3
  deep), the nesting that makes introspection expensive;
- aliases: counted by :func:`gateway.operation_limits.check_limits`, fragments counted
  each time they are spread (``MAX_ALIASES_LIMIT``). The gateway's other counts (root
  fields, field selections, directives) are left to the gateway: without aliases, repeated
  fields merge, so a subgraph's work grows with depth, aliases and list sizes, which these
  limits bound;
- cost: the gateway's demand-control estimate (:class:`gateway.demand_control.CostModel`,
  built from the subgraph's own SDL with its ``@cost`` and ``@listSize``), a list without
  ``@listSize`` counted as ``list_size`` items (``COST_ESTIMATED_TOO_EXPENSIVE``).

The gateway's ``_entities`` calls. The gateway fetches entities with one call carrying
every representation it needs (hundreds, for a page of 500 items) and few fields each. The
estimate prices ``_entities`` as a list whose size is the number of representations the
call passes: ``representations`` acts as its slicing argument, counted by its items. The
gateway passes them as a variable, and a call's variables are known before it runs, so the
count is exact (a literal list is counted the same way; without a value, the list counts
as ``list_size``). Each item then costs 1 plus its selection, for the costliest entity type
it selects: 500 ``Kelurahan`` with five fields (two of them objects) cost 1,500, well
within the default ``max_cost`` of 10,000. Counting ``_entities`` as a fixed ``list_size``
instead would under-price a large call, or over-price a small one, by the ratio of the two.

The check runs before validation: an invalid document is measured as far as it goes (an
unknown field costs nothing, a fragment cycle adds nothing) and strawberry's validation
then refuses it.

Refusals answer HTTP 200 with one GraphQL error and no ``data``, and are logged by code,
never with the document (:mod:`.error_log`). The check parses the document for itself
(strawberry parses it again to run it): a parse bounded by ``max_tokens``, the price of
refusing before strawberry starts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    SelectionSetNode,
    build_ast_schema,
    build_schema,
    parse,
    validate,
)
from graphql.validation import MaxIntrospectionDepthRule

from gateway.compose.links import read_federation_link
from gateway.demand_control import CostModel
from gateway.operation_limits import OperationLimits, check_limits, definitions_of, selection_depth
from gateway.specs.cost import ListSize

from .errors import SubgraphErrorCode
from .sdl import subgraph_sdl

__all__ = ["LimitExceeded", "OperationGuard", "SubgraphLimits"]


@dataclass(frozen=True, slots=True)
class SubgraphLimits:
    """What one call to an OPD's subgraph may ask; pass ``create_app(...,
    limits=SubgraphLimits(max_cost=20_000))`` to change one."""

    max_depth: int = 12
    """The deepest selection nesting (``{ a { b } }`` is 1 deep)."""
    max_aliases: int = 30
    """Fields selected under another name, fragments counted where spread."""
    max_tokens: int = 5_000
    """Lexical tokens in the document: the parser stops there."""
    max_cost: int = 10_000
    """The estimated cost (the gateway's demand-control rules, ``@cost``/``@listSize``)."""
    list_size: int = 10
    """The size the estimate gives a list field without ``@listSize``."""

    def __post_init__(self) -> None:
        for limit in fields(self):
            value = getattr(self, limit.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"SubgraphLimits.{limit.name} must be a non-negative integer")


class LimitExceeded(Exception):
    """A document refused by a limit, before it ran: its client-facing message and code."""

    def __init__(self, message: str, code: SubgraphErrorCode, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extensions = extensions

    def as_error(self) -> dict[str, Any]:
        """The refusal as one GraphQL error of a response."""
        return {"message": self.message, "extensions": {"code": self.code.value, **self.extensions}}


_INTROSPECTION_ROOTS = ("__schema", "__type")
_INTROSPECTION = re.compile(r"__(?:schema|type)\b")
_ANY_SCHEMA = build_schema("type Query { _: Boolean }")
"""What the introspection rule is run against: it reads field names only."""
_UNCOUNTED = 1 << 62
"""The gateway's counts a subgraph leaves to the gateway (see the module docstring)."""


class OperationGuard:
    """:class:`SubgraphLimits` applied to one schema: :meth:`check` refuses a document."""

    def __init__(self, schema: strawberry.federation.Schema, limits: SubgraphLimits) -> None:
        self.limits = limits
        self.counted = OperationLimits(
            max_aliases=limits.max_aliases,
            max_root_fields=_UNCOUNTED,
            max_fields=_UNCOUNTED,
            max_height=_UNCOUNTED,
            max_directives=_UNCOUNTED,
        )
        sdl = parse(subgraph_sdl(schema))
        self.schema = _marked_schema(sdl)
        self.costs = _cost_model(self.schema, sdl, limits.list_size)

    def check(
        self,
        query: str | None,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> None:
        """Raise :class:`LimitExceeded` if ``query`` passes a limit; a document that does
        not parse, or names no operation it holds, is left to strawberry to refuse."""
        if not query:
            return
        limits = self.limits
        try:
            # the parser stops at the token limit without reading the rest of the text
            document = parse(query, no_location=True, max_lexical_tokens=limits.max_tokens)
        except GraphQLError as error:
            if "Parsing aborted" in error.message:
                raise LimitExceeded(
                    f"the document has more than {limits.max_tokens} tokens",
                    SubgraphErrorCode.MAX_TOKENS_LIMIT,
                ) from None
            if "nested too deeply" in error.message:
                # graphql-core's parser stops at its own nesting limit, far over ours
                raise self._too_deep("nested too deeply") from None
            return
        operations, fragments = definitions_of(document)
        known: dict[str, int] = {}
        for operation in operations.values():
            depth = selection_depth(_without_introspection(operation), fragments, known)
            if depth > limits.max_depth:
                raise self._too_deep(f"{depth} levels deep")
        exceeded = check_limits(operations, fragments, self.counted)
        if exceeded is not None:
            [refusal] = exceeded.errors  # only aliases are counted here
            raise LimitExceeded(refusal["message"], SubgraphErrorCode.MAX_ALIASES_LIMIT)
        if _INTROSPECTION.search(query):
            self._check_introspection(document)
        self._check_cost(_to_run(operations, operation_name), fragments, variables or {})

    def _too_deep(self, depth: str) -> LimitExceeded:
        message = f"the operation is {depth}; the limit is {self.limits.max_depth}"
        return LimitExceeded(message, SubgraphErrorCode.QUERY_TOO_DEEP)

    def _check_introspection(self, document: DocumentNode) -> None:
        if validate(_ANY_SCHEMA, document, [MaxIntrospectionDepthRule], max_errors=1):
            raise LimitExceeded(
                "the introspection query nests its lists too deeply",
                SubgraphErrorCode.QUERY_TOO_DEEP,
            )

    def _check_cost(
        self,
        operations: list[OperationDefinitionNode],
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        # the estimate reads variables for sizes only: an integer, or a list (the
        # representations) by its number of items; the rest are not coerced yet, and may be
        # anything a client sends
        sizes = {name: _size(value) for name, value in variables.items()}
        maximum = self.limits.max_cost
        for operation in operations:
            if self.costs.schema.get_root_type(operation.operation) is None:
                continue  # a mutation of a schema without one: strawberry refuses it
            cost = self.costs.estimate(operation, fragments, sizes, {})
            if cost > maximum:
                message = f"the operation's estimated cost is {cost}, over the maximum of {maximum}"
                raise LimitExceeded(
                    message,
                    SubgraphErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
                    cost=cost,
                    maxCost=maximum,
                )


def _size(value: object) -> int | None:
    if isinstance(value, list):
        return len(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _marked_schema(sdl: DocumentNode) -> GraphQLSchema:
    """The subgraph's schema from its SDL, each definition keeping its AST node, and with
    it the ``@cost`` and ``@listSize`` it carries (federation's own definitions are not in
    a subgraph's SDL, hence no validation)."""
    return build_ast_schema(sdl, assume_valid_sdl=True)


def _cost_model(schema: GraphQLSchema, sdl: DocumentNode, list_size: int) -> CostModel:
    link, _ = read_federation_link("subgraph", sdl)
    names = link.directives.items()
    costs = CostModel.from_schema(
        schema,
        cost_names=[local for local, name in names if name == "cost"],
        list_size_names=[local for local, name in names if name == "listSize"],
        list_size=list_size,
        count_list_arguments=True,
    )
    query = schema.query_type
    if query is not None and "_entities" in query.fields:
        costs.list_sizes[query.name, "_entities"] = ListSize(
            slicing_arguments=("representations",), require_one_slicing_argument=False
        )
    return costs


def _without_introspection(operation: OperationDefinitionNode) -> SelectionSetNode:
    selections = operation.selection_set.selections
    if not any(
        isinstance(s, FieldNode) and s.name.value in _INTROSPECTION_ROOTS for s in selections
    ):
        return operation.selection_set
    return SelectionSetNode(
        selections=tuple(
            s
            for s in selections
            if not (isinstance(s, FieldNode) and s.name.value in _INTROSPECTION_ROOTS)
        )
    )


def _to_run(
    operations: Mapping[str | None, OperationDefinitionNode], operation_name: str | None
) -> list[OperationDefinitionNode]:
    """The operation the call runs; every one when it names none of them (strawberry then
    refuses the call, but no guess lets an expensive one through)."""
    if isinstance(operation_name, str) and operation_name in operations:
        return [operations[operation_name]]
    return list(operations.values())
