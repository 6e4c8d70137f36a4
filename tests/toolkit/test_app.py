"""The app factory: /graphql and /health, JSON errors with codes and no tracebacks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import strawberry
from starlette.requests import Request
from starlette.responses import Response

from subgraphs.toolkit import AccessRecord, GatewayTrust, bad_input, create_app, subgraph_schema
from tests.support.audit import AuditFiles
from tests.toolkit.example import FakeDapodik, dapodik

OPEN = GatewayTrust.unsigned()


@pytest.fixture
async def client(upstream: FakeDapodik) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(dapodik, trust=OPEN, source=upstream))
    async with httpx.AsyncClient(transport=transport, base_url="http://dapodik") as client:
        yield client


async def test_health_passes(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "pass"}


async def test_queries_over_post_and_get(client: httpx.AsyncClient, upstream: FakeDapodik) -> None:
    query = '{ sekolah(npsn: "30100007") { nama } }'
    expected = {"data": {"sekolah": {"nama": "SD Negeri 7 Pontianak"}}}
    assert (await client.post("/graphql", json={"query": query})).json() == expected
    assert (await client.get("/graphql", params={"query": query})).json() == expected


async def test_service_sdl_links_federation_v2(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ _service { sdl } }"})
    sdl = response.json()["data"]["_service"]["sdl"]
    assert sdl.startswith(
        'schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])'
    )


async def test_an_upstream_failure_has_its_code(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ lambat }"})
    assert response.status_code == 200
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Upstream system 'dapodik' did not answer in time.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["lambat"],
                "extensions": {"code": "UPSTREAM_TIMEOUT", "upstream": "dapodik"},
            }
        ],
    }


async def test_a_bug_is_masked(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ rusak }"})
    assert response.json()["errors"] == [
        {
            "message": "Internal server error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["rusak"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    assert "rahasia" not in response.text
    assert "Traceback" not in response.text


async def test_a_deliberate_graphql_error_passes_as_raised(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ tidakValid }"})
    [error] = response.json()["errors"]
    assert error["message"] == "The NPSN must be 8 digits."
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "pesan": "NPSN harus 8 digit."}


@pytest.mark.parametrize(("message", "pesan"), [("", "NPSN harus 8 digit."), ("Bad.", " ")])
def test_bad_input_needs_a_message_and_a_pesan(message: str, pesan: str) -> None:
    with pytest.raises(ValueError, match="English message and an Indonesian pesan"):
        bad_input(message, pesan=pesan)


async def test_validation_errors_pass_as_they_are(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ tidakAda }"})
    [error] = response.json()["errors"]
    assert "tidakAda" in error["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("POST", "/graphql", b"{not json", 400, "BAD_REQUEST"),
        ("GET", "/tidak-ada", b"", 404, "NOT_FOUND"),
        ("DELETE", "/graphql", b"", 405, "METHOD_NOT_ALLOWED"),
        ("POST", "/health", b"", 405, "METHOD_NOT_ALLOWED"),
    ],
)
async def test_http_errors_are_json(
    client: httpx.AsyncClient, method: str, path: str, body: bytes, status: int, code: str
) -> None:
    response = await client.request(
        method, path, content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": code}


async def test_a_crash_outside_graphql_is_json_without_traceback() -> None:
    app = create_app(dapodik, trust=OPEN)

    async def crash(request: Request) -> Response:
        raise RuntimeError("password=rahasia")

    app.add_route("/crash", crash)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://dapodik") as client:
        response = await client.get("/crash")
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {"message": "Internal server error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ]
    }


async def test_the_source_closes_when_the_app_stops(upstream: FakeDapodik) -> None:
    app = create_app(dapodik, trust=OPEN, source=upstream)
    async with app.router.lifespan_context(app):
        assert not upstream.closed
    assert upstream.closed


async def test_a_source_failing_to_close_leaves_the_record_closed(
    audit: AuditFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing:
        async def aclose(self) -> None:
            raise OSError("already gone")

    record = AccessRecord(audit.trail("dapodik"), "dapodik")
    closed: list[AccessRecord] = []
    close = record.aclose

    async def close_and_note() -> None:
        await close()
        closed.append(record)

    monkeypatch.setattr(record, "aclose", close_and_note)
    app = create_app(dapodik, trust=OPEN, source=Failing(), access_record=record)
    async with app.router.lifespan_context(app):
        assert not closed
    assert closed == [record]


def test_only_federation_schemas_composers_accept() -> None:
    @strawberry.type
    class Query:
        kosong: str = ""

    with pytest.raises(TypeError, match="federation"):
        create_app(strawberry.Schema(query=Query), trust=OPEN)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"2\.9"):
        create_app(strawberry.federation.Schema(query=Query, federation_version="2.11"), trust=OPEN)
    assert create_app(subgraph_schema(Query, federation_version="2.3"), trust=OPEN)
