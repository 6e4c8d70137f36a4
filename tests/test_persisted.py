"""Trusted documents and automatic persisted queries, through the engine (and the HTTP
server for the forms a request takes); the APQ store shared by two engines through the real
Redis."""

from __future__ import annotations

import json
import secrets
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.access import AccessOptions
from gateway.access.grants import ApiKeys, hash_api_key
from gateway.access.identity import Authenticator
from gateway.config import EngineSettings, GatewayConfig
from gateway.engine import Engine
from gateway.persisted import (
    ManifestError,
    MemoryApqStore,
    PersistedDocuments,
    RedisApqStore,
    build_manifest,
    document_id,
    load_manifest,
)
from gateway.request import GraphQLRequest, RequestContext
from gateway.server import create_app
from tests.support.fake_transport import FakeTransport
from tests.test_operation import PEOPLE, SUPERGRAPH, answer

TRUSTED = "query People { people { name } }"
OTHER = "{ people { name } }"
KEY = "spk_integrator-key-0123456789"


def engine(persisted: PersistedDocuments) -> tuple[Engine, FakeTransport]:
    transport = FakeTransport({PEOPLE: answer})
    authenticator = Authenticator(api_keys=ApiKeys({hash_api_key(KEY): "PNK/GOV/5.01/sipd"}))
    access = AccessOptions(authenticator=authenticator)
    return Engine(SUPERGRAPH, transport, EngineSettings(), access, persisted=persisted), transport


async def run(gateway: Engine, request: GraphQLRequest, **headers: str) -> tuple[int, Any]:
    response = await gateway.execute(request, RequestContext(headers=headers))
    return response.status, response.body


def apq(query: str | None, digest: str) -> GraphQLRequest:
    return GraphQLRequest(
        query, extensions={"persistedQuery": {"version": 1, "sha256Hash": digest}}
    )


def code(body: Any) -> str:
    return str(body["errors"][0]["extensions"]["code"])


async def test_automatic_persisted_queries() -> None:
    gateway, transport = engine(PersistedDocuments("apq"))
    digest = document_id(OTHER)
    status, body = await run(gateway, apq(None, digest))
    assert (status, code(body)) == (200, "PERSISTED_QUERY_NOT_FOUND")
    assert body["errors"][0]["message"] == "PersistedQueryNotFound"  # what APQ clients look for
    status, body = await run(gateway, apq(OTHER, digest))
    assert status == 200 and "errors" not in body
    status, again = await run(gateway, apq(None, digest))
    assert again == body
    assert len(transport.calls) == 2
    status, body = await run(gateway, apq(OTHER, document_id(TRUSTED)))
    assert (status, code(body)) == (400, "PERSISTED_QUERY_HASH_MISMATCH")
    status, body = await run(gateway, apq(None, "not-a-hash"))
    assert (status, code(body)) == (400, "BAD_REQUEST")


async def test_manifest_documents_by_id_and_by_text() -> None:
    gateway, _ = engine(PersistedDocuments("apq", {document_id(TRUSTED): TRUSTED}))
    by_id = GraphQLRequest(None, document_id=f"sha256:{document_id(TRUSTED)}")
    status, body = await run(gateway, by_id)
    assert status == 200 and "people" in body["data"]


