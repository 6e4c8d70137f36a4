"""Walk a query plan: call the subgraphs and merge their answers into one tree.

The merged tree is plain dicts and lists keyed by the response keys the plan asked for.
Entity fetches read their representations from it at their ``Flatten`` path, send each
distinct representation once, and merge each answer back into every position it came
from. A failed fetch leaves its fields missing and records errors at the client's path;
the shaping step then nulls what is missing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..access.call_token import CALL_HEADER, CallClaims, CallSigner
from ..cache import Answer, AnswerFreshness, Cached, StaleMark, SubgraphCache, freshness
from ..errors import ErrorCode, TransportError, graphql_error
from ..in_flight import InFlight
from ..planner.plan import (
    Batch,
    Condition,
    Fetch,
    Flatten,
    OutputRewrite,
    Parallel,
    PlanNode,
    Sequence,
)
from ..supergraph.model import Subgraph, SubgraphName
from ..traffic import DEADLINE_HEADER, RETRY_STATUSES, Traffic, TrafficPolicy
from ..transport import Transport
from ..transport.base import cache_control_of, timeout_error
from .batching import CallBatch, Send
from .paths import listed
from .representations import context_batches, target_paths
from .walks import Walks

__all__ = ["ExecutionState", "FetchExecutor"]

logger = logging.getLogger(__name__)

_MAX_ERRORS_PER_FETCH = 100

_CANCELLED = TransportError("the call was cancelled")
"""What a call cancelled on its way (its request was) counts as for its subgraph's gate."""


@dataclass(slots=True)
class ExecutionState:
    """What one request accumulates while its plan runs."""

    variables: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    """Headers every call carries (``engine.forward_headers``, the request id)."""
    client_headers: Mapping[str, str] = field(default_factory=dict)
    """The client's headers that subgraphs' header rules read."""
    claims: CallClaims = field(default_factory=CallClaims)
    """Who the request is for, as the signed subgraph calls say."""
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0
    recorded: bool = False
    """The request processes personal data: each of its subgraph calls is its own (never
    shared with another request's), and the subgraphs called are noted."""
    subgraphs: set[str] = field(default_factory=set)
    """The subgraphs called, when ``recorded``."""
    deadline: float | None = None
    """The traffic clock's reading by which every subgraph call must be answered (the
    request's deadline); ``None``: each call has only its own timeout."""
    absent: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    """Objects a subgraph answered null for, without an error (by ``id``): the subgraph
    and the representation, to name them if a non-null field of the object stays null."""
    stale: list[dict[str, Any]] = field(default_factory=list)
    """What the cache answered for a subgraph that could not: ``extensions.stale``."""
    freshness: AnswerFreshness = field(default_factory=AnswerFreshness)
    """How long the answer may be kept, from every subgraph answer and cached one in it."""
    walks: Walks = field(default_factory=Walks)
    """The objects each entity fetch's path led to, for the next fetch at that path."""


def _headers(policy: TrafficPolicy, state: ExecutionState) -> dict[str, str]:
    """The headers a call of this request carries by its subgraph's header rules."""
    rules = policy.headers
    return rules.apply(state.client_headers, state.headers) if rules else dict(state.headers)


def _stale_entry(fetch: Fetch, path: list[str | int], mark: StaleMark) -> dict[str, Any]:
    """One ``extensions.stale`` entry: the object or field the cache answered, from which
    subgraph, how many seconds old, and why the subgraph's own answer was not there."""
    return {"path": path, "service": fetch.service, "age": mark.age, "code": mark.code}


def _rename(node: Any, rewrite: OutputRewrite, depth: int) -> None:
    if isinstance(node, list):
        for item in node:
            _rename(item, rewrite, depth)
        return
    if not isinstance(node, dict):
        return
    if depth < len(rewrite.path):
        _rename(node.get(rewrite.path[depth]), rewrite, depth + 1)
        return
    if rewrite.alias in node and (
        rewrite.type_condition is None or node.get("__typename") == rewrite.type_condition
    ):
        node[rewrite.key] = _merged(node.get(rewrite.key), node.pop(rewrite.alias))


def _apply_rewrites(data: Any, rewrites: tuple[OutputRewrite, ...]) -> None:
    for rewrite in rewrites:
        _rename(data, rewrite, 0)


