"""The gateway's HTTP face: GraphQL over HTTP, health and readiness.

``create_app`` returns a Starlette app serving:

- ``POST /graphql`` and ``GET /graphql``, per the GraphQL-over-HTTP draft
  (https://graphql.github.io/graphql-over-http/draft/); a browser's ``GET`` without a query
  gets GraphiQL when ``server.graphiql`` is on, its files under ``/graphql/static/``;
- ``GET /health``: 200 while the process serves (liveness);
- ``GET /ready``: 200 once an engine is loaded, 503 before and from SIGTERM on (readiness;
  :mod:`gateway.server.drain`); with the supergraph served (its SHA-256, when taken, how
  many reloads), each subgraph's health as the gateway's calls found it
  (:mod:`gateway.traffic`), and, as ``warn``, why a new supergraph was not taken
  (:mod:`gateway.reload`) and which subgraphs are down (the gateway stays ready: their
  fields fail alone);
- ``GET /portal/``: the city portal's static files, when ``server.portal`` names their
  directory (``/portal`` redirects there).

Every answer of ``/graphql`` is a GraphQL response, errors included: the server never sends a
traceback or a bare HTTP error page. With ``application/graphql-response+json`` the status is
the engine's; with ``application/json`` every well-formed request gets 200, as the draft
recommends for legacy clients. HTTP-level refusals keep their status whatever the media type:
405 (method, or a mutation over GET), 406 (``Accept``), 413 (body size), 415 (content type).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import logging
import re
import signal
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, runtime_checkable

import orjson
from graphql import GraphQLSchema
from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from ..access.call_token import CallKeyError, read_key_file
from ..cache import NO_STORE, SubgraphCache
from ..config import ConfigError, GatewayConfig
from ..errors import ErrorCode, RequestError, graphql_error
from ..log_context import REQUEST_ID, TRACE_ID
from ..metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from ..metrics import Metrics
from ..reload import Reloader, ReloadStatus, source_for
from ..request import GraphQLRequest, GraphQLResponse, RequestContext
from ..supergraph import Supergraph, load_supergraph
from ..tracing import trace_id_of
from .cache_invalidation import invalidation_route
from .cors import CorsPolicy, PreflightRefused
from .drain import is_draining
from .graphiql import GRAPHIQL_CSP, GRAPHIQL_HTML, static_mount
from .media_types import (
    JSON,
    MULTIPART_END,
    accepts_html,
    incremental_form,
    multipart_part,
    multipart_type,
    parse_media_type,
    response_media_type,
)

__all__ = ["PORTAL_CSP", "EngineFactory", "ExecutesGraphQL", "create_app"]

logger = logging.getLogger("gateway.server")

PLAN_HEADER = "simpul-include-query-plan"
COST_HEADER = "simpul-include-cost"
REQUEST_ID_HEADER = "x-request-id"
# A client's request id is reused only if it cannot inject anything into logs or headers.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_GRAPHQL_METHODS = ("GET", "POST")


@runtime_checkable
class ExecutesGraphQL(Protocol):
    """What the server needs of the engine."""

    api_schema: GraphQLSchema

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResponse:
        """Run one GraphQL request."""
        ...


@runtime_checkable
class _Reloadable(ExecutesGraphQL, Protocol):
    """An engine that can hand over to one over a new supergraph (:mod:`gateway.reload`)."""

    supergraph: Supergraph

    def successor(self, supergraph: Supergraph) -> _Reloadable:
        """The engine over ``supergraph`` sharing this one's connections and state."""
        ...


EngineFactory = Callable[[], Awaitable[ExecutesGraphQL]]
"""Loads an engine after the server has started; the server is not ready until it returns."""


class _Refusal(Exception):
    """The HTTP request is refused before reaching the engine."""

    def __init__(
        self,
        status: int,
        message: str,
        code: ErrorCode = ErrorCode.BAD_REQUEST,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})


