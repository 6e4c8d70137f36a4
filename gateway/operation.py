"""Client documents: parse, validate against the API schema, pick the operation.

Parsing and validating a large document costs milliseconds in graphql-core, so both
outcomes, a usable document or its errors, are cached by the document's text: a repeated
query (the normal case for a portal) costs one dictionary lookup.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from .defer import has_defer
from .errors import ErrorCode, RequestError, graphql_error
from .executor.shaping import ShapeCache
from .operation_limits import OperationLimits, check_limits, definitions_of, selection_depth

__all__ = ["DocumentCache", "PreparedDocument", "coerce_variables", "select_operation"]


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    document: DocumentNode
    operations: Mapping[str | None, OperationDefinitionNode]
    fragments: Mapping[str, FragmentDefinitionNode]
    shape_cache: ShapeCache = field(default_factory=dict, compare=False)
    """What shaping collected from this document, kept and evicted with it."""
    access_cache: dict[str | None, Any] = field(default_factory=dict, compare=False)
    """What authorization found in each operation (gateway.access), by operation name."""
    cost_cache: dict[str | None, Any] = field(default_factory=dict, compare=False)
    """Each operation's estimated costs (gateway.demand_control), by operation name."""
    defers: bool = False
    """Whether the document uses ``@defer`` (gateway.defer): found once, when prepared."""


def _locations(error: GraphQLError) -> list[dict[str, int]]:
    return [{"line": loc.line, "column": loc.column} for loc in error.locations or ()]


