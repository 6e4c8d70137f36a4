"""POST /graphql: execution, media types, status codes and every malformed request."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from gateway.server import create_app
from tests.server.conftest import make_config
from tests.support.schema_engine import FAKE_QUERY_PLAN, SchemaEngine

GRJ = "application/graphql-response+json"
JSON = "application/json"
BOTH = f"{GRJ}, {JSON}"
ExpectError = Callable[[httpx.Response, int, str], str]


async def test_query_with_graphql_response_json(
    client: httpx.AsyncClient, engine: SchemaEngine
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "query Q($n: String) { hello(name: $n) }", "variables": {"n": "Pontianak"}},
        headers={"accept": BOTH},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRJ}; charset=utf-8"
    assert response.json() == {"data": {"hello": "Hello, Pontianak!"}}
    [(request, context)] = engine.calls
    assert request.variables == {"n": "Pontianak"}
    assert context.method == "POST"
    assert context.headers["accept"] == BOTH
    assert context.include_plan is False


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (JSON, JSON),
        (GRJ, GRJ),
        (f"{JSON}, {GRJ}", GRJ),
        (f"{GRJ};q=0.5, {JSON}", JSON),
        (f"{JSON};q=0.9, {GRJ}", GRJ),
        (f"{GRJ}; charset=utf-8", GRJ),
        ("text/html, */*;q=0.8", JSON),
        (f"*/*, {GRJ}", GRJ),
    ],
)
async def test_response_media_type_follows_accept(
    client: httpx.AsyncClient, accept: str | None, media_type: str
) -> None:
    headers = {"accept": accept} if accept is not None else {}
    response = await client.post("/graphql", json={"query": "{ hello }"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"


async def test_missing_accept_header_means_json(client: httpx.AsyncClient) -> None:
    request = client.build_request("POST", "/graphql", json={"query": "{ hello }"})
    del request.headers["accept"]
    response = await client.send(request)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{JSON}; charset=utf-8"


@pytest.mark.parametrize(
    "accept", ["text/html", "application/xml", f"{JSON};q=0", f"{JSON}; charset=utf-16"]
)
async def test_unacceptable_accept_is_406(
    client: httpx.AsyncClient, expect_error: ExpectError, accept: str, engine: SchemaEngine
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ hello }"}, headers={"accept": accept}
    )
    assert "accepted media types" in expect_error(response, 406, "BAD_REQUEST")
    assert response.headers["content-type"] == f"{JSON}; charset=utf-8"
    assert engine.calls == []


@pytest.mark.parametrize(
    ("accept", "status"),
    [(GRJ, 400), (JSON, 200), (BOTH, 400)],
)
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ hello", "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_document_errors_follow_the_media_type(
    client: httpx.AsyncClient,
    expect_error: ExpectError,
    accept: str,
    status: int,
    query: str,
    code: str,
) -> None:
    response = await client.post("/graphql", json={"query": query}, headers={"accept": accept})
    expect_error(response, status, code)


async def test_variable_errors_follow_the_media_type(
    client: httpx.AsyncClient, expect_error: ExpectError
) -> None:
    query = "mutation M($by: Int!) { bump(by: $by) }"
    for accept, status in ((GRJ, 400), (JSON, 200)):
        response = await client.post(
            "/graphql", json={"query": query, "variables": {"by": "x"}}, headers={"accept": accept}
        )
        expect_error(response, status, "BAD_USER_INPUT")


async def test_mutation_over_post(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "mutation { bump(by: 2) }"}, headers={"accept": GRJ}
    )
    assert response.json() == {"data": {"bump": 2}}


async def test_operation_name_picks_the_operation(client: httpx.AsyncClient) -> None:
    query = 'query A { hello(name: "a") } query B { hello(name: "b") }'
    response = await client.post("/graphql", json={"query": query, "operationName": "B"})
    assert response.json() == {"data": {"hello": "Hello, b!"}}


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ hello }", "variables": None},
        {"query": "{ hello }", "extensions": None},
        {"query": "{ hello }", "operationName": None},
        {"query": "{ hello }", "variables": {}, "extensions": {"persistedQuery": {}}},
    ],
)
async def test_null_and_empty_optional_parameters_are_accepted(
    client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    response = await client.post("/graphql", json=body, headers={"accept": GRJ})
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}


@pytest.mark.parametrize("accept", [GRJ, JSON])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"query": "{ hello }"', "not valid JSON"),
        (b"{query: 1}", "not valid JSON"),
        (b'{"query": "\xff"}', "not valid JSON"),
        (b"", "empty"),
        (b"   ", "empty"),
        (b"[]", "must be a JSON object"),
        (b'[{"query": "{ hello }"}]', "must be a JSON object"),
        (b'"{ hello }"', "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b"{}", "has no query"),
        (b'{"query": null}', "has no query"),
        (b'{"variables": {}}', "has no query"),
        (b'{"query": 1}', "query must be a string"),
        (b'{"query": ["{ hello }"]}', "query must be a string"),
        (b'{"query": {"text": "{ hello }"}}', "query must be a string"),
        (b'{"query": "{ hello }", "variables": "{}"}', "variables must be an object"),
        (b'{"query": "{ hello }", "variables": []}', "variables must be an object"),
        (b'{"query": "{ hello }", "variables": 1}', "variables must be an object"),
        (b'{"query": "{ hello }", "extensions": "x"}', "extensions must be an object"),
        (b'{"query": "{ hello }", "extensions": [1]}', "extensions must be an object"),
        (b'{"query": "{ hello }", "operationName": 1}', "operationName must be a string"),
        (b'{"query": "{ hello }", "operationName": {}}', "operationName must be a string"),
    ],
)
async def test_malformed_requests_are_400(
    client: httpx.AsyncClient,
    expect_error: ExpectError,
    engine: SchemaEngine,
    accept: str,
    content: bytes,
    message: str,
) -> None:
    response = await client.post(
        "/graphql",
        content=content,
        headers={"content-type": JSON, "accept": accept},
    )
    assert message in expect_error(response, 400, "BAD_REQUEST")
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    assert engine.calls == []


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/graphql",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-1",
        "application/jsonx",
    ],
)
async def test_wrong_content_type_is_415(
    client: httpx.AsyncClient,
    expect_error: ExpectError,
    engine: SchemaEngine,
    content_type: str | None,
) -> None:
    request = client.build_request("POST", "/graphql", content=b'{"query": "{ hello }"}')
    if content_type is None:
        request.headers.pop("content-type", None)
    else:
        request.headers["content-type"] = content_type
    response = await client.send(request)
    assert "Content-Type" in expect_error(response, 415, "BAD_REQUEST")
    assert engine.calls == []


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON;charset=UTF-8"]
)
async def test_json_content_type_with_charset_is_accepted(
    client: httpx.AsyncClient, content_type: str
) -> None:
    response = await client.post(
        "/graphql", content=b'{"query": "{ hello }"}', headers={"content-type": content_type}
    )
    assert response.json() == {"data": {"hello": "Hello, world!"}}


async def test_body_over_the_limit_is_413(
    make_client: Callable[..., httpx.AsyncClient], expect_error: ExpectError, engine: SchemaEngine
) -> None:
    client = make_client(max_request_bytes=64)
    padding = "#" + "x" * 80 + "\n"
    response = await client.post("/graphql", json={"query": padding + "{ hello }"})
    assert "larger than 64 bytes" in expect_error(response, 413, "BAD_REQUEST")
    at_limit = await client.post("/graphql", json={"query": "{ hello }"})
    assert at_limit.status_code == 200
    assert len(engine.calls) == 1


async def test_streamed_body_over_the_limit_is_413(
    make_client: Callable[..., httpx.AsyncClient], expect_error: ExpectError
) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b" " * 20
        yield b'{"query": "{ hello }"}'

    client = make_client(max_request_bytes=100)
    response = await client.post("/graphql", content=chunks(), headers={"content-type": JSON})
    expect_error(response, 413, "BAD_REQUEST")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_405(
    client: httpx.AsyncClient, expect_error: ExpectError, method: str
) -> None:
    response = await client.request(method, "/graphql", json={"query": "{ hello }"})
    expect_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET, POST"


@pytest.mark.parametrize("accept", [GRJ, JSON])
async def test_engine_failure_is_500_without_details(
    client: httpx.AsyncClient,
    expect_error: ExpectError,
    accept: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ crash }"}, headers={"accept": accept, "x-request-id": "abc"}
    )
    assert expect_error(response, 500, "INTERNAL_SERVER_ERROR") == "Internal server error"
    assert "fails on purpose" not in response.text
    assert "Traceback" not in response.text
    [record] = [r for r in caplog.records if r.name == "gateway.server"]
    assert record.exc_info is not None
    assert "abc" in record.getMessage()


async def test_request_id_is_passed_through_or_generated(
    client: httpx.AsyncClient, engine: SchemaEngine
) -> None:
    given = await client.post(
        "/graphql", json={"query": "{ hello }"}, headers={"x-request-id": "req-42"}
    )
    assert given.headers["x-request-id"] == "req-42"
    fresh = await client.post("/graphql", json={"query": "{ hello }"})
    unsafe = await client.post(
        "/graphql", json={"query": "{ hello }"}, headers={"x-request-id": "a b\tc"}
    )
    too_long = await client.post(
        "/graphql", json={"query": "{ hello }"}, headers={"x-request-id": "x" * 129}
    )
    ids = [context.request_id for _, context in engine.calls]
    assert ids[0] == "req-42"
    assert too_long.headers["x-request-id"] != "x" * 129
    assert ids[1] == fresh.headers["x-request-id"]
    assert len(ids[1] or "") == 32
    assert ids[2] == unsafe.headers["x-request-id"] != "a b\tc"


@pytest.mark.parametrize(
    ("expose", "header", "included"),
    [
        (True, "true", True),
        (True, "TRUE", True),
        (True, "false", False),
        (True, None, False),
        (False, "true", False),
    ],
)
async def test_query_plan_needs_config_and_header(
    make_client: Callable[..., httpx.AsyncClient],
    engine: SchemaEngine,
    expose: bool,
    header: str | None,
    included: bool,
) -> None:
    client = make_client(expose_query_plan=expose)
    headers = {"simpul-include-query-plan": header} if header is not None else {}
    response = await client.post("/graphql", json={"query": "{ hello }"}, headers=headers)
    [(_, context)] = engine.calls
    assert context.include_plan is included
    plan = response.json().get("extensions", {}).get("queryPlan")
    assert plan == (FAKE_QUERY_PLAN if included else None)


async def test_graphql_under_a_root_path(engine: SchemaEngine) -> None:
    # behind a proxy that mounts the gateway under a prefix (ASGI root_path)
    app = create_app(engine, make_config())
    transport = httpx.ASGITransport(app=app, root_path="/gw")
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.post("/gw/graphql", json={"query": "{ hello }"})
        health = await client.get("/gw/health")
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world!"}}
    assert health.status_code == 200


async def test_client_gone_before_the_body_ended(engine: SchemaEngine) -> None:
    app = create_app(engine, make_config())
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "headers": [(b"content-type", b"application/json")],
        "query_string": b"",
    }
    await app(scope, receive, send)
    assert sent[0]["status"] == 400
