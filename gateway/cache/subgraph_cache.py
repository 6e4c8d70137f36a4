"""Subgraph answers kept as their ``Cache-Control`` allows, and served stale when the
subgraph cannot answer.

The unit kept is one entity of an ``_entities`` fetch (by subgraph, type, representation
and the fetch's selection) or one root fetch's whole answer (by subgraph, operation and
variables). An entity fetch asks the subgraph only for the representations not fresh in the
cache. When the subgraph fails (no answer, an HTTP error, a timeout, an open circuit, or an
answer with errors for an entity or a root fetch), an entry past its ``max-age``
but within its ``stale-if-error`` answers instead, and the request is told which paths are
stale and how old they are.

Keys (under the configured prefix, ``simpul:cache:`` by default)::

    <subgraph>:<Type>:<representation hash>:<selection hash>      an entity
    <subgraph>:Query:<operation and variables hash>               a root fetch
    ...:c:<client hash>                                           a private answer's copy

A ``private`` answer leaves a marker at the shared key saying so, and its value only under
the verified client's key; without a verified client it is not kept. The layout lets an
OPD team drop a subgraph's entries, a type's, or one entity's by prefix
(:meth:`SubgraphCache.invalidate`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ..errors import ErrorCode, TransportError
from .control import Freshness, freshness
from .store import CacheStore

__all__ = ["Answer", "Cached", "StaleMark", "SubgraphCache"]

Answer = tuple[Any, list[dict[str, Any]], str | None]
"""A subgraph's answer: its data, its errors and its ``Cache-Control`` header."""
Call = Callable[[], Awaitable[Answer | TransportError]]
EntitiesCall = Callable[[list[dict[str, Any]]], Awaitable[Answer | TransportError]]
Failed = Callable[[TransportError, int], dict[str, Any]]
Outcomes = Callable[[str, str, int], None]

DEFAULT_PREFIX = "simpul:cache:"
_MAX_UNCACHEABLE = 10_000


@dataclass(frozen=True, slots=True)
class StaleMark:
    """One stale answer: which entity (its index in the fetch; 0 for a root fetch), how
    old, and the failure it stands in for."""

    index: int
    age: int
    code: str


@dataclass(frozen=True, slots=True)
class Cached:
    """A fetch answered through the cache: what the executor would have got from the
    subgraph, and the parts that are stale."""

    response: tuple[Any, list[dict[str, Any]]] | TransportError
    stale: tuple[StaleMark, ...] = ()
    kept: Freshness | None = None
    """What the fresh entries that answered have left (the least of them); ``None``
    when none did. The subgraph's own answer, if it was asked, speaks for itself."""


@dataclass(frozen=True, slots=True)
class _Entry:
    value: Any
    stored_at: float
    max_age: int
    stale_if_error: int
    private: bool = False

    def age(self, now: float) -> int:
        return max(0, int(now - self.stored_at))

    def fresh(self, now: float) -> bool:
        return now - self.stored_at < self.max_age

    def usable_stale(self, now: float) -> bool:
        return now - self.stored_at <= self.max_age + self.stale_if_error

    def left(self, now: float) -> Freshness:
        """The freshness a fresh entry has left, as a cache downstream may keep it."""
        return Freshness(
            int(self.max_age - (now - self.stored_at)), self.stale_if_error, self.private
        )