class DocumentCache:
    """Parsed and validated documents by text, least recently used evicted first.

    The cache holds at most ``max_size`` documents and ``max_cache_bytes`` of their text. A
    document refused by a limit (size, tokens, depth, aliases, ...) is not kept: keeping it
    would let distinct refused documents fill the cache. Documents larger than
    ``off_loop_bytes`` are parsed and validated in a worker thread by :meth:`prepare`, so
    the event loop keeps answering other requests meanwhile.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        max_size: int = 1000,
        max_depth: int = 100,
        max_bytes: int = 1 << 20,
        *,
        max_tokens: int = 5_000,
        limits: OperationLimits | None = None,
        max_cache_bytes: int = 64 << 20,
        off_loop_bytes: int = 64 << 10,
        suggestions: bool = True,
    ):
        self.schema = schema
        self.max_size = max_size
        self.max_depth = max_depth
        self.max_bytes = max_bytes
        self.max_tokens = max_tokens
        self.limits = limits or OperationLimits()
        self.max_cache_bytes = max_cache_bytes
        self.off_loop_bytes = off_loop_bytes
        self.suggestions = suggestions
        """Whether validation errors suggest names ("Did you mean ...?"): they tell a
        stranger what the schema holds, so production turns them off."""
        self._entries: OrderedDict[str, PreparedDocument | RequestError] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        """How many documents (and refusals) are kept."""
        return len(self._entries)

    @property
    def size_in_bytes(self) -> int:
        """The length of the documents kept, in characters."""
        return self._bytes

    def get(self, query: str) -> PreparedDocument:
        """Return the prepared document or raise its :class:`RequestError`."""
        entry = self._entries.get(query)
        if entry is None:
            entry = self._keep(query, self._prepare(query))
        else:
            self._entries.move_to_end(query)
        if isinstance(entry, RequestError):
            raise entry
        return entry

    async def prepare(self, query: str) -> PreparedDocument:
        """:meth:`get`, with a large new document prepared off the event loop."""
        if len(query) <= self.off_loop_bytes or query in self._entries:
            return self.get(query)
        entry = self._keep(query, await asyncio.to_thread(self._prepare, query))
        if isinstance(entry, RequestError):
            raise entry
        return entry

    def _keep(
        self, query: str, entry: PreparedDocument | RequestError
    ) -> PreparedDocument | RequestError:
        if isinstance(entry, _LimitExceeded):
            return entry
        self._entries[query] = entry
        self._bytes += len(query)
        while len(self._entries) > self.max_size or (
            self._bytes > self.max_cache_bytes and len(self._entries) > 1
        ):
            evicted, _ = self._entries.popitem(last=False)
            self._bytes -= len(evicted)
        return entry

    def _too_large(self) -> RequestError:
        message = f"the document is larger than {self.max_bytes} bytes"
        return _LimitExceeded([graphql_error(message, ErrorCode.QUERY_TOO_LARGE)])

    def _too_deep(self, depth: int | None) -> RequestError:
        deep = f"{depth} levels deep" if depth is not None else "nested too deeply"
        message = f"the operation is {deep}; the limit is {self.max_depth}"
        return _LimitExceeded([graphql_error(message, ErrorCode.QUERY_TOO_DEEP)])

    def _prepare(self, query: str) -> PreparedDocument | RequestError:
        if len(query) > self.max_bytes or len(query.encode()) > self.max_bytes:
            # never parsed nor kept: its text alone could fill the cache's memory
            return self._too_large()
        try:
            # the parser stops at the token limit without reading the rest of the text
            document = parse(
                query, max_lexical_tokens=self.max_tokens, max_comments=self.max_tokens
            )
        except GraphQLError as error:
            if "nested too deeply" in error.message:
                # graphql-core's parser stops at its own nesting limit, far over ours
                return self._too_deep(None)
            if "Parsing aborted" in error.message:
                # comments count too: skipping them is parsing work an attacker chooses
                message = f"the document has more than {self.max_tokens} tokens or comments"
                return _LimitExceeded([graphql_error(message, ErrorCode.MAX_TOKENS_LIMIT)])
            return RequestError(
                [
                    graphql_error(
                        error.message, ErrorCode.GRAPHQL_PARSE_FAILED, locations=_locations(error)
                    )
                ]
            )
        operations, fragments = definitions_of(document)
        # depth first: validating a document far too deep is itself work an attacker chooses
        # (and graphql-core's validation gives up on very deep ones without saying why)
        known: dict[str, int] = {}
        for operation in operations.values():
            depth = selection_depth(operation.selection_set, fragments, known)
            if depth > self.max_depth:
                return self._too_deep(depth)
        exceeded = check_limits(operations, fragments, self.limits)
        if exceeded is not None:
            return _LimitExceeded(exceeded.errors)
        errors = validate(self.schema, document, hide_suggestions=not self.suggestions)
        if errors:
            return RequestError(
                [
                    graphql_error(
                        e.message, ErrorCode.GRAPHQL_VALIDATION_FAILED, locations=_locations(e)
                    )
                    for e in errors
                ]
            )
        return PreparedDocument(
            document=document,
            operations=operations,
            fragments=fragments,
            defers=has_defer(document),
        )


class _LimitExceeded(RequestError):
    """A refusal by a limit: never kept in the cache."""


def select_operation(
    prepared: PreparedDocument, operation_name: str | None
) -> OperationDefinitionNode:
    """The operation to run, as the spec's GetOperation algorithm picks it."""
    if operation_name is None:
        if len(prepared.operations) == 1:
            return next(iter(prepared.operations.values()))
        raise RequestError(
            [
                graphql_error(
                    "the document has several operations: say which with operationName",
                    ErrorCode.OPERATION_RESOLUTION_FAILURE,
                )
            ]
        )
    operation = prepared.operations.get(operation_name)
    if operation is None:
        raise RequestError(
            [
                graphql_error(
                    f"unknown operation named '{operation_name}'",
                    ErrorCode.OPERATION_RESOLUTION_FAILURE,
                )
            ]
        )
    return operation


def coerce_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Coerce the request's variables by the operation's definitions (defaults applied)."""
    result = get_variable_values(
        schema, operation.variable_definitions or (), dict(inputs or {}), max_errors=50
    )
    if isinstance(result, list):
        raise RequestError(
            [
                graphql_error(e.message, ErrorCode.BAD_USER_INPUT, locations=_locations(e))
                for e in result
            ]
        )
    return dict(result.coerced)
