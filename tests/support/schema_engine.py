"""Test doubles for the HTTP layer.

:class:`SchemaEngine` stands in for the federation engine: it runs requests against a plain
graphql-core schema and keeps the engine's status contract (parse, validation, variable and
operation-name failures answer 400 without ``data``; a mutation over GET answers 405; an
executed operation answers 200). Server tests and the GraphQL-over-HTTP audit use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    build_schema,
    get_operation_ast,
    parse,
    validate,
)

from gateway.api_schema import execute_here
from gateway.errors import ErrorCode, graphql_error
from gateway.request import GraphQLRequest, GraphQLResponse, RequestContext

__all__ = ["DEMO_SDL", "FAKE_QUERY_PLAN", "SchemaEngine"]

DEMO_SDL = """
type Query {
  hello(name: String = "world"): String!
  crash: String
}
type Mutation {
  bump(by: Int!): Int!
}
"""
"""The schema :class:`SchemaEngine` serves by default; the field ``crash`` makes it raise."""

FAKE_QUERY_PLAN = 'QueryPlan {\n  Fetch(service: "fake") {\n    { hello }\n  }\n}'


class _Root:
    def __init__(self) -> None:
        self.count = 0

    def hello(self, info: Any, name: str) -> str:
        return f"Hello, {name}!"

    def bump(self, info: Any, by: int) -> int:
        self.count += by
        return self.count

    def crash(self, info: Any) -> str:
        raise AssertionError("crash is answered before execution")


@dataclass
class SchemaEngine:
    """An engine over one local schema that records every request it gets."""

    api_schema: GraphQLSchema = field(default_factory=lambda: build_schema(DEMO_SDL))
    calls: list[tuple[GraphQLRequest, RequestContext]] = field(default_factory=list)
    closed: bool = False
    _root: _Root = field(default_factory=_Root)

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResponse:
        """Run ``request``; a document selecting ``crash`` raises ``RuntimeError``."""
        self.calls.append((request, context))
        query = request.query or ""  # persisted documents are the real engine's to resolve
        try:
            document = parse(query)
        except GraphQLError as syntax_error:
            return _refused([syntax_error], ErrorCode.GRAPHQL_PARSE_FAILED)
        errors = validate(self.api_schema, document)
        if errors:
            return _refused(errors, ErrorCode.GRAPHQL_VALIDATION_FAILED)
        if "crash" in query:
            raise RuntimeError("the engine fails on purpose")
        operation = get_operation_ast(document, request.operation_name)
        if not isinstance(operation, OperationDefinitionNode):
            message = "the document names no operation to run (check operationName)"
            return _refused([GraphQLError(message)], ErrorCode.OPERATION_RESOLUTION_FAILURE)
        if context.method == "GET" and operation.operation is not OperationType.QUERY:
            message = f"a {operation.operation.value} cannot be sent with GET; use POST"
            refusal = graphql_error(message, ErrorCode.METHOD_NOT_ALLOWED)
            return GraphQLResponse({"errors": [refusal]}, 405)
        # every resolver here is synchronous
        result = execute_here(
            self.api_schema,
            document,
            dict(request.variables or {}),
            root_value=self._root,
            operation_name=request.operation_name,
        )
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [dict(e.formatted) for e in result.errors]
        if result.data is None:
            # Variable coercion failed: nothing was executed.
            for entry in body.get("errors", []):
                entry.setdefault("extensions", {})["code"] = ErrorCode.BAD_USER_INPUT.value
            return GraphQLResponse(body, 400)
        body["data"] = result.data
        if context.include_plan:
            body["extensions"] = {"queryPlan": FAKE_QUERY_PLAN}
        return GraphQLResponse(body, 200)

    async def close(self) -> None:
        """Record that the server closed the engine."""
        self.closed = True


def _refused(errors: list[GraphQLError], code: ErrorCode) -> GraphQLResponse:
    formatted = [
        graphql_error(
            e.message,
            code,
            locations=[{"line": loc.line, "column": loc.column} for loc in e.locations or []],
        )
        for e in errors
    ]
    return GraphQLResponse({"errors": formatted}, 400)