class SubgraphCache:
    """Entity and root-fetch answers in one :class:`CacheStore`, shared by every request
    (and, in Redis, by every replica)."""

    def __init__(
        self,
        store: CacheStore,
        prefix: str = DEFAULT_PREFIX,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``clock``: wall-clock seconds, so that replicas agree on an entry's age."""
        self.store = store
        self.prefix = prefix
        self.clock = clock
        self.outcomes: Outcomes | None = None
        """Told ``(subgraph, outcome, count)`` for each hit, miss and stale answer."""
        self._uncacheable: set[tuple[str, str]] = set()
        """Fetches (subgraph, operation) last answered without errors and without a
        Cache-Control that keeps anything: not looked up (nothing of them is kept), so a
        graph that caches nothing pays a set lookup per fetch, not a hash per entity."""

    async def root(
        self, service: str, operation: str, variables: Mapping[str, Any], client: str, call: Call
    ) -> Cached:
        """A root fetch's answer: fresh from the cache, else from ``call`` (kept when it
        may be), else stale from the cache when the call failed."""
        if (service, operation) in self._uncacheable:
            return self._learnt(service, operation, await call())
        key = f"{self.prefix}{service}:Query:{_digest(operation, variables)}"
        (entry,) = await self._read([key], client)
        now = self.clock()
        if entry is not None and entry.fresh(now):
            self._count(service, "hit", 1)
            return Cached((entry.value, []), kept=entry.left(now))
        self._count(service, "miss", 1)
        answer = await call()
        self._learn(service, operation, answer)
        failure = _root_failure(answer)
        if failure is not None:
            if entry is not None and entry.usable_stale(now):
                self._count(service, "stale", 1)
                return Cached((entry.value, []), (StaleMark(0, entry.age(now), failure),))
            return Cached(answer if isinstance(answer, TransportError) else answer[:2])
        assert not isinstance(answer, TransportError)
        data, errors, header = answer
        policy = freshness(header)
        if policy is not None and not errors and isinstance(data, dict):
            await self._write({key: data}, policy, client, now)
        return Cached((data, errors))

    async def entities(
        self,
        service: str,
        operation: str,
        variables: Mapping[str, Any],
        client: str,
        call: EntitiesCall,
        failed: Failed,
    ) -> Cached:
        """An ``_entities`` answer for ``variables["representations"]``: the fresh ones
        from the cache, the others from ``call`` (given those representations only) and
        kept when they may be, or stale from the cache when the call failed. ``failed``
        makes the error of an entity neither answered nor cached, when others were."""
        representations: list[dict[str, Any]] = variables["representations"]
        if (service, operation) in self._uncacheable:
            return self._learnt(service, operation, await call(representations))
        others = {name: value for name, value in variables.items() if name != "representations"}
        selection = _digest(operation, others)
        keys = [self._entity_key(service, rep, selection) for rep in representations]
        found = await self._read(keys, client)
        now = self.clock()
        entities: list[Any] = [None] * len(representations)
        missing: list[int] = []
        kept: Freshness | None = None
        for index, entry in enumerate(found):
            if entry is not None and entry.fresh(now):
                entities[index] = entry.value
                left = entry.left(now)
                kept = left if kept is None else kept.stricter(left)
            else:
                missing.append(index)
        self._count(service, "hit", len(representations) - len(missing))
        if not missing:
            return Cached(({"_entities": entities}, []), kept=kept)
        self._count(service, "miss", len(missing))
        answer = await call([representations[i] for i in missing])
        self._learn(service, operation, answer)
        stale: list[StaleMark] = []
        errors: list[dict[str, Any]] = []

        def stand_in(index: int, code: str) -> bool:
            entry = found[index]
            if entry is None or not entry.usable_stale(now):
                return False
            entities[index] = entry.value
            stale.append(StaleMark(index, entry.age(now), code))
            return True

        if isinstance(answer, TransportError):
            unanswered = [i for i in missing if not stand_in(i, answer.code.value)]
            if len(unanswered) == len(representations):
                return Cached(answer)
            errors = [failed(answer, index) for index in unanswered]
        else:
            merged = self._merge(answer, missing, entities, stand_in)
            if merged is None:
                if len(missing) == len(representations):
                    return Cached(answer[:2])  # the executor names the wrong answer
                wrong = TransportError(
                    f"answered a wrong number of entities for {len(missing)} representations",
                    ErrorCode.INVALID_SUBGRAPH_RESPONSE,
                )
                return Cached(
                    ({"_entities": entities}, [failed(wrong, index) for index in missing]),
                    kept=kept,
                )
            errors = merged
            policy = freshness(answer[2])
            if policy is not None and not any(_unplaced(e) for e in errors):
                erred = {_entity_index(e) for e in errors}
                await self._write(
                    {
                        keys[index]: entities[index]
                        for index in missing
                        if index not in erred
                        and isinstance(entities[index], dict)
                        and not any(mark.index == index for mark in stale)
                    },
                    policy,
                    client,
                    now,
                )
        self._count(service, "stale", len(stale))
        return Cached(({"_entities": entities}, errors), tuple(stale), kept)

    async def invalidate(
        self, subgraph: str, type_name: str | None = None, key: Mapping[str, Any] | None = None
    ) -> int:
        """Drop ``subgraph``'s entries: all, of ``type_name`` (``Query``: its root fetches),
        or the one entity whose representation, ``__typename`` aside, is ``key``. Returns
        how many entries went."""
        prefix = f"{self.prefix}{subgraph}:"
        if type_name is not None:
            prefix += f"{type_name}:"
            if key is not None:
                prefix += f"{_representation_digest(key)}:"
        elif key is not None:
            raise ValueError("a key names an entity of one type: give the type as well")
        return await self.store.delete(prefix)

    async def close(self) -> None:
        await self.store.close()

    @staticmethod
    def _merge(
        answer: Answer,
        missing: Sequence[int],
        entities: list[Any],
        stand_in: Callable[[int, str], bool],
    ) -> list[dict[str, Any]] | None:
        """Place the subgraph's entities and errors at their indices among all the
        representations; an entity it answered null with an error is taken stale if it
        can be. Returns the errors left; ``None`` when the answer has no entity list of
        the length asked for."""
        data, errors, _ = answer
        answered = data.get("_entities") if isinstance(data, dict) else None
        if not isinstance(answered, list) or len(answered) != len(missing):
            return None
        for position, index in enumerate(missing):
            entities[index] = answered[position]
        kept: list[dict[str, Any]] = []
        recovered: set[int] = set()
        for error in errors:
            at = _entity_index(error)
            if at is None or at >= len(missing):
                kept.append(error)
                continue
            index = missing[at]
            code = str((error.get("extensions") or {}).get("code") or "DOWNSTREAM_SERVICE_ERROR")
            # the cached entity answered the same selection whole: it replaces one with errors
            if index in recovered or stand_in(index, code):
                recovered.add(index)
                continue
            kept.append({**error, "path": ["_entities", index, *error["path"][2:]]})
        return kept

    def _entity_key(self, service: str, representation: Mapping[str, Any], selection: str) -> str:
        type_name = representation.get("__typename", "")
        digest = _representation_digest(representation)
        return f"{self.prefix}{service}:{type_name}:{digest}:{selection}"

    async def _read(self, keys: list[str], client: str) -> list[_Entry | None]:
        """The entries at ``keys``, a private one read from ``client``'s copy."""
        raw = await self.store.get(keys)
        entries: list[_Entry | None] = [None] * len(keys)
        private: list[int] = []
        for index, value in enumerate(raw):
            document = _decoded(value)
            if document is None:
                continue
            if document.get("p"):
                if client:
                    private.append(index)
                continue
            entries[index] = _entry(document)
        if private:
            own = await self.store.get([_private_key(keys[i], client) for i in private])
            for index, value in zip(private, own, strict=True):
                document = _decoded(value)
                entries[index] = _entry(document, private=True) if document is not None else None
        return entries

    async def _write(
        self, values: Mapping[str, Any], policy: Freshness, client: str, now: float
    ) -> None:
        if not values:
            return
        head = {"t": now, "m": policy.max_age, "s": policy.stale_if_error}
        if not policy.private:
            await self.store.put(
                {key: orjson.dumps({**head, "v": value}) for key, value in values.items()},
                policy.lifetime,
            )
            return
        if not client:
            return  # a private answer with nobody to keep it for is not kept
        marker = orjson.dumps({**head, "p": 1})
        entries: dict[str, bytes] = {}
        for key, value in values.items():
            entries[key] = marker
            entries[_private_key(key, client)] = orjson.dumps({**head, "v": value})
        await self.store.put(entries, policy.lifetime)

    def _learn(self, service: str, operation: str, answer: Answer | TransportError) -> None:
        """Note whether ``operation``'s answers are worth looking up: not while they come
        whole and without a Cache-Control that keeps them (one with errors says nothing:
        the kept answers must stay reachable while the subgraph fails)."""
        if isinstance(answer, TransportError):
            return
        fetch = (service, operation)
        if freshness(answer[2]) is not None:
            self._uncacheable.discard(fetch)
        elif not answer[1]:
            if len(self._uncacheable) >= _MAX_UNCACHEABLE:
                self._uncacheable.clear()
            self._uncacheable.add(fetch)

    def _learnt(self, service: str, operation: str, answer: Answer | TransportError) -> Cached:
        """The answer of a fetch not looked up; it is kept from the next one on if it says
        it may be."""
        self._learn(service, operation, answer)
        return Cached(answer if isinstance(answer, TransportError) else answer[:2])

    def _count(self, service: str, outcome: str, count: int) -> None:
        if count and self.outcomes is not None:
            self.outcomes(service, outcome, count)


def _root_failure(answer: Answer | TransportError) -> str | None:
    """The code of the failure a stale root answer may stand in for, if ``answer`` is one:
    no answer, or an answer with errors."""
    if isinstance(answer, TransportError):
        return answer.code.value
    errors = answer[1]
    if errors:
        # a kept answer is whole and without errors: better than one with fields missing
        code = (errors[0].get("extensions") or {}).get("code")
        return str(code or "DOWNSTREAM_SERVICE_ERROR")
    return None


def _entity_index(error: Mapping[str, Any]) -> int | None:
    path = error.get("path")
    if isinstance(path, list) and len(path) >= 2 and path[0] == "_entities":
        index = path[1]
        if isinstance(index, int) and index >= 0:
            return index
    return None


def _unplaced(error: Mapping[str, Any]) -> bool:
    return _entity_index(error) is None


def _digest(operation: str, variables: Mapping[str, Any]) -> str:
    text = operation.encode() + b"\0" + orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(text).hexdigest()[:32]


def _representation_digest(representation: Mapping[str, Any]) -> str:
    fields = {k: v for k, v in representation.items() if k != "__typename"}
    return hashlib.sha256(orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def _private_key(key: str, client: str) -> str:
    return f"{key}:c:{hashlib.sha256(client.encode()).hexdigest()[:32]}"


def _decoded(value: bytes | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        document = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    return document if isinstance(document, dict) else None


def _entry(document: Mapping[str, Any], private: bool = False) -> _Entry | None:
    try:
        return _Entry(
            document["v"], float(document["t"]), int(document["m"]), int(document["s"]), private
        )
    except (KeyError, TypeError, ValueError):
        return None
