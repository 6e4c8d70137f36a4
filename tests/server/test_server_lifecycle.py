"""Health, readiness, loading the engine in the background and closing it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette

from gateway.config import GatewayConfig, config_from_mapping
from gateway.server import ExecutesGraphQL, create_app
from tests.support.schema_engine import SchemaEngine

ExpectError = Callable[[httpx.Response, int, str], str]


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def test_health_and_ready_with_a_loaded_engine(client: httpx.AsyncClient) -> None:
    health = await client.get("/health")
    assert health.status_code == 200
    assert health.json() == {"status": "pass"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "pass"}


async def _until_ready(client: httpx.AsyncClient) -> httpx.Response:
    for _ in range(200):
        response = await client.get("/ready")
        if response.status_code == 200:
            return response
        await asyncio.sleep(0.01)
    raise AssertionError("never ready")


async def test_engine_loaded_by_a_factory_after_startup(expect_error: ExpectError) -> None:
    release = asyncio.Event()
    engine = SchemaEngine()

    async def load() -> ExecutesGraphQL:
        await release.wait()
        return engine

    config = config_from_mapping({"server": {"startup_wait": 0.05}}, {}, {})
    app = create_app(load, config)
    async with app.router.lifespan_context(app), _client(app) as client:
        assert (await client.get("/health")).status_code == 200
        not_ready = await client.get("/ready")
        assert not_ready.status_code == 503
        assert not_ready.json() == {"status": "fail"}
        # past server.startup_wait, a request is refused rather than kept waiting
        early = await client.post("/graphql", json={"query": "{ hello }"})
        expect_error(early, 503, "NOT_READY")

        release.set()
        await _until_ready(client)
        response = await client.post("/graphql", json={"query": "{ hello }"})
        assert response.json() == {"data": {"hello": "Hello, world!"}}
    assert engine.closed


async def test_a_request_arriving_while_the_engine_loads_is_answered_once_it_is_loaded() -> None:
    release = asyncio.Event()

    async def load() -> ExecutesGraphQL:
        await release.wait()
        return SchemaEngine()

    app = create_app(load, GatewayConfig())
    async with app.router.lifespan_context(app), _client(app) as client:
        waiting = asyncio.create_task(client.post("/graphql", json={"query": "{ hello }"}))
        await asyncio.sleep(0.1)
        assert not waiting.done()
        release.set()
        response = await waiting
        assert response.status_code == 200
        assert response.json() == {"data": {"hello": "Hello, world!"}}


async def test_factory_failure_keeps_the_gateway_not_ready(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def load() -> ExecutesGraphQL:
        raise ValueError("invalid supergraph: line 3, column 1: unknown graph")

    app = create_app(load, GatewayConfig())
    async with app.router.lifespan_context(app), _client(app) as client:
        for _ in range(100):
            if any(r.name == "gateway.server" for r in caplog.records):
                break
            await asyncio.sleep(0.01)
        ready = await client.get("/ready")
        assert ready.status_code == 503
        assert ready.json() == {
            "status": "fail",
            "output": "invalid supergraph: line 3, column 1: unknown graph",
        }
        assert (await client.get("/health")).status_code == 200
    [record] = [r for r in caplog.records if r.name == "gateway.server"]
    assert record.exc_info is not None


async def test_shutdown_while_loading_cancels_the_load() -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def load() -> ExecutesGraphQL:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        raise AssertionError("not reached")

    app = create_app(load, GatewayConfig())
    async with app.router.lifespan_context(app):
        await started.wait()
    assert cancelled.is_set()


async def test_engine_given_directly_is_closed_on_shutdown() -> None:
    engine = SchemaEngine()
    app = create_app(engine, GatewayConfig())
    async with app.router.lifespan_context(app), _client(app) as client:
        assert (await client.get("/ready")).status_code == 200
        assert not engine.closed
    assert engine.closed


async def test_unknown_path_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/graphiql")).status_code == 404
