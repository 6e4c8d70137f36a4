"""One call for a plan's :class:`~gateway.planner.plan.Batch`: its parts' ``_entities``
under aliases of their own, the answer split back into one answer per part.

The parts run as if alone (their representations gathered, the cache asked for what it
holds fresh); what each would send is held here until every part has either handed in its
call or finished without one, then the calls go as one. A single call goes as it is, so a
batch whose other parts had nothing to ask costs nothing. Parts sending the same document
(the same entity fields wanted at several paths) share one alias, each entity sent once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..cache import Answer
from ..errors import TransportError
from ..planner.plan import Batch, Fetch

__all__ = ["Alias", "CallBatch", "split_answer"]

Send = Callable[[Fetch, Mapping[str, Any]], Awaitable[Answer | TransportError]]
"""Sends one fetch with its variables: the executor's own call."""


class CallBatch:
    """Collects the calls of one batch's parts during one request, and sends them as one."""

    def __init__(self, batch: Batch, send: Send) -> None:
        self._batch = batch
        self._send = send
        self._waiting = set(range(len(batch.parts)))
        self._calls: dict[int, tuple[Fetch, Mapping[str, Any], asyncio.Future[Any]]] = {}

    async def call(
        self, part: int, fetch: Fetch, variables: Mapping[str, Any]
    ) -> Answer | TransportError:
        """Part ``part``'s call: answered once every part has handed in its call or
        finished without one."""
        future: asyncio.Future[Answer | TransportError] = asyncio.get_running_loop().create_future()
        self._calls[part] = (fetch, variables, future)
        self._waiting.discard(part)
        if not self._waiting:
            await self._flush()
        return await future

    async def finished(self, part: int) -> None:
        """Part ``part`` is done: if it never called, the others need not wait for it."""
        if part in self._waiting:
            self._waiting.discard(part)
            if not self._waiting and self._calls:
                await self._flush()

    async def _flush(self) -> None:
        calls, self._calls = self._calls, {}
        if len(calls) == 1:
            [(fetch, variables, future)] = calls.values()
            future.set_result(await self._send(fetch, variables))
            return
        aliases = _aliases(calls)
        merged: dict[str, Any] = {}
        for alias in aliases:
            merged[f"representations_{alias.index}"] = alias.representations
            merged.update(alias.others)
        document = self._batch.call(tuple(alias.index for alias in aliases))
        try:
            answer = await self._send(document, merged)
        except BaseException as error:
            for _, _, future in calls.values():
                if not future.done():
                    future.set_exception(error)
            raise
        for index, answer_part in split_answer(answer, aliases).items():
            calls[index][2].set_result(answer_part)


@dataclass(slots=True)
class Alias:
    """One ``_entities`` of the batch's call: the parts sending the same document share it,
    each entity sent once however many of them (and wherever in the answer) need it."""

    index: int
    """The part whose document it is: the alias is ``_<index>``."""
    others: Mapping[str, Any]
    """The variables besides the representations (the same for every part sharing it)."""
    representations: list[Any] = field(default_factory=list)
    parts: dict[int, list[int]] = field(default_factory=dict)
    """For each part, where each of its representations sits in :attr:`representations`."""


def _aliases(
    calls: Mapping[int, tuple[Fetch, Mapping[str, Any], asyncio.Future[Any]]],
) -> list[Alias]:
    shared: dict[tuple[str, bytes], Alias] = {}
    seen: dict[int, dict[bytes, int]] = {}
    """Per shared alias, where each representation sits (by its JSON): made only once a
    second part joins, so that parts sending different documents never pay for it."""
    aliases: list[Alias] = []
    for index in sorted(calls):
        fetch, variables, _ = calls[index]
        others = {name: value for name, value in variables.items() if name != "representations"}
        # the same selection with the same variables: one document but for its name
        key = (fetch.selection, orjson.dumps(others, option=orjson.OPT_SORT_KEYS))
        representations: list[Any] = variables["representations"]
        alias = shared.get(key)
        if alias is None:
            alias = shared[key] = Alias(index, others, list(representations))
            alias.parts[index] = list(range(len(representations)))
            aliases.append(alias)
            continue
        found = seen.get(alias.index)
        if found is None:
            found = seen[alias.index] = {
                orjson.dumps(r): i for i, r in enumerate(alias.representations)
            }
        where = alias.parts[index] = []
        for representation in representations:
            text = orjson.dumps(representation)
            at = found.get(text)
            if at is None:
                at = found[text] = len(alias.representations)
                alias.representations.append(representation)
            where.append(at)
    return aliases


def split_answer(
    answer: Answer | TransportError, aliases: list[Alias]
) -> dict[int, Answer | TransportError]:
    """Each part's answer from the batch's: its entities as ``_entities``, in the order of
    its own representations, and the errors at those entities with their path under
    ``_entities``. An error placed at no alias goes to every part left without entities
    (or, when all have them, to the first), so that a part's missing answer is explained."""
    parts = [index for alias in aliases for index in alias.parts]
    if isinstance(answer, TransportError):
        return {index: answer for index in parts}
    data, errors, cache_control = answer
    by_name = {f"_{alias.index}": alias for alias in aliases}
    placed: dict[int, list[dict[str, Any]]] = {index: [] for index in parts}
    unplaced: list[dict[str, Any]] = []
    for error in errors:
        path = error.get("path")
        alias = by_name.get(path[0]) if isinstance(path, list) and path else None
        if alias is None or not isinstance(path, list):
            unplaced.append(error)
            continue
        at = path[1] if len(path) > 1 else None
        for index, where in alias.parts.items():
            if not isinstance(at, int):
                placed[index].append({**error, "path": ["_entities", *path[1:]]})
                continue
            for position, sent in enumerate(where):
                if sent == at:
                    placed[index].append({**error, "path": ["_entities", position, *path[2:]]})
    entities: dict[int, Any] = {}
    for alias in aliases:
        found = data.get(f"_{alias.index}") if isinstance(data, dict) else None
        for index, where in alias.parts.items():
            if isinstance(found, list) and len(found) == len(alias.representations):
                entities[index] = [found[i] for i in where]
            else:  # kept as it came: the executor names the wrong answer
                entities[index] = found
    if unplaced:
        lacking = [index for index in parts if not isinstance(entities[index], list)]
        for index in lacking or parts[:1]:
            placed[index].extend(unplaced)
    return {
        index: (
            {"_entities": entities[index]} if isinstance(data, dict) else data,
            placed[index],
            cache_control,
        )
        for index in parts
    }
