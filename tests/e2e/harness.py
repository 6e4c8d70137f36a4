"""The gateway's engine over real strawberry subgraphs, in process.

Each test module writes its subgraphs with strawberry's federation module, composes the SDL
they serve into a checked-in supergraph (``supergraphs/``, refreshed by ``make fixtures``)
and runs operations through :class:`Federation`: the engine with an httpx transport routing
``http://<name>/graphql`` to each subgraph's ASGI app, every call recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson
import strawberry.federation
from strawberry.asgi import GraphQL

from gateway.access import AccessOptions
from gateway.audit import AuditTrail
from gateway.cache import SubgraphCache
from gateway.config import EngineSettings
from gateway.engine import Engine
from gateway.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.supergraph import Supergraph
from gateway.traffic import Traffic
from gateway.transport import ASGIApp, HttpxTransport
from tests.support.composed import composed_supergraph, composed_supergraph_text
from tests.support.recording import RecordingApp

__all__ = [
    "Federation",
    "Switch",
    "answering",
    "app_of",
    "down",
    "served_sdl",
    "slow",
    "supergraph_of",
    "supergraph_text_of",
    "url_of",
    "with_cache_control",
]

FIXTURES = Path(__file__).parent / "supergraphs"


def served_sdl(schema: strawberry.federation.Schema) -> str:
    """The SDL ``schema`` answers on ``_service { sdl }``, as a composer would fetch it."""
    result = schema.execute_sync("{ _service { sdl } }")
    assert result.errors is None, result.errors
    assert result.data is not None
    return str(result.data["_service"]["sdl"])


def supergraph_text_of(name: str, schemas: Mapping[str, strawberry.federation.Schema]) -> str:
    """The checked-in supergraph composed from the SDLs ``schemas`` serve."""
    return composed_supergraph_text(
        FIXTURES, name, {subgraph: served_sdl(s) for subgraph, s in schemas.items()}
    )


def supergraph_of(name: str, schemas: Mapping[str, strawberry.federation.Schema]) -> Supergraph:
    """Load the checked-in supergraph composed from the SDLs ``schemas`` serve."""
    return composed_supergraph(
        FIXTURES, name, {subgraph: served_sdl(s) for subgraph, s in schemas.items()}
    )


def url_of(subgraph: str) -> str:
    """The URL the composed supergraphs route ``subgraph`` to."""
    return f"http://{subgraph}/graphql"


def app_of(schema: strawberry.federation.Schema) -> ASGIApp:
    """A subgraph's ASGI app, as an OPD team would serve it."""
    return GraphQL(schema, graphql_ide=None)


Scope = MutableMapping[str, Any]


def down(reason: str = "connection refused") -> ASGIApp:
    """An app standing for a subgraph nobody answers at: every call fails to connect."""

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        raise ConnectionRefusedError(reason)

    return app


def slow(app: ASGIApp, seconds: float) -> ASGIApp:
    """``app``, answering each request only after ``seconds``."""

    async def slowed(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await asyncio.sleep(seconds)
        await app(scope, receive, send)

    return slowed


def with_cache_control(app: ASGIApp, header: str) -> ASGIApp:
    """``app``, its answers carrying one more ``Cache-Control`` line, ``header`` (as a proxy
    in front of a subgraph adds one)."""

    async def with_header(scope: Scope, receive: Any, send: Any) -> None:
        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [*message["headers"], (b"cache-control", header.encode())],
                }
            await send(message)

        await app(scope, receive, sending)

    return with_header


class Switch:
    """An app that answers as ``app`` does, switchable at run time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def answering(status: int, body: bytes | Mapping[str, Any], content_type: str) -> ASGIApp:
    """An app answering every request with ``status`` and ``body`` (a mapping as JSON)."""
    content = body if isinstance(body, bytes) else orjson.dumps(body)

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body", False):
            pass
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(content)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})

    return app


class Federation:
    """The engine over in-process subgraph apps, counting the calls each app gets."""

    def __init__(
        self,
        supergraph: Supergraph,
        apps: Mapping[str, ASGIApp],
        config: EngineSettings | None = None,
        access: AccessOptions | None = None,
        audit: AuditTrail | None = None,
        traffic: Traffic | None = None,
        urls: Mapping[str, str] | None = None,
        cache: SubgraphCache | None = None,
    ) -> None:
        """``urls``: where each app is served, when not at its subgraph's own URL."""
        self.apps = {name: RecordingApp(app) for name, app in apps.items()}
        where = urls or {}
        transport = HttpxTransport.for_apps(
            {where.get(n, url_of(n)): app for n, app in self.apps.items()}
        )
        self.engine = Engine(
            supergraph,
            transport,
            config or EngineSettings(expose_query_plan=True),
            access,
            audit=audit,
            traffic=traffic,
            cache=cache,
        )
        self.plan = ""
        """The printed plan of the last operation run, for assertion messages."""

    async def __aenter__(self) -> Federation:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.engine.close()

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> GraphQLResponse:
        """Run one operation; the printed plan goes to :attr:`plan`, not into the body."""
        response = await self.engine.execute(
            GraphQLRequest(query, operation_name=operation_name, variables=variables),
            RequestContext(
                headers=dict(headers or {}),
                include_plan=True,
                request_id=(headers or {}).get("x-request-id"),
            ),
        )
        extensions = response.body.pop("extensions", {})
        self.plan = str(extensions.pop("queryPlan", "(no plan)"))
        if extensions:
            response.body["extensions"] = extensions
        return response

    async def run(self, query: str, **variables: Any) -> dict[str, Any]:
        """Run one operation that must execute (status 200); return the response body."""
        response = await self.execute(query, variables or None)
        assert response.status == 200, response.body
        return response.body

    def calls(self, subgraph: str) -> int:
        """How many HTTP requests ``subgraph`` received."""
        return self.apps[subgraph].count

    def counts(self) -> dict[str, int]:
        """The number of requests each subgraph received."""
        return {name: app.count for name, app in self.apps.items()}

    def requests(self, subgraph: str) -> list[dict[str, Any]]:
        """The GraphQL request bodies ``subgraph`` received, in order."""
        return list(self.apps[subgraph].requests)