@dataclass(slots=True)
class _EngineSlot:
    """The engine once loaded; mutable because loading happens after startup and a new
    supergraph replaces it (each request reads it once, and runs on that engine)."""

    engine: ExecutesGraphQL | None = None
    failure: str | None = None
    loaded: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once loading has ended, with an engine or a failure."""
    supergraph: ReloadStatus | None = None


def create_app(
    engine_or_factory: ExecutesGraphQL | EngineFactory, config: GatewayConfig
) -> Starlette:
    """Build the gateway's ASGI app around an engine, or a factory that loads one.

    With a factory, loading starts in the background when the app starts (ASGI lifespan),
    so ``/health`` answers at once and ``/ready`` turns 200 when the engine is there. The app
    closes the engine (if it has ``close()``) when it shuts down.
    """
    slot = _EngineSlot()
    factory: EngineFactory | None = None
    if isinstance(engine_or_factory, ExecutesGraphQL):
        slot.engine = engine_or_factory
        slot.loaded.set()
    else:
        factory = engine_or_factory

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loading = asyncio.create_task(_load(slot, factory)) if factory is not None else None
        start = getattr(slot.engine, "start", None)
        if start is not None:
            await start()
        watching = asyncio.create_task(_watch(slot, config))
        probing = asyncio.create_task(_probe(slot, config.traffic.probe_interval))
        try:
            yield
        finally:
            for task in (loading, watching, probing):
                if task is None:
                    continue
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            close = getattr(slot.engine, "close", None)
            if close is not None:
                await close()

    async def health(request: Request) -> Response:
        return _json({"status": "pass"}, 200, "application/health+json")

    async def ready(request: Request) -> Response:
        if is_draining(request.scope):
            return _json({"status": "fail", "output": "draining"}, 503, "application/health+json")
        if slot.engine is None:
            body: dict[str, Any] = {"status": "fail"}
            if slot.failure:
                body["output"] = slot.failure
            return _json(body, 503, "application/health+json")
        body = {"status": "pass"}
        warnings: list[str] = []
        if slot.supergraph is not None:
            body["supergraph"] = slot.supergraph.as_json()
            if slot.supergraph.failure is not None:
                # still ready: the graph it had keeps being served
                warnings.append(f"new supergraph not taken: {slot.supergraph.failure}")
        health = getattr(slot.engine, "subgraph_health", None)
        if callable(health):
            subgraphs: dict[str, dict[str, object]] = health()
            body["subgraphs"] = subgraphs
            down = [name for name, detail in subgraphs.items() if detail["status"] == "down"]
            if down:
                # still ready: the other OPDs' fields are answered, these fail alone
                warnings.append(f"subgraphs down: {', '.join(down)}")
        if warnings:
            body["status"] = "warn"
            body["output"] = "; ".join(warnings)
        return _json(body, 200, "application/health+json")

    async def metrics(request: Request) -> Response:
        engine = slot.engine
        found = getattr(engine, "metrics", None)
        if not isinstance(found, Metrics):
            return Response(b"", status_code=503, media_type="text/plain")
        return Response(found.render(), media_type=METRICS_CONTENT_TYPE)

    routes: list[BaseRoute] = [
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
    ]
    if config.server.metrics:
        routes.append(Route("/metrics", metrics, methods=["GET"]))
    if config.cache.invalidate_key_file:
        routes.append(invalidation_route(_invalidation_key(config), lambda: _cache_of(slot)))
    if config.server.graphiql:
        routes.append(static_mount())
    if config.server.portal:
        routes += _portal_routes(config.server.portal)
    return _GatewayApp(_GraphQLEndpoint(slot, config), routes=routes, lifespan=lifespan)


def _invalidation_key(config: GatewayConfig) -> str:
    try:
        return read_key_file(config.cache.invalidate_key_file)
    except CallKeyError as error:
        raise ConfigError(f"cache.invalidate_key_file: {error}") from None


def _cache_of(slot: _EngineSlot) -> SubgraphCache | None:
    executor = getattr(slot.engine, "executor", None)
    cache = getattr(executor, "cache", None)
    return cache if isinstance(cache, SubgraphCache) else None


class _GatewayApp(Starlette):
    """Starlette, with ``/graphql`` answered before its middleware and routing.

    ``/graphql`` is nearly every request; the endpoint turns every failure into a GraphQL
    response itself, so the error middleware and the route table add only cost there.
    """

    def __init__(self, graphql: _GraphQLEndpoint, **options: Any) -> None:
        super().__init__(**options)
        self._graphql = graphql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _route_path(scope) == "/graphql":
            scope["app"] = self
            await self._graphql(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path below the app's root path, as Starlette's routing matches it."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


@dataclass(frozen=True, slots=True)
class _Exchange:
    """What the endpoint reads of one HTTP request."""

    method: str
    headers: dict[str, str]
    """Names lower-cased; repeated headers joined with ``, ``."""
    query_string: bytes
    receive: Receive


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    content_type: str
    headers: Mapping[str, str]
    more: AsyncIterator[bytes] | None = None
    """Parts sent after ``body`` as they come (an incremental answer), the answer then
    closed; no ``Content-Length``."""


class _GraphQLEndpoint:
    """``/graphql`` as a bare ASGI app: every method, so that refusals are GraphQL responses."""

    def __init__(self, slot: _EngineSlot, config: GatewayConfig) -> None:
        self._slot = slot
        self._config = config
        self._cors = CorsPolicy(config.cors)
        self._in_flight: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        method = scope["method"]
        client = scope.get("client")
        address = client[0] if client else ""
        if method == "OPTIONS" and "access-control-request-method" in headers:
            answer = _preflight(self._cors, headers)
        elif 0 < self._config.server.max_requests_per_client <= self._in_flight[address]:
            answer = _busy(self._config.server.max_requests_per_client)
        else:
            self._in_flight[address] += 1
            try:
                exchange = _Exchange(method, headers, scope.get("query_string", b""), receive)
                answer = await _graphql_endpoint(exchange, self._slot, self._config)
            finally:
                self._in_flight[address] -= 1
                if self._in_flight[address] <= 0:
                    del self._in_flight[address]
            cors = self._cors.answer_headers(headers.get("origin"))
            vary = answer.headers.get("Vary")
            if vary:  # the engine's request headers the answer differs by, and Origin
                cors["Vary"] = f"{vary}, {cors['Vary']}"
            answer = replace(answer, headers={**answer.headers, **cors})
        raw_headers = [(b"content-type", answer.content_type.encode("latin-1"))]
        if answer.more is None:
            raw_headers.append((b"content-length", b"%d" % len(answer.body)))
        raw_headers += [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()
        ]
        await send({"type": "http.response.start", "status": answer.status, "headers": raw_headers})
        if answer.more is None:
            await send({"type": "http.response.body", "body": answer.body})
            return
        await send({"type": "http.response.body", "body": answer.body, "more_body": True})
        try:
            async for part in answer.more:
                await send({"type": "http.response.body", "body": part, "more_body": True})
        finally:
            await send({"type": "http.response.body", "body": MULTIPART_END})


def _busy(cap: int) -> _Answer:
    message = f"this client has {cap} requests in flight already; wait for their answers"
    body = {"errors": [graphql_error(message, ErrorCode.TOO_MANY_REQUESTS)]}
    return _json_answer(body, 429, JSON, {"Retry-After": "1"})


def _preflight(cors: CorsPolicy, headers: Mapping[str, str]) -> _Answer:
    try:
        return _Answer(204, b"", "text/plain; charset=utf-8", cors.preflight(headers))
    except PreflightRefused as refusal:
        body = {"errors": [graphql_error(str(refusal), ErrorCode.CORS_REFUSED)]}
        return _json_answer(body, 403, JSON, {"Vary": "Origin"})


async def _probe(slot: _EngineSlot, interval: float) -> None:
    """Every ``interval`` seconds, call the subgraphs whose last call failed
    (``Engine.probe_failing``), so that their health and circuits follow them back."""
    if interval <= 0:
        return
    while True:
        await asyncio.sleep(interval)
        probe = getattr(slot.engine, "probe_failing", None)
        if probe is None:
            continue
        try:
            await probe()
        except Exception:  # a probe must never stop the next ones
            logger.exception("probing the failing subgraphs failed")


async def _watch(slot: _EngineSlot, config: GatewayConfig) -> None:
    """Once an engine is loaded, take new supergraphs as :mod:`gateway.reload` says: every
    ``server.supergraph_poll`` seconds and on SIGHUP."""
    await slot.loaded.wait()
    engine = slot.engine
    if not config.supergraph or not isinstance(engine, _Reloadable):
        return  # an engine given by a test or an embedding: nothing to reload from
    sdl = engine.supergraph.sdl
    status = ReloadStatus(digest=hashlib.sha256(sdl.encode()).hexdigest(), loaded_at=time.time())
    slot.supergraph = status

    def build(text: str) -> object:
        current = slot.engine
        assert isinstance(current, _Reloadable)
        return current.successor(load_supergraph(text))

    def swap(new: object) -> None:
        assert isinstance(new, ExecutesGraphQL)
        slot.engine = new

    def count(outcome: str) -> None:
        found = getattr(slot.engine, "metrics", None)
        if isinstance(found, Metrics):
            found.reloads.labels(outcome).inc()

    reloader = Reloader(
        source_for(config.supergraph, sdl),
        build,
        swap,
        status,
        config.server.supergraph_poll,
        count,
    )
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGHUP, reloader.ask)
        listening = True
    except (NotImplementedError, RuntimeError, ValueError):
        listening = False  # not the main thread (an embedded server): polling only
    try:
        await reloader.run()
    finally:
        if listening:
            loop.remove_signal_handler(signal.SIGHUP)


async def _load(slot: _EngineSlot, factory: EngineFactory) -> None:
    try:
        engine = await factory()
        start = getattr(engine, "start", None)
        if start is not None:
            await start()
        slot.engine = engine
        slot.loaded.set()
    except asyncio.CancelledError:
        raise
    except Exception as error:
        slot.failure = str(error) or type(error).__name__
        slot.loaded.set()  # nobody waits any longer for an engine that will not come
        logger.exception("the engine could not be loaded; the gateway stays not ready")
    else:
        logger.info("engine loaded; the gateway is ready")


async def _graphql_endpoint(
    request: _Exchange, slot: _EngineSlot, config: GatewayConfig
) -> _Answer:
    """The answer to one request on ``/graphql``. Each says how it may be kept: a query's
    answer as the engine worked out from its parts, anything else (a refusal, an error, a
    mutation's answer, an answer in parts) ``no-store``."""
    answer = await _graphql_answer(request, slot, config)
    if "Cache-Control" in answer.headers:
        return answer
    return replace(answer, headers={**answer.headers, "Cache-Control": NO_STORE})


async def _graphql_answer(request: _Exchange, slot: _EngineSlot, config: GatewayConfig) -> _Answer:
    accept = request.headers.get("accept")
    request_id = _request_id(request.headers)
    # for the log lines of this request (the engine's span, if any, sets its own trace id)
    REQUEST_ID.set(request_id)
    TRACE_ID.set(trace_id_of(request.headers))
    media_type = JSON
    try:
        if request.method not in _GRAPHQL_METHODS:
            raise _Refusal(
                405,
                f"{request.method} is not supported on this endpoint; use GET or POST",
                ErrorCode.METHOD_NOT_ALLOWED,
                {"Allow": ", ".join(_GRAPHQL_METHODS)},
            )
        query_params = QueryParams(request.query_string) if request.method == "GET" else None
        if (
            query_params is not None
            and config.server.graphiql
            and "query" not in query_params
            and accepts_html(accept)
        ):
            return _Answer(
                200,
                GRAPHIQL_HTML.encode(),
                "text/html; charset=utf-8",
                {"Content-Security-Policy": GRAPHIQL_CSP, "X-Frame-Options": "DENY"},
            )
        incremental = incremental_form(accept)
        negotiated = response_media_type(accept)
        if negotiated is None and incremental is None:
            raise _Refusal(406, f"cannot answer in any of the accepted media types: {accept}")
        media_type = negotiated or JSON
        if query_params is None:
            graphql_request = _read_params(await _read_json_body(request, config))
        else:
            _check_csrf(request.headers, config)
            graphql_request = _read_params(_query_string_params(query_params))
        engine = slot.engine
        if engine is None:
            # with several workers on one port, the kernel hands connections to a worker
            # still loading as to the others: its requests wait a little rather than fail
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(slot.loaded.wait(), config.server.startup_wait)
            engine = slot.engine
        if engine is None:
            raise _Refusal(
                503, "the gateway is starting: no supergraph is loaded yet", ErrorCode.NOT_READY
            )
        context = RequestContext(
            method=request.method,
            headers=request.headers,
            include_plan=config.engine.expose_query_plan
            and request.headers.get(PLAN_HEADER, "").strip().lower() == "true",
            request_id=request_id,
            include_cost=config.limits.expose_cost
            and request.headers.get(COST_HEADER, "").strip().lower() == "true",
            incremental=incremental,
        )
        result = await _execute(engine, graphql_request, context)
        if incremental is not None and (result.subsequent is not None or negotiated is None):
            return _incremental_answer(
                result, incremental, request_id, config.server.max_response_bytes
            )
        answer = _result_answer(result, media_type, request_id)
        if len(answer.body) > config.server.max_response_bytes:
            too_large = _too_large(config.server.max_response_bytes)
            raise _Refusal(
                200 if media_type == JSON else 500,
                str(too_large["message"]),
                ErrorCode.RESPONSE_TOO_LARGE,
            )
        return answer
    except _Refusal as refusal:
        body = {"errors": [graphql_error(refusal.message, refusal.code)]}
        headers = {**refusal.headers, REQUEST_ID_HEADER: request_id}
        return _json_answer(body, refusal.status, media_type, headers)
    except Exception:
        logger.exception("unexpected failure answering request %s", request_id)
        body = {"errors": [graphql_error("Internal server error", ErrorCode.INTERNAL_SERVER_ERROR)]}
        return _json_answer(body, 500, media_type, {REQUEST_ID_HEADER: request_id})


def _check_csrf(headers: Mapping[str, str], config: GatewayConfig) -> None:
    """A GET runs only with a header a browser cannot send without a preflight, so that no
    foreign page can make a visitor's browser run an operation (Apollo Router's rule); a
    POST must be JSON, which forces the preflight by itself."""
    if not config.server.csrf_prevention:
        return
    if any(name in headers for name in config.server.csrf_headers):
        return
    raise _Refusal(
        400,
        "this GET may come from a foreign page (cross-site request forgery): send it with "
        f"one of the headers {', '.join(config.server.csrf_headers)}, or as a JSON POST",
        ErrorCode.CSRF_PREVENTION,
    )


def _result_answer(result: GraphQLResponse, media_type: str, request_id: str) -> _Answer:
    headers = {**result.headers, REQUEST_ID_HEADER: request_id}
    status = result.status
    if status == 405:
        # A mutation over GET: the answer is an HTTP refusal whatever the media type.
        headers["Allow"] = "POST"
    elif status == 401:
        pass  # a credential refused: an HTTP-level answer whatever the media type
    elif media_type == JSON:
        status = 200
    return _json_answer(result.body, status, media_type, headers)


def _incremental_answer(result: GraphQLResponse, form: str, request_id: str, limit: int) -> _Answer:
    """An answer in parts (``multipart/mixed``): the initial payload, then each
    subsequent one as it comes. Its status is 200: the parts carry the errors. The parts
    together are held to ``limit`` bytes: the part that would pass it is replaced by the
    last one, saying so."""
    body = result.body if result.subsequent is not None else {**result.body, "hasNext": False}
    subsequent = result.subsequent
    first = orjson.dumps(body)
    if len(first) > limit:
        first = orjson.dumps({"errors": [_too_large(limit)], "hasNext": False})
        subsequent = None

    async def more() -> AsyncIterator[bytes]:
        if subsequent is None:
            return
        sent = len(first)
        async for payload in subsequent:
            part = orjson.dumps(payload)
            sent += len(part)
            if sent > limit:
                yield multipart_part(
                    orjson.dumps({"errors": [_too_large(limit)], "hasNext": False})
                )
                return
            yield multipart_part(part)

    return _Answer(
        200,
        multipart_part(first),
        multipart_type(form),
        # the parts are not one answer a cache could keep, whatever the first one allows
        {**result.headers, "Cache-Control": NO_STORE, REQUEST_ID_HEADER: request_id},
        more(),
    )


def _too_large(limit: int) -> dict[str, Any]:
    return graphql_error(
        f"the answer is larger than {limit} bytes; ask for less (pages, fewer fields)",
        ErrorCode.RESPONSE_TOO_LARGE,
    )


async def _execute(
    engine: ExecutesGraphQL, graphql_request: GraphQLRequest, context: RequestContext
) -> GraphQLResponse:
    try:
        return await engine.execute(graphql_request, context)
    except RequestError as error:
        return GraphQLResponse(
            body={"errors": error.errors}, status=error.status, headers=error.headers
        )


_REQUEST_IDS = itertools.count()
_REQUEST_ID_PREFIX = uuid.uuid4().hex[:16]


def _request_id(headers: Mapping[str, str]) -> str:
    given = headers.get(REQUEST_ID_HEADER)
    if given and _SAFE_REQUEST_ID.fullmatch(given):
        return given
    # unique per process start and request; a random prefix, then a counter (cheaper than a
    # fresh UUID per request)
    return f"{_REQUEST_ID_PREFIX}{next(_REQUEST_IDS):016x}"


async def _read_json_body(request: _Exchange, config: GatewayConfig) -> Any:
    content_type = request.headers.get("content-type")
    if content_type is None:
        raise _Refusal(415, "missing Content-Type; send application/json")
    media_type, params = parse_media_type(content_type)
    charset = params.get("charset", "utf-8").lower()
    if media_type != JSON or charset not in ("utf-8", "utf8"):
        raise _Refusal(415, f"unsupported Content-Type {content_type!r}; send application/json")
    body = await _read_body(request, config.server.max_request_bytes)
    if not body.strip():
        raise _Refusal(400, "the request body is empty; send a JSON object with a query")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise _Refusal(400, f"the request body is not valid JSON: {error}") from None


async def _read_body(request: _Exchange, limit: int) -> bytes:
    too_large = _Refusal(413, f"the request body is larger than {limit} bytes")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise _Refusal(400, "the client closed the connection before the body ended")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _query_string_params(query_params: QueryParams) -> dict[str, Any]:
    params: dict[str, Any] = dict(query_params)
    for name in ("variables", "extensions"):
        text = params.get(name)
        if text is None or text == "":
            params.pop(name, None)
            continue
        try:
            params[name] = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            raise _Refusal(400, f"the {name} parameter is not valid JSON: {error}") from None
    return params


def _read_params(params: Any) -> GraphQLRequest:
    if not isinstance(params, dict):
        raise _Refusal(
            400, "the request must be a JSON object (batched requests are not supported)"
        )
    query = params.get("query")
    document_id = params.get("documentId")
    if document_id is not None and not isinstance(document_id, str):
        raise _Refusal(400, "documentId must be a string")
    extensions_given = params.get("extensions")
    persisted = isinstance(extensions_given, dict) and "persistedQuery" in extensions_given
    if query is None and document_id is None and not persisted:
        raise _Refusal(400, "the request has no query")
    if query is not None and not isinstance(query, str):
        raise _Refusal(400, "query must be a string")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _Refusal(400, "operationName must be a string")
    variables = params.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise _Refusal(400, "variables must be an object")
    extensions = params.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise _Refusal(400, "extensions must be an object")
    return GraphQLRequest(
        query=query,
        operation_name=operation_name,
        variables=variables,
        extensions=extensions,
        document_id=document_id,
    )


def _json_answer(
    body: Any, status: int, media_type: str, headers: Mapping[str, str] | None = None
) -> _Answer:
    return _Answer(status, orjson.dumps(body), f"{media_type}; charset=utf-8", headers or {})


def _json(
    body: Any, status: int, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    answer = _json_answer(body, status, media_type, headers)
    return Response(
        answer.body,
        status_code=answer.status,
        headers=dict(answer.headers),
        media_type=answer.content_type,
    )


# --- The city portal (server.portal): static files at /portal/ -----------------------------

PORTAL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""The portal loads nothing from elsewhere and talks only to this gateway."""

_PORTAL_HEADERS = (
    (b"content-security-policy", PORTAL_CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    # Revalidated on every load (ETag), so a new portal version shows at once.
    (b"cache-control", b"no-cache"),
)


def _portal_routes(directory: str) -> list[BaseRoute]:
    """``/portal/`` serving ``directory`` (``index.html`` for folders) with safe headers."""

    async def to_portal(request: Request) -> Response:
        return RedirectResponse("/portal/", status_code=308)

    files = _PortalHeaders(StaticFiles(directory=directory, html=True))
    return [Route("/portal", to_portal, methods=["GET", "HEAD"]), Mount("/portal", app=files)]


class _PortalHeaders:
    """Adds the portal's security and caching headers to every answer of ``app``."""

    def __init__(self, app: StaticFiles) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_PORTAL_HEADERS]
            await send(message)

        await self._app(scope, receive, send_with_headers)