def _merged(current: Any, value: Any) -> Any:
    """``value`` merged into ``current``: objects key by key, same-length lists item by item."""
    if isinstance(value, dict) and isinstance(current, dict):
        _deep_merge(current, value)
        return current
    if isinstance(value, list) and isinstance(current, list) and len(value) == len(current):
        for index, item in enumerate(value):
            current[index] = _merged(current[index], item)
        return current
    return value


def _deep_merge(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    for key, value in source.items():
        current = target.get(key)
        # most keys are new: the value is taken as is, as _merged would return it
        target[key] = value if current is None else _merged(current, value)


class FetchExecutor:
    """Runs plans against the subgraphs through one :class:`Transport`."""

    def __init__(
        self,
        subgraphs: Mapping[SubgraphName, Subgraph],
        transport: Transport,
        timeout: float = 30.0,
        *,
        dedup: bool = False,
        signer: CallSigner | None = None,
        traffic: Traffic | None = None,
        cache: SubgraphCache | None = None,
    ):
        """``timeout`` bounds a call to a subgraph ``traffic`` gives no timeout of its own;
        ``cache`` keeps the answers subgraphs allow, and serves them stale when they fail."""
        self.traffic = traffic or Traffic(TrafficPolicy(timeout=timeout))
        self.urls = {sg.name: self.traffic.url(sg.name, sg.url) for sg in subgraphs.values()}
        self.dedup = dedup
        self.signer = signer
        self._in_flight: InFlight[tuple[object, ...], bytes] = InFlight()
        self.transport = transport
        self.cache = cache

    async def run(self, node: PlanNode | None, state: ExecutionState) -> None:
        """Execute a plan node, merging results into ``state.data``."""
        if node is None:
            return
        if isinstance(node, Sequence):
            for child in node.nodes:
                await self.run(child, state)
        elif isinstance(node, Parallel):
            await asyncio.gather(*(self.run(child, state) for child in node.nodes))
        elif isinstance(node, Condition):
            branch = node.if_clause if state.variables.get(node.variable) else node.else_clause
            await self.run(branch, state)
        elif isinstance(node, Flatten):
            await self._entity_fetch(node.path, node.node, state)
        elif isinstance(node, Batch):
            batch = CallBatch(node, lambda fetch, variables: self._call(fetch, variables, state))
            await asyncio.gather(
                *(self._part(part, index, batch, state) for index, part in enumerate(node.parts))
            )
        else:
            await self._root_fetch(node, state)

    async def _part(
        self, node: PlanNode, index: int, batch: CallBatch, state: ExecutionState
    ) -> None:
        """One part of a batch: its call goes with the others' (see :class:`CallBatch`)."""
        try:
            while isinstance(node, Condition):
                found = node.if_clause if state.variables.get(node.variable) else node.else_clause
                if found is None:
                    return
                node = found
            assert isinstance(node, Flatten)

            def send(
                fetch: Fetch, variables: Mapping[str, Any]
            ) -> Awaitable[Answer | TransportError]:
                return batch.call(index, fetch, variables)

            await self._entity_fetch(node.path, node.node, state, send)
        finally:
            await batch.finished(index)

    async def _root_fetch(self, fetch: Fetch, state: ExecutionState) -> None:
        variables = {n: state.variables[n] for n in fetch.variable_usages if n in state.variables}
        response = await self._cached_root(fetch, variables, state)
        if isinstance(response, TransportError):
            for key in fetch.response_keys or ("",):
                state.errors.append(self._failure(fetch, response, (key,) if key else ()))
            return
        data, errors = response
        for error in errors:
            path = error.get("path")
            if not path and fetch.response_keys:
                path = [fetch.response_keys[0]]
            state.errors.append(self._subgraph_error(fetch, error, path))
        if isinstance(data, dict):
            _apply_rewrites(data, fetch.output_rewrites)
            _deep_merge(state.data, data)
            state.walks.merged((), (data,))

    async def _entity_fetch(
        self,
        path: tuple[str, ...],
        fetch: Fetch,
        state: ExecutionState,
        send: Send | None = None,
    ) -> None:
        assert fetch.requires is not None
        targets, representations, positions = state.walks.gather(state.data, path, fetch.requires)
        if not representations:
            return
        variables: dict[str, Any] = {}
        for name in fetch.variable_usages:
            if name in state.variables:
                variables[name] = state.variables[name]
        if not fetch.contexts:
            await self._entities(
                path, fetch, state, targets, representations, positions, variables, send
            )
            return
        # contextual arguments: one call per set of values the objects' ancestors give
        batches = context_batches(state.data, path, fetch.contexts, representations, positions)
        await asyncio.gather(
            *(
                self._entities(path, fetch, state, targets, reps, where, {**variables, **values})
                for values, reps, where in batches
            )
        )

    async def _entities(
        self,
        path: tuple[str, ...],
        fetch: Fetch,
        state: ExecutionState,
        targets: list[dict[str, Any]],
        representations: list[dict[str, Any]],
        positions: list[list[int]],
        variables: dict[str, Any],
        send: Send | None = None,
    ) -> None:
        """One ``_entities`` call for ``representations``, merged into their targets."""
        variables = {"representations": representations, **variables}
        response = await self._cached_entities(path, fetch, state, positions, variables, send)
        if isinstance(response, TransportError):
            first = fetch.response_keys[:1]
            paths = target_paths(state.data, path)
            represented = sorted(number for group in positions for number in group)
            for number in represented[:_MAX_ERRORS_PER_FETCH]:
                at = (*listed(paths[number]), *first)
                state.errors.append(self._failure(fetch, response, at))
            return
        data, errors = response
        entities = data.get("_entities") if isinstance(data, dict) else None
        if not isinstance(entities, list) or len(entities) != len(representations):
            if entities is not None or not errors:
                state.errors.append(
                    graphql_error(
                        f"subgraph '{fetch.service}' answered {len(entities or [])} entities "
                        f"for {len(representations)} representations",
                        ErrorCode.INVALID_SUBGRAPH_RESPONSE,
                        path=listed(target_paths(state.data, path)[positions[0][0]]),
                        service=fetch.service,
                    )
                )
            entities = [None] * len(representations)
        _apply_rewrites(entities, fetch.output_rewrites)
        answered = not errors or any(e is not None for e in entities)
        for index, entity in enumerate(entities):
            if entity is None and answered:
                for number in positions[index]:
                    state.absent[id(targets[number])] = (fetch.service, representations[index])
            if isinstance(entity, dict):
                where = positions[index]
                # a value that is no object or list replaces what a target holds, as the
                # deep merge would: an entity of such values merges into many by update
                plain = len(where) > 1 and not any(
                    isinstance(value, (dict, list)) for value in entity.values()
                )
                for number in where:
                    target = targets[number]
                    # an entity fetch nearly always brings only fields the target lacks
                    if plain or target.keys().isdisjoint(entity):
                        target.update(entity)
                    else:
                        _deep_merge(target, entity)
        state.walks.merged(path, entities)
        if errors:
            paths = target_paths(state.data, path)
        for error in errors:
            error_path = error.get("path")
            if (
                isinstance(error_path, list)
                and len(error_path) >= 2
                and error_path[0] == "_entities"
                and isinstance(error_path[1], int)
                and 0 <= error_path[1] < len(positions)
            ):
                # the entity may sit at several places in the response: report each
                for number in positions[error_path[1]][:_MAX_ERRORS_PER_FETCH]:
                    client_path = [*listed(paths[number]), *error_path[2:]]
                    state.errors.append(self._subgraph_error(fetch, error, client_path))
            else:
                client_path = [*listed(paths[positions[0][0]]), *fetch.response_keys[:1]]
                state.errors.append(self._subgraph_error(fetch, error, client_path))

    def _caches(self, fetch: Fetch, state: ExecutionState) -> SubgraphCache | None:
        """The cache for this fetch: never for a mutation, nor for a request processing
        personal data (neither kept nor answered from the cache: each such answer is the
        subgraph's own, and recorded)."""
        if self.cache is None or fetch.operation_kind != "query" or state.recorded:
            return None
        return self.cache

    async def _cached_root(
        self, fetch: Fetch, variables: Mapping[str, Any], state: ExecutionState
    ) -> tuple[Any, list[dict[str, Any]]] | TransportError:
        """A root fetch's (data, errors), through the cache when it applies."""
        cache = self._caches(fetch, state)
        if cache is None:
            return await self._uncached(fetch, variables, state)
        cached = await cache.root(
            fetch.service,
            fetch.operation,
            variables,
            state.claims.client or "",
            lambda: self._call(fetch, variables, state),
        )
        for mark in cached.stale:
            for key in fetch.response_keys:
                state.stale.append(_stale_entry(fetch, [key], mark))
        if cached.kept is not None:
            state.freshness.add(cached.kept)
        return cached.response

    async def _cached_entities(
        self,
        path: tuple[str, ...],
        fetch: Fetch,
        state: ExecutionState,
        positions: list[list[int]],
        variables: dict[str, Any],
        send: Send | None = None,
    ) -> tuple[Any, list[dict[str, Any]]] | TransportError:
        """An ``_entities`` fetch's (data, errors), through the cache when it applies: the
        subgraph is asked only for the representations not fresh in it (by ``send``, when
        the fetch's call goes with others)."""
        cache = self._caches(fetch, state)
        if cache is None:
            return await self._uncached(fetch, variables, state, send)

        def call(representations: list[dict[str, Any]]) -> Awaitable[Answer | TransportError]:
            asked = {**variables, "representations": representations}
            return send(fetch, asked) if send else self._call(fetch, asked, state)

        def failed(error: TransportError, index: int) -> dict[str, Any]:
            return self._failure(fetch, error, ("_entities", index))

        cached: Cached = await cache.entities(
            fetch.service, fetch.operation, variables, state.claims.client or "", call, failed
        )
        if cached.stale:
            paths = target_paths(state.data, path)
            for mark in cached.stale:
                for number in positions[mark.index][:_MAX_ERRORS_PER_FETCH]:
                    state.stale.append(_stale_entry(fetch, [*listed(paths[number])], mark))
        if cached.kept is not None:
            state.freshness.add(cached.kept)
        return cached.response

    async def _uncached(
        self,
        fetch: Fetch,
        variables: Mapping[str, Any],
        state: ExecutionState,
        send: Send | None = None,
    ) -> tuple[Any, list[dict[str, Any]]] | TransportError:
        response = await (send(fetch, variables) if send else self._call(fetch, variables, state))
        return response if isinstance(response, TransportError) else response[:2]

    async def _call(
        self, fetch: Fetch, variables: Mapping[str, Any], state: ExecutionState
    ) -> Answer | TransportError:
        """Send one fetch as its subgraph's traffic policy says; return (data, errors,
        Cache-Control), or the failure that prevented an answer."""
        body: dict[str, Any] = {"query": fetch.operation, "variables": variables}
        if fetch.operation_name:
            body["operationName"] = fetch.operation_name
        payload = orjson.dumps(body)
        gate = self.traffic.gate(fetch.service)
        refused = gate.enter()
        if refused is not None:
            return refused
        failure: TransportError | None = _CANCELLED  # until the call ends otherwise
        try:
            headers = _headers(gate.policy, state)
            if self.dedup and fetch.operation_kind == "query" and not state.recorded:
                raw = await self._shared_send(fetch, payload, headers, gate.policy, state)
            else:
                raw = await self._send(fetch, payload, headers, gate.policy, state)
            failure = None
        except TransportError as error:
            logger.warning("subgraph %s failed: %s", fetch.service, error.message)
            failure = error
            return error
        except Exception as error:  # a broken transport must not take the request down
            logger.exception("subgraph %s: transport failed", fetch.service)
            failure = TransportError(f"transport failed: {type(error).__name__}")
            return failure
        finally:
            gate.leave(failure)
        try:
            # a view: orjson reads only exact bytes, and a transport's Body subclasses them
            answer = orjson.loads(memoryview(raw))
        except orjson.JSONDecodeError:
            return TransportError("answered a body that is not JSON")
        if not isinstance(answer, dict) or ("data" not in answer and "errors" not in answer):
            return TransportError(
                "answered JSON that is not a GraphQL response", ErrorCode.INVALID_SUBGRAPH_RESPONSE
            )
        errors = answer.get("errors") or []
        if not isinstance(errors, list):
            errors = []
        cache_control = cache_control_of(raw)
        state.freshness.add(freshness(cache_control))
        return (answer.get("data"), [e for e in errors if isinstance(e, dict)], cache_control)

    async def probe(self, service: str) -> bool:
        """Ask ``service`` for ``{ __typename }`` as any call goes (its breaker, its
        timeout, signed): whether it answered."""
        fetch = Fetch(
            service=SubgraphName(service),
            operation="{__typename}",
            operation_kind="query",
            variable_usages=(),
            requires=None,
            selection_text="{ __typename }",
        )
        return not isinstance(
            await self._call(fetch, {}, ExecutionState(variables={})), TransportError
        )

    async def _send(
        self,
        fetch: Fetch,
        payload: bytes,
        headers: Mapping[str, str],
        policy: TrafficPolicy,
        state: ExecutionState,
    ) -> bytes:
        """POST the fetch with ``headers`` (its header rules'), sending a query again when
        the subgraph did not handle it (the policy's retries, within the request's
        deadline); a mutation goes once."""
        url = self.urls[fetch.service]
        retries = policy.retries if fetch.operation_kind == "query" else 0
        attempt = 0
        while True:
            timeout = policy.timeout
            if state.deadline is not None:
                timeout = min(timeout, state.deadline - self.traffic.clock())
                if timeout <= 0:
                    raise timeout_error(url, 0)
            state.calls += 1
            if state.recorded:
                state.subgraphs.add(fetch.service)
            try:
                # the transport bounds the call by the timeout (see Transport)
                signed = self._signed(fetch.service, payload, timeout, state, headers)
                return await self.transport.post(url, payload, signed, timeout)
            except TimeoutError:
                raise timeout_error(url, timeout) from None
            except TransportError as error:
                lost = error.code is ErrorCode.SUBREQUEST_HTTP_ERROR and error.status is None
                if attempt >= retries or not (lost or error.status in RETRY_STATUSES):
                    raise
                attempt += 1
                # a lost keep-alive connection is tried again at once; a struggling server
                # (502, 503, 504) is given a pause first
                pause = 0.0 if lost else policy.pause(attempt)
                logger.info(
                    "subgraph %s: retry %d of %d in %.2f s after %s",
                    fetch.service,
                    attempt,
                    retries,
                    pause,
                    error.message,
                )
                if pause:
                    await asyncio.sleep(pause)

    def _signed(
        self,
        service: str,
        payload: bytes,
        timeout: float,
        state: ExecutionState,
        headers: Mapping[str, str],
    ) -> Mapping[str, str]:
        """One attempt's headers: ``headers``, how long the gateway waits for it, and the
        gateway's signature when calls are signed (each attempt signs anew: a token is
        accepted once)."""
        signed = {**headers, DEADLINE_HEADER: str(max(1, int(timeout * 1000)))}
        if self.signer is not None:
            signed[CALL_HEADER] = self.signer.token(service, payload, state.claims)
        return signed

    async def _shared_send(
        self,
        fetch: Fetch,
        payload: bytes,
        headers: Mapping[str, str],
        policy: TrafficPolicy,
        state: ExecutionState,
    ) -> bytes:
        """Send, or join an identical call already in flight (its retries included).

        Waiters share the raw answer, never the parsed one: each request merges and
        mutates its own copy. The request id differs per request and does not count; who
        the request is for does, as the subgraph learns it from the signed call.
        """
        claims = state.claims
        key = (
            self.urls[fetch.service],
            payload,
            tuple(sorted((k, v) for k, v in headers.items() if k != "x-request-id")),
            (claims.client, claims.officer, claims.purpose),
        )
        return await self._in_flight.run(
            key, lambda: self._send(fetch, payload, headers, policy, state)
        )

    @staticmethod
    def _failure(
        fetch: Fetch, error: TransportError, path: tuple[str | int, ...]
    ) -> dict[str, Any]:
        """The client's view of a failed fetch: which subgraph and why, not its address."""
        if error.code is ErrorCode.SUBREQUEST_TIMEOUT:
            reason = "did not answer in time"
        elif error.code is ErrorCode.SUBGRAPH_CIRCUIT_OPEN:
            reason = "is not called for now: its last calls failed"
        elif error.code is ErrorCode.SUBGRAPH_BUSY:
            reason = "had too many calls in flight"
        elif error.status is not None:
            reason = f"answered HTTP {error.status}"
        elif error.message.startswith("answered"):
            reason = error.message
        else:
            reason = "could not be reached"
        return graphql_error(
            f"subgraph '{fetch.service}' {reason}",
            error.code,
            path=path or None,
            service=fetch.service,
        )

    def _subgraph_error(self, fetch: Fetch, error: Mapping[str, Any], path: Any) -> dict[str, Any]:
        message = error.get("message")
        extensions = dict(error.get("extensions") or {})
        extensions.setdefault("code", ErrorCode.DOWNSTREAM_SERVICE_ERROR.value)
        extensions["service"] = fetch.service
        result: dict[str, Any] = {
            "message": message if isinstance(message, str) else "subgraph error"
        }
        if isinstance(path, list) and path:
            result["path"] = path
        result["extensions"] = extensions
        return result