async def test_the_safelist_runs_the_manifest_s_documents_only() -> None:
    manifest = {document_id(TRUSTED): TRUSTED}
    gateway, transport = engine(PersistedDocuments("safelist", manifest))
    for request in (
        GraphQLRequest(TRUSTED),
        GraphQLRequest(None, document_id=document_id(TRUSTED)),
        apq(None, document_id(TRUSTED)),
    ):
        status, body = await run(gateway, request)
        assert status == 200 and "errors" not in body, body
    for request in (GraphQLRequest(OTHER), apq(OTHER, document_id(OTHER))):
        status, body = await run(gateway, request)
        assert (status, code(body)) == (400, "PERSISTED_QUERY_NOT_ALLOWED")
    # registering through APQ does not slip a document onto the safelist
    status, body = await run(gateway, apq(None, document_id(OTHER)))
    assert code(body) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert len(transport.calls) == 3
    # an authenticated client is held to the safelist too
    status, body = await run(gateway, GraphQLRequest(OTHER), **{"x-api-key": KEY})
    assert code(body) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_safelist_anonymous_lets_authenticated_clients_send_their_own() -> None:
    gateway, _ = engine(PersistedDocuments("safelist-anonymous", {document_id(TRUSTED): TRUSTED}))
    status, body = await run(gateway, GraphQLRequest(OTHER))
    assert code(body) == "PERSISTED_QUERY_NOT_ALLOWED"
    status, body = await run(gateway, GraphQLRequest(OTHER), **{"x-api-key": KEY})
    assert status == 200 and "errors" not in body


async def test_off_takes_text_only() -> None:
    gateway, _ = engine(PersistedDocuments("off"))
    status, body = await run(gateway, apq(None, document_id(OTHER)))
    assert (status, code(body)) == (400, "PERSISTED_QUERY_NOT_SUPPORTED")


async def test_the_http_forms_of_a_persisted_request() -> None:
    gateway, _ = engine(PersistedDocuments("apq", {document_id(TRUSTED): TRUSTED}))
    app = create_app(gateway, GatewayConfig())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://g"
    ) as client:
        posted = await client.post(
            "/graphql", json={"documentId": f"sha256:{document_id(TRUSTED)}"}
        )
        assert "people" in posted.json()["data"]
        extensions = json.dumps(
            {"persistedQuery": {"version": 1, "sha256Hash": document_id(TRUSTED)}}
        )
        got = await client.get("/graphql", params={"extensions": extensions})
        assert "people" in got.json()["data"]
        missing = await client.post("/graphql", json={"variables": {}})
        assert missing.status_code == 400
        assert missing.json()["errors"][0]["message"] == "the request has no query"


def test_a_manifest_is_built_from_a_folder_and_checked_when_read(tmp_path: Path) -> None:
    folder = tmp_path / "operations"
    folder.mkdir()
    (folder / "People.graphql").write_text(TRUSTED)
    manifest = build_manifest(folder)
    assert manifest["operations"] == [
        {"id": document_id(TRUSTED), "name": "People", "type": "query", "body": TRUSTED}
    ]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert load_manifest(str(path)) == {document_id(TRUSTED): TRUSTED}
    manifest["operations"][0]["body"] = OTHER  # an id that is not its body's hash
    path.write_text(json.dumps(manifest))
    with pytest.raises(ManifestError, match="is not its body's SHA-256"):
        load_manifest(str(path))
    (folder / "Anonymous.graphql").write_text("{ people { name } }")
    with pytest.raises(ManifestError, match="one named operation"):
        build_manifest(folder)


async def test_the_memory_store_is_bounded() -> None:
    store = MemoryApqStore(max_bytes=100)
    for index in range(10):
        await store.put(f"{index:064x}", "x" * 30)
    assert await store.get(f"{9:064x}") == "x" * 30
    assert await store.get(f"{0:064x}") is None


def redis_is_up() -> None:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.fail("Redis is not running on 127.0.0.1:6379 (see .ci/run to start it)")


async def test_two_gateways_share_apq_documents_through_redis() -> None:
    redis_is_up()
    query = f"query Shared{secrets.token_hex(4)} {{ people {{ name }} }}"
    digest = document_id(query)
    first, _ = engine(PersistedDocuments("apq", store=RedisApqStore("redis://127.0.0.1:6379/0")))
    second, _ = engine(PersistedDocuments("apq", store=RedisApqStore("redis://127.0.0.1:6379/0")))
    try:
        assert code((await run(second, apq(None, digest)))[1]) == "PERSISTED_QUERY_NOT_FOUND"
        assert (await run(first, apq(query, digest)))[0] == 200
        status, body = await run(second, apq(None, digest))
        assert status == 200 and "people" in body["data"]
    finally:
        await first.close()
        await second.close()
