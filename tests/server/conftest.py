"""Clients on the gateway app around a :class:`SchemaEngine`, with no network."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from gateway.config import EngineSettings, GatewayConfig, ServerSettings
from gateway.server import create_app
from tests.support.schema_engine import SchemaEngine


def make_config(expose_query_plan: bool = False, **server: Any) -> GatewayConfig:
    """The default configuration with some ``[server]`` fields and the plan opt-in replaced."""
    return GatewayConfig(
        server=ServerSettings(**server),
        engine=EngineSettings(expose_query_plan=expose_query_plan),
    )


@pytest.fixture
def engine() -> SchemaEngine:
    return SchemaEngine()


@pytest.fixture
async def make_client(engine: SchemaEngine) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    """Build clients on an app around ``engine``; keyword arguments go to :func:`make_config`."""
    clients: list[httpx.AsyncClient] = []

    def build(**settings: Any) -> httpx.AsyncClient:
        app = create_app(engine, make_config(**settings))
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway"
        )
        clients.append(client)
        return client

    try:
        yield build
    finally:
        for client in clients:
            await client.aclose()


@pytest.fixture
def client(make_client: Callable[..., httpx.AsyncClient]) -> httpx.AsyncClient:
    return make_client()


def graphql_error_message(response: httpx.Response, status: int, code: str) -> str:
    """Check ``response`` is one GraphQL error with ``code`` and ``status``; return its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].endswith("; charset=utf-8")
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert isinstance(error["message"], str)
    return str(error["message"])


@pytest.fixture
def expect_error() -> Callable[[httpx.Response, int, str], str]:
    return graphql_error_message
