"""The transports against a real HTTP server on 127.0.0.1, and the in-process router."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import orjson
import pytest
from aiohttp import web
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.errors import ErrorCode, TransportError
from gateway.transport import HttpxTransport, Transport
from gateway.transport.pooled import PooledTransport

GRAPHQL_ERRORS = {"errors": [{"message": "Cannot query field 'x' on type 'Query'."}]}


async def _ok(request: web.Request) -> web.Response:
    body = await request.read()
    return web.json_response(
        {
            "data": {
                "echo": orjson.loads(body),
                "contentType": request.headers.get("Content-Type"),
                "accept": request.headers.get("Accept"),
                "requestId": request.headers.get("x-request-id"),
            }
        }
    )


async def _fail(request: web.Request) -> web.Response:
    return web.Response(status=500, text="boom")


async def _json_400(request: web.Request) -> web.Response:
    return web.json_response(GRAPHQL_ERRORS, status=400)


async def _graphql_400(request: web.Request) -> web.Response:
    return web.Response(
        status=400,
        body=orjson.dumps(GRAPHQL_ERRORS),
        content_type="application/graphql-response+json",
    )


async def _graphql_502_not_json(request: web.Request) -> web.Response:
    return web.Response(
        status=502, text="bad gateway", content_type="application/graphql-response+json"
    )


async def _slow(request: web.Request) -> web.Response:
    await asyncio.sleep(5)
    return web.json_response({"data": {}})


@pytest.fixture
async def server_url() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/ok", _ok)
    app.router.add_post("/fail", _fail)
    app.router.add_post("/json-400", _json_400)
    app.router.add_post("/graphql-400", _graphql_400)
    app.router.add_post("/graphql-502", _graphql_502_not_json)
    app.router.add_post("/slow", _slow)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture(params=["pooled", "httpx"])
async def transport(request: pytest.FixtureRequest) -> AsyncIterator[Transport]:
    made: Transport = (
        PooledTransport() if request.param == "pooled" else HttpxTransport(httpx.AsyncClient())
    )
    try:
        yield made
    finally:
        await made.close()


def _refused_url() -> str:
    # A port that was just free and has no listener: connecting to it is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql"


async def test_ok_answer_returns_body_and_sends_json_headers(
    transport: Transport, server_url: str
) -> None:
    body = await transport.post(
        f"{server_url}/ok", b'{"query":"{ a }"}', {"x-request-id": "r1"}, timeout=5
    )
    data = orjson.loads(body)["data"]
    assert data == {
        "echo": {"query": "{ a }"},
        "contentType": "application/json",
        "accept": "application/graphql-response+json, application/json",
        "requestId": "r1",
    }


async def test_connection_reuse_over_many_calls(transport: Transport, server_url: str) -> None:
    bodies = await asyncio.gather(
        *(transport.post(f"{server_url}/ok", b'{"i":%d}' % i, {}, timeout=5) for i in range(50))
    )
    assert [orjson.loads(b)["data"]["echo"]["i"] for b in bodies] == list(range(50))


async def test_500_raises_with_status(transport: Transport, server_url: str) -> None:
    with pytest.raises(TransportError) as caught:
        await transport.post(f"{server_url}/fail", b"{}", {}, timeout=5)
    assert caught.value.status == 500
    assert caught.value.code is ErrorCode.SUBREQUEST_HTTP_ERROR
    assert f"{server_url}/fail" in caught.value.message
    assert "500" in caught.value.message


async def test_400_in_plain_json_raises(transport: Transport, server_url: str) -> None:
    with pytest.raises(TransportError) as caught:
        await transport.post(f"{server_url}/json-400", b"{}", {}, timeout=5)
    assert caught.value.status == 400


async def test_400_graphql_response_returns_the_errors(
    transport: Transport, server_url: str
) -> None:
    body = await transport.post(f"{server_url}/graphql-400", b"{}", {}, timeout=5)
    assert orjson.loads(body) == GRAPHQL_ERRORS


async def test_non_2xx_graphql_media_type_without_graphql_body_raises(
    transport: Transport, server_url: str
) -> None:
    with pytest.raises(TransportError) as caught:
        await transport.post(f"{server_url}/graphql-502", b"{}", {}, timeout=5)
    assert caught.value.status == 502


async def test_connection_refused(transport: Transport) -> None:
    url = _refused_url()
    with pytest.raises(TransportError) as caught:
        await transport.post(url, b"{}", {}, timeout=5)
    assert caught.value.code is ErrorCode.SUBREQUEST_HTTP_ERROR
    assert caught.value.status is None
    assert url in caught.value.message
    assert "could not be reached" in caught.value.message


async def test_timeout(transport: Transport, server_url: str) -> None:
    with pytest.raises(TransportError) as caught:
        await transport.post(f"{server_url}/slow", b"{}", {}, timeout=0.2)
    assert caught.value.code is ErrorCode.SUBREQUEST_TIMEOUT
    assert f"{server_url}/slow" in caught.value.message
    assert "0.2 s" in caught.value.message


async def test_pooled_transport_works_again_after_close(server_url: str) -> None:
    transport = PooledTransport()
    await transport.post(f"{server_url}/ok", b"{}", {}, timeout=5)
    await transport.close()
    try:
        body = await transport.post(f"{server_url}/ok", b"{}", {}, timeout=5)
        assert orjson.loads(body)["data"]["echo"] == {}
    finally:
        await transport.close()


def _app(name: str) -> Starlette:
    async def graphql(request: Request) -> Response:
        payload = orjson.loads(await request.body())
        return JSONResponse({"data": {"app": name, "path": request.url.path, "got": payload}})

    return Starlette(routes=[Route("/{path:path}", graphql, methods=["POST"])])


@pytest.fixture
async def routed() -> AsyncIterator[Callable[[str], Awaitable[bytes]]]:
    transport = HttpxTransport.for_apps(
        {
            "http://a/graphql": _app("a"),
            "http://b:8080/graphql": _app("b"),
            "http://b:8080/other": _app("b-other"),
        }
    )

    def call(url: str) -> asyncio.Future[bytes]:
        return asyncio.ensure_future(transport.post(url, b'{"q":1}', {}, timeout=5))

    try:
        yield call
    finally:
        await transport.close()


async def test_for_apps_routes_by_url(routed: Callable[[str], Awaitable[bytes]]) -> None:
    assert orjson.loads(await routed("http://a/graphql"))["data"] == {
        "app": "a",
        "path": "/graphql",
        "got": {"q": 1},
    }
    assert orjson.loads(await routed("http://b:8080/graphql"))["data"]["app"] == "b"
    assert orjson.loads(await routed("http://b:8080/other"))["data"]["app"] == "b-other"
    # Same origin, unknown path: the first app of that origin.
    assert orjson.loads(await routed("http://a/elsewhere"))["data"]["path"] == "/elsewhere"


async def test_for_apps_unknown_host_fails_like_a_refused_connection(
    routed: Callable[[str], Awaitable[bytes]],
) -> None:
    with pytest.raises(TransportError) as caught:
        await routed("http://nowhere/graphql")
    assert caught.value.code is ErrorCode.SUBREQUEST_HTTP_ERROR
    assert "http://nowhere/graphql" in caught.value.message
