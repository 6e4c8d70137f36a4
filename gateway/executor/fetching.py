"""Walk a query plan: call the subgraphs and merge their answers into one tree.

The merged tree is plain dicts and lists keyed by the response keys the plan asked for.
Entity fetches read their representations from it at their ``Flatten`` path, send each
distinct representation once, and merge each answer back into every position it came
from. A failed fetch leaves its fields missing and records errors at the client's path;
the shaping step then nulls what is missing.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..errors import ErrorCode, TransportError, graphql_error
from ..in_flight import InFlight
from ..planner.plan import (
    Condition,
    Fetch,
    Flatten,
    InputField,
    InputFragment,
    OutputRewrite,
    Parallel,
    PlanNode,
    Sequence,
)
from ..supergraph.model import Subgraph, SubgraphName
from ..transport import Transport
from .paths import Path, listed

__all__ = ["ExecutionState", "FetchExecutor"]

logger = logging.getLogger(__name__)

_MAX_ERRORS_PER_FETCH = 100


@dataclass(slots=True)
class ExecutionState:
    """What one request accumulates while its plan runs."""

    variables: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0


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


def _targets(data: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    """The objects at a ``Flatten`` path, in response order (the order of :func:`_collect`).

    Walked level by level without their response paths, which only errors need: those
    come from :func:`_target_paths`, whose walk visits the same objects in the same order.
    """
    level: list[Any] = [data]
    for element in path:
        below: list[Any] = []
        if element == "@":
            for node in level:
                if isinstance(node, list):
                    below.extend(node)
        elif element.startswith("|["):
            types = element[2:-1].split(",")
            below = [n for n in level if isinstance(n, dict) and n.get("__typename") in types]
        else:
            for node in level:
                if isinstance(node, dict) and element in node:
                    below.append(node[element])
        level = below
    found: list[dict[str, Any]] = []
    _flattened(level, found)
    return found


def _flattened(nodes: list[Any], out: list[dict[str, Any]]) -> None:
    for node in nodes:
        if isinstance(node, dict):
            out.append(node)
        elif isinstance(node, list):  # a list the plan did not mark (should not happen)
            _flattened(node, out)


def _target_paths(data: Any, path: tuple[str, ...]) -> list[Path]:
    """The response path of each object :func:`_targets` finds, in the same order."""
    found: list[tuple[dict[str, Any], Path]] = []
    _collect(data, path, 0, None, found)
    return [at for _, at in found]


def _collect(
    node: Any, path: tuple[str, ...], index: int, at: Path, out: list[tuple[dict[str, Any], Path]]
) -> None:
    if index == len(path):
        if isinstance(node, dict):
            out.append((node, at))
        elif isinstance(node, list):  # a list the plan did not mark (should not happen)
            for position, item in enumerate(node):
                _collect(item, path, index, (at, position), out)
        return
    element = path[index]
    if element == "@":
        if isinstance(node, list):
            for position, item in enumerate(node):
                _collect(item, path, index + 1, (at, position), out)
    elif element.startswith("|["):
        if isinstance(node, dict) and node.get("__typename") in element[2:-1].split(","):
            _collect(node, path, index + 1, at, out)
    elif isinstance(node, dict) and element in node:
        _collect(node[element], path, index + 1, (at, element), out)


_MISSING = object()


def _project(value: Any, selections: tuple[InputField | InputFragment, ...]) -> Any:
    """Copy the required part of a value into a representation (``_MISSING`` if absent)."""
    if value is None:
        return None
    if isinstance(value, list):
        items = [_project(item, selections) for item in value]
        return _MISSING if any(i is _MISSING for i in items) else items
    if not isinstance(value, dict):
        return _MISSING
    result: dict[str, Any] = {}
    if not _fill(result, value, selections):
        return _MISSING
    return result


def _fill(
    target: dict[str, Any],
    source: Mapping[str, Any],
    selections: tuple[InputField | InputFragment, ...],
) -> bool:
    for selection in selections:
        if isinstance(selection, InputFragment):
            if source.get("__typename") in selection.possible_types and not _fill(
                target, source, selection.selections
            ):
                return False
            continue
        if selection.data_key not in source:
            return False
        value = source[selection.data_key]
        if selection.selections is not None:
            value = _project(value, selection.selections)
            if value is _MISSING:
                return False
        target[selection.name] = value
    return True


def _representation(
    obj: Mapping[str, Any], requires: tuple[InputFragment, ...]
) -> dict[str, Any] | None:
    typename = obj.get("__typename")
    for fragment in requires:
        if typename not in fragment.possible_types:
            continue
        representation: dict[str, Any] = {"__typename": fragment.typename or typename}
        if _fill(representation, obj, fragment.selections):
            return representation
        return None
    return None


_FlatFragment = tuple[frozenset[str], str | None, tuple[tuple[str, str], ...]]


@functools.lru_cache(maxsize=4096)
def _flat_requires(requires: tuple[InputFragment, ...]) -> tuple[_FlatFragment, ...] | None:
    """The requirements as (possible types, typename to send, (name, data key) pairs) when
    every field is a leaf, the common case of keys: ``None`` otherwise."""
    flat = []
    for fragment in requires:
        fields = []
        for selection in fragment.selections:
            if not isinstance(selection, InputField) or selection.selections is not None:
                return None
            fields.append((selection.name, selection.data_key))
        flat.append((fragment.possible_types, fragment.typename, tuple(fields)))
    return tuple(flat)


def _flat_representation(
    obj: Mapping[str, Any], flat: tuple[_FlatFragment, ...]
) -> tuple[dict[str, Any], bytes] | None:
    """What :func:`_representation` builds for leaf-only requirements, and its identity:
    its JSON, in the fixed order of the requirements (so ``1``, ``1.0`` and ``true`` differ)."""
    typename = obj.get("__typename")
    chosen = None
    for fragment in flat:
        if typename in fragment[0]:
            chosen = fragment
            break
    if chosen is None:
        return None
    representation: dict[str, Any] = {"__typename": chosen[1] or typename}
    for name, data_key in chosen[2]:
        value = obj.get(data_key, _MISSING)
        if value is _MISSING:
            return None
        representation[name] = value
    return representation, orjson.dumps(representation)


class FetchExecutor:
    """Runs plans against the subgraphs through one :class:`Transport`."""

    def __init__(
        self,
        subgraphs: Mapping[SubgraphName, Subgraph],
        transport: Transport,
        timeout: float = 30.0,
        *,
        dedup: bool = False,
    ):
        self.urls = {sg.name: sg.url for sg in subgraphs.values()}
        self.dedup = dedup
        self._in_flight: InFlight[tuple[str, bytes, tuple[tuple[str, str], ...]], bytes] = (
            InFlight()
        )
        self.transport = transport
        self.timeout = timeout

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
        else:
            await self._root_fetch(node, state)

    async def _root_fetch(self, fetch: Fetch, state: ExecutionState) -> None:
        variables = {n: state.variables[n] for n in fetch.variable_usages if n in state.variables}
        response = await self._call(fetch, variables, state)
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

    async def _entity_fetch(
        self, path: tuple[str, ...], fetch: Fetch, state: ExecutionState
    ) -> None:
        assert fetch.requires is not None
        targets = _targets(state.data, path)
        representations: list[dict[str, Any]] = []
        # for each representation, the indexes in targets of the objects it stands for
        positions: list[list[int]] = []
        seen: dict[bytes, int] = {}
        represented: list[int] = []
        flat = _flat_requires(fetch.requires)
        for number, obj in enumerate(targets):
            if flat is not None:
                found = _flat_representation(obj, flat)
            else:
                built = _representation(obj, fetch.requires)
                found = (
                    None
                    if built is None
                    else (built, orjson.dumps(built, option=orjson.OPT_SORT_KEYS))
                )
            if found is None:
                continue
            representation, key = found
            index = seen.get(key)
            if index is None:
                index = seen[key] = len(representations)
                representations.append(representation)
                positions.append([])
            positions[index].append(number)
            represented.append(number)
        if not representations:
            return
        variables: dict[str, Any] = {"representations": representations}
        for name in fetch.variable_usages:
            if name in state.variables:
                variables[name] = state.variables[name]
        response = await self._call(fetch, variables, state)
        if isinstance(response, TransportError):
            first = fetch.response_keys[:1]
            paths = _target_paths(state.data, path)
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
                        path=listed(_target_paths(state.data, path)[positions[0][0]]),
                        service=fetch.service,
                    )
                )
            entities = [None] * len(representations)
        _apply_rewrites(entities, fetch.output_rewrites)
        for index, entity in enumerate(entities):
            if isinstance(entity, dict):
                for number in positions[index]:
                    _deep_merge(targets[number], entity)
        if errors:
            paths = _target_paths(state.data, path)
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

    async def _call(
        self, fetch: Fetch, variables: Mapping[str, Any], state: ExecutionState
    ) -> tuple[Any, list[dict[str, Any]]] | TransportError:
        """Send one fetch; return (data, errors), or the failure that prevented an answer."""
        body: dict[str, Any] = {"query": fetch.operation, "variables": variables}
        if fetch.operation_name:
            body["operationName"] = fetch.operation_name
        url = self.urls[fetch.service]
        payload = orjson.dumps(body)
        # a query whose connection failed before any answer is sent once more (a pooled
        # keep-alive connection the subgraph had closed); a mutation never is
        attempts = 2 if fetch.operation_kind == "query" else 1
        try:
            for attempt in range(attempts):
                state.calls += 1
                try:
                    async with asyncio.timeout(self.timeout):
                        if self.dedup and fetch.operation_kind == "query":
                            raw = await self._shared_post(url, payload, state.headers)
                        else:
                            raw = await self.transport.post(
                                url, payload, state.headers, self.timeout
                            )
                    break
                except TransportError as error:
                    connection_lost = (
                        error.code is ErrorCode.SUBREQUEST_HTTP_ERROR and error.status is None
                    )
                    if attempt + 1 < attempts and connection_lost:
                        logger.info("subgraph %s: retrying after %s", fetch.service, error.message)
                        continue
                    raise
        except TransportError as error:
            logger.warning("subgraph %s failed: %s", fetch.service, error.message)
            return error
        except TimeoutError:
            return TransportError("did not answer in time", ErrorCode.SUBREQUEST_TIMEOUT)
        except Exception as error:  # a broken transport must not take the request down
            logger.exception("subgraph %s: transport failed", fetch.service)
            return TransportError(f"transport failed: {type(error).__name__}")
        try:
            payload = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return TransportError("answered a body that is not JSON")
        if not isinstance(payload, dict) or ("data" not in payload and "errors" not in payload):
            return TransportError(
                "answered JSON that is not a GraphQL response", ErrorCode.INVALID_SUBGRAPH_RESPONSE
            )
        errors = payload.get("errors") or []
        if not isinstance(errors, list):
            errors = []
        return payload.get("data"), [e for e in errors if isinstance(e, dict)]

    async def _shared_post(self, url: str, payload: bytes, headers: Mapping[str, str]) -> bytes:
        """POST, or join an identical call already in flight.

        Waiters share the raw answer, never the parsed one: each request merges and
        mutates its own copy. The request id differs per request and does not count.
        """
        key = (
            url,
            payload,
            tuple(sorted((k, v) for k, v in headers.items() if k != "x-request-id")),
        )
        return await self._in_flight.run(
            key, lambda: self.transport.post(url, payload, headers, self.timeout)
        )

    @staticmethod
    def _failure(
        fetch: Fetch, error: TransportError, path: tuple[str | int, ...]
    ) -> dict[str, Any]:
        """The client's view of a failed fetch: which subgraph and why, not its address."""
        if error.code is ErrorCode.SUBREQUEST_TIMEOUT:
            reason = "did not answer in time"
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
