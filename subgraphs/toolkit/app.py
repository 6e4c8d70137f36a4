"""The app factory: a strawberry federation schema served as an ASGI (Starlette) app.

Routes: ``/graphql`` (GET and POST; what the gateway calls) and ``/health`` (liveness,
``200 {"status": "pass"}``). Every error leaves as JSON in the GraphQL shape, without a
traceback: upstream failures keep their message and gain ``extensions.code`` (see
:mod:`subgraphs.toolkit.errors`); any other exception in a resolver is answered as
``INTERNAL_SERVER_ERROR``. Failures are logged to ``simpul.subgraph`` by code and path,
never with the document or its values (:mod:`.error_log`).

Before a document runs it is checked against the app's :class:`~.limits.SubgraphLimits`
(depth, aliases, tokens, estimated cost; :mod:`.limits`). A caller that leaves before its
answer (the gateway giving up at its timeout) cancels the work: once the request's body
has been read, the view watches for the ASGI ``http.disconnect`` and cancels the task
running the request, and with it the resolvers and the batch fetches of its loaders,
which see :class:`asyncio.CancelledError` in the adapter they were awaiting. The same
happens when the time the gateway said it waits (``simpul-deadline-ms``) has passed, so
that no upstream keeps working on an answer nobody will read (a proxy between the two may
keep the connection open).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any, Protocol

import strawberry
from cross_web import AsyncHTTPRequestAdapter
from cross_web import HTTPException as StrawberryHTTPException
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult, SubscriptionExecutionResult

from gateway.access.call_token import CALL_HEADER, CallVerifier, InvalidCall, VerifiedCall

from . import tracing
from .access_record import AccessRecord
from .context import SubgraphContext
from .error_log import bug_report, log_refusal
from .errors import SubgraphErrorCode, UpstreamError
from .limits import LimitExceeded, OperationGuard, SubgraphLimits
from .schema import FEDERATION_VERSION
from .trust import GatewayTrust

__all__ = ["Closeable", "SubgraphView", "create_app", "error_response", "format_error"]

log = logging.getLogger("simpul.subgraph")

MAX_FEDERATION_VERSION = tuple(int(part) for part in FEDERATION_VERSION.split("."))
INTERNAL_MESSAGE = "Internal server error."


class Closeable(Protocol):
    """Something holding connections to close when the app stops (every adapter)."""

    async def aclose(self) -> None:
        """Release the connections."""
        ...


def format_error(error: GraphQLError) -> dict[str, Any]:
    """One GraphQL error as sent to the gateway: upstream failures by their code, bugs
    masked. Errors the resolver raised as ``GraphQLError`` and validation errors pass as
    they are."""
    formatted: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return formatted
    if isinstance(original, UpstreamError):
        formatted["message"] = original.message
        formatted["extensions"] = {
            **(formatted.get("extensions") or {}),
            "code": original.code.value,
            "upstream": original.upstream,
        }
        return formatted
    # A bug, or a library's message that may name hosts, files or SQL: not sent. The
    # schema has logged its class and traceback (error_log).
    formatted["message"] = INTERNAL_MESSAGE
    formatted["extensions"] = {"code": SubgraphErrorCode.INTERNAL_SERVER_ERROR.value}
    return formatted


def error_response(status: int, message: str, code: SubgraphErrorCode) -> JSONResponse:
    """A non-GraphQL failure (bad request, unknown path, crash) in the GraphQL error shape."""
    body = {"errors": [{"message": message, "extensions": {"code": code.value}}]}
    return JSONResponse(body, status_code=status)


class SubgraphView(GraphQL[SubgraphContext, None]):
    """strawberry's ASGI view with the toolkit's context (``source`` in every request's),
    error handling and limits; the work of a request is cancelled when its caller leaves."""

    def __init__(
        self,
        schema: strawberry.federation.Schema,
        *,
        source: Closeable | None = None,
        limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
        access_record: AccessRecord | None = None,
        **options: Any,
    ) -> None:
        super().__init__(schema, **options)
        self.guard = OperationGuard(schema, limits)
        self.source = source
        self.access_record = access_record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        body_read = asyncio.Event()

        async def receive_body() -> Message:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_read.set()
            return message

        work = asyncio.create_task(self._respond(scope, receive_body))
        watch = asyncio.create_task(_cancel_when_gone(receive, body_read, work))
        seconds = _deadline(scope)
        expired = asyncio.Event()

        def expire() -> None:
            expired.set()
            work.cancel()

        expiry = (
            asyncio.get_running_loop().call_later(seconds, expire) if seconds is not None else None
        )
        try:
            response = await work
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise
            if watch.done() and not watch.cancelled() and watch.result():
                # nobody waits for an answer: nothing to send, nothing to report as an error
                log.info("caller left: cancelled")
                return
            if not expired.is_set():
                raise
            log.info("the gateway's deadline passed: cancelled")
            response = error_response(
                504,
                f"Not answered within the gateway's deadline ({seconds or 0:g} s).",
                SubgraphErrorCode.DEADLINE_EXCEEDED,
            )
        finally:
            if expiry is not None:
                expiry.cancel()
            watch.cancel()
            with suppress(asyncio.CancelledError):
                await watch
        await response(scope, receive, send)

    async def _respond(self, scope: Scope, receive: Receive) -> Response:
        try:
            return await self.run(Request(scope, receive))
        except StrawberryHTTPException as error:
            # strawberry answers malformed requests in plain text; clients expect JSON
            return error_response(error.status_code, error.reason, _code_for(error))
        except LimitExceeded as refusal:
            log_refusal(refusal.code.value)
            return JSONResponse({"errors": [refusal.as_error()]})
        except asyncio.CancelledError:
            context = scope.get("state", {}).get(_CONTEXT_STATE)
            if isinstance(context, SubgraphContext):
                context.cancel_batches()
            raise

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: SubgraphContext,
        root_value: None,
        sub_response: Response,
    ) -> ExecutionResult | list[ExecutionResult] | SubscriptionExecutionResult:
        """Refuse a document over the limits before strawberry parses it for itself."""
        for data in request_data if isinstance(request_data, list) else [request_data]:
            self.guard.check(data.query, data.variables, data.operation_name)
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> SubgraphContext:
        """A fresh context, with the app's adapter and no loaders yet, for each request."""
        state = request.scope.setdefault("state", {})
        call = state.get(_CALL_STATE)
        context = SubgraphContext(
            request if isinstance(request, Request) else None,
            response if isinstance(response, Response) else None,
            source=self.source,
            call=call if isinstance(call, VerifiedCall) else None,
            access_record=self.access_record,
        )
        state[_CONTEXT_STATE] = context
        return context

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """The JSON body for ``result``, errors formatted by :func:`format_error`."""
        body: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            body["errors"] = [format_error(error) for error in result.errors]
        if result.extensions:
            body["extensions"] = result.extensions
        return body


def create_app(
    schema: strawberry.federation.Schema,
    *,
    trust: GatewayTrust,
    source: Closeable | None = None,
    graphiql: bool = False,
    limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
    access_record: AccessRecord | None = None,
) -> Starlette:
    """Serve ``schema`` as a subgraph: ``/graphql`` and ``/health``.

    ``trust`` says which calls ``/graphql`` serves: those the gateway signed
    (:meth:`GatewayTrust.from_environment`), or any (:meth:`GatewayTrust.unsigned`, for
    tests). ``source`` is the OPD's adapter to its legacy system: every request's context
    carries it, where resolvers and the fetches of :class:`~.loaders.BatchLoader` take it
    with :func:`~.context.source_of`, and it is closed when the app shuts down (``None``
    for a schema that reads nothing). ``graphiql`` serves the GraphiQL IDE on a browser's
    GET of ``/graphql``, for local development; the gateway is the place clients explore
    the graph. ``limits`` bound what one call may ask (depth, aliases, tokens, estimated
    cost; :mod:`.limits`).
    ``access_record`` is where resolvers record their own processing of personal data
    (:mod:`.access_record`); it is closed with the app.
    """
    if not isinstance(schema, strawberry.federation.Schema):
        raise TypeError("create_app needs a strawberry.federation.Schema (see subgraph_schema)")
    if schema.federation_version > MAX_FEDERATION_VERSION:
        raise ValueError(
            f"federation_version must be at most {FEDERATION_VERSION}: "
            "the reference composer does not accept newer ones"
        )
    view = SubgraphView(
        schema,
        source=source,
        limits=limits,
        graphql_ide="graphiql" if graphiql else None,
        access_record=access_record,
    )
    resources: list[Closeable] = [r for r in (source, access_record) if r is not None]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            for resource in resources:
                try:
                    await resource.aclose()
                except Exception:  # one failing close must not keep the others open
                    log.exception("closing %r failed", resource)

    endpoint: ASGIApp = view if trust.verifier is None else _SignedOnly(view, trust.verifier)
    if tracing.tracer() is not None:
        endpoint = _Traced(endpoint)
    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            Route("/health", _health, methods=["GET"]),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _crash},
        lifespan=lifespan,
    )


