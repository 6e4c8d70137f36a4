"""GET /graphql: query-string parameters, mutations refused (GraphiQL: test_graphiql.py)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.support.schema_engine import SchemaEngine

GRJ = "application/graphql-response+json"
JSON = "application/json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ExpectError = Callable[[httpx.Response, int, str], str]


async def test_query_from_the_query_string(client: httpx.AsyncClient, engine: SchemaEngine) -> None:
    response = await client.get(
        "/graphql",
        params={
            "query": "query Q($n: String) { hello(name: $n) }",
            "operationName": "Q",
            "variables": '{"n": "Kapuas"}',
            "extensions": '{"trace": true}',
        },
        headers={"accept": GRJ},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRJ}; charset=utf-8"
    assert response.json() == {"data": {"hello": "Hello, Kapuas!"}}
    [(request, context)] = engine.calls
    assert request.operation_name == "Q"
    assert request.extensions == {"trace": True}
    assert context.method == "GET"


async def test_empty_optional_parameters_are_ignored(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "{ hello }", "variables": "", "extensions": ""}
    )
    assert response.json() == {"data": {"hello": "Hello, world!"}}


@pytest.mark.parametrize("accept", [GRJ, JSON])
async def test_mutation_over_get_is_405(
    client: httpx.AsyncClient, expect_error: ExpectError, accept: str, engine: SchemaEngine
) -> None:
    response = await client.get(
        "/graphql", params={"query": "mutation { bump(by: 1) }"}, headers={"accept": accept}
    )
    expect_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    assert engine.calls[0][1].method == "GET"


async def test_mutation_chosen_by_operation_name_over_get_is_405(
    client: httpx.AsyncClient, expect_error: ExpectError
) -> None:
    response = await client.get(
        "/graphql",
        params={"query": "query Q { hello } mutation M { bump(by: 1) }", "operationName": "M"},
    )
    expect_error(response, 405, "METHOD_NOT_ALLOWED")
    allowed = await client.get(
        "/graphql",
        params={"query": "query Q { hello } mutation M { bump(by: 1) }", "operationName": "Q"},
    )
    assert allowed.json() == {"data": {"hello": "Hello, world!"}}


@pytest.mark.parametrize("accept", [GRJ, JSON])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "has no query"),
        ({"operationName": "Q"}, "has no query"),
        ({"query": "{ hello }", "variables": "{"}, "variables parameter is not valid JSON"),
        ({"query": "{ hello }", "variables": "[1]"}, "variables must be an object"),
        ({"query": "{ hello }", "variables": '"x"'}, "variables must be an object"),
        ({"query": "{ hello }", "extensions": "nope"}, "extensions parameter is not valid JSON"),
        ({"query": "{ hello }", "extensions": "1"}, "extensions must be an object"),
    ],
)
async def test_malformed_query_strings_are_400(
    client: httpx.AsyncClient,
    expect_error: ExpectError,
    engine: SchemaEngine,
    accept: str,
    params: dict[str, str],
    message: str,
) -> None:
    response = await client.get("/graphql", params=params, headers={"accept": accept})
    assert message in expect_error(response, 400, "BAD_REQUEST")
    assert engine.calls == []


async def test_parse_error_over_get(client: httpx.AsyncClient, expect_error: ExpectError) -> None:
    response = await client.get("/graphql", params={"query": "{"}, headers={"accept": GRJ})
    expect_error(response, 400, "GRAPHQL_PARSE_FAILED")


async def test_unacceptable_accept_over_get_is_406(
    client: httpx.AsyncClient, expect_error: ExpectError
) -> None:
    response = await client.get(
        "/graphql", params={"query": "{ hello }"}, headers={"accept": "text/csv"}
    )
    expect_error(response, 406, "BAD_REQUEST")


async def test_browser_with_a_query_gets_json(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "{ hello }"}, headers={"accept": BROWSER}
    )
    assert response.headers["content-type"] == f"{JSON}; charset=utf-8"
    assert response.json() == {"data": {"hello": "Hello, world!"}}


async def test_non_browser_get_without_query_is_400(
    client: httpx.AsyncClient, expect_error: ExpectError
) -> None:
    response = await client.get("/graphql", headers={"accept": "*/*"})
    expect_error(response, 400, "BAD_REQUEST")