_CALL_STATE = "simpul_call"
_CONTEXT_STATE = "simpul_context"
MAX_BODY = 8 * 1024 * 1024


class _Traced:
    """Each request in a ``subgraph.request`` span continuing the caller's trace
    (:mod:`.tracing`); only in the app when tracing is on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in (b"traceparent", b"tracestate")
        }
        attributes = {"http.request.method": scope.get("method", ""), "url.path": scope["path"]}
        with tracing.request_span(headers, attributes) as span:

            async def send_traced(message: Message) -> None:
                if span is not None and message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                await send(message)

            await self.app(scope, receive, send_traced)


class _SignedOnly:
    """``/graphql`` for calls the gateway signed: anything else is answered 401 unread."""

    def __init__(self, app: ASGIApp, verifier: CallVerifier) -> None:
        self._app = app
        self._verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        try:
            if scope["method"] != "POST":
                raise InvalidCall("the gateway calls with POST")
            body = await _read_body(receive)
            token = next(
                (v.decode("latin-1") for k, v in scope["headers"] if k == CALL_HEADER.encode()),
                None,
            )
            call = self._verifier.verify(token, body)
        except InvalidCall as refusal:
            # a client probing the port: worth a line, never its request
            log.info("refused a call to %s: %s", scope.get("path", ""), refusal)
            response = error_response(401, str(refusal), SubgraphErrorCode.UNAUTHENTICATED)
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})[_CALL_STATE] = call
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self._app(scope, replay, send)


MAX_DEADLINE = 600.0
"""The longest deadline honoured (s): a larger header value is read as this."""


def _deadline(scope: Scope) -> float | None:
    """Seconds the gateway waits for this call (``simpul-deadline-ms``); ``None`` when it
    did not say, or said something that is not a positive number of milliseconds."""
    for name, value in scope.get("headers", ()):
        if name == b"simpul-deadline-ms":
            text = value.decode("latin-1").strip()
            if text.isdigit() and int(text) > 0:
                return min(int(text) / 1000, MAX_DEADLINE)
            return None
    return None


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise InvalidCall("the caller left before its body ended")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise InvalidCall("the body is larger than any call the gateway sends")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _cancel_when_gone(
    receive: Receive, body_read: asyncio.Event, work: asyncio.Task[Any]
) -> bool:
    """Once the body is read, wait for the caller to leave and cancel ``work``; ``True``
    if it did. Nothing else reads the request's messages by then."""
    await body_read.wait()
    message = await receive()
    if message["type"] != "http.disconnect":
        return False  # not a server that says so: stop watching rather than guess
    work.cancel()
    return True


async def _health(request: Request) -> Response:
    return JSONResponse({"status": "pass"})


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    code = {
        404: SubgraphErrorCode.NOT_FOUND,
        405: SubgraphErrorCode.METHOD_NOT_ALLOWED,
    }.get(error.status_code, SubgraphErrorCode.BAD_REQUEST)
    response = error_response(error.status_code, str(error.detail), code)
    if error.headers:
        response.headers.update(error.headers)
    return response


async def _crash(request: Request, error: Exception) -> Response:
    log.error("unhandled error on %s: %s", request.url.path, bug_report(error))
    return error_response(500, INTERNAL_MESSAGE, SubgraphErrorCode.INTERNAL_SERVER_ERROR)


def _code_for(error: StrawberryHTTPException) -> SubgraphErrorCode:
    if error.status_code == 405:
        return SubgraphErrorCode.METHOD_NOT_ALLOWED
    return SubgraphErrorCode.BAD_REQUEST
