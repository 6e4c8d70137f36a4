"""One call for a plan's :class:`~gateway.planner.plan.Batch`: its parts' ``_entities``
under aliases of their own, the answer split back into one answer per part.

The parts run as if alone (their representations gathered, the cache asked for what it
holds fresh); what each would send is held here until every part has either handed in its
call or finished without one, then the calls go as one. A single call goes as it is, so a
batch whose other parts had nothing to ask costs nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from ..cache import Answer
from ..errors import TransportError
from ..planner.plan import Batch, Fetch

__all__ = ["CallBatch", "split_answer"]

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
        parts = tuple(sorted(calls))
        merged: dict[str, Any] = {}
        for index in parts:
            fetch, variables, _ = calls[index]
            for name, value in variables.items():
                if name == "representations":
                    merged[f"representations_{index}"] = value
                else:
                    merged[name] = value
        first = calls[parts[0]][0]
        document = Fetch(
            service=first.service,
            operation=self._batch.document(parts),
            operation_kind="query",
            variable_usages=(),
            requires=None,
            selection_text="",
            operation_name=self._batch.operation_name,
        )
        try:
            answer = await self._send(document, merged)
        except BaseException as error:
            for _, _, future in calls.values():
                if not future.done():
                    future.set_exception(error)
            raise
        for index, answer_part in split_answer(answer, parts).items():
            calls[index][2].set_result(answer_part)


def split_answer(
    answer: Answer | TransportError, parts: tuple[int, ...]
) -> dict[int, Answer | TransportError]:
    """Each part's answer from the batch's: its alias's entities as ``_entities``, the
    errors at its alias with their path under ``_entities``. An error placed at no alias
    goes to every part left without entities (or, when all have them, to the first), so
    that a part's missing answer is always explained."""
    if isinstance(answer, TransportError):
        return {index: answer for index in parts}
    data, errors, cache_control = answer
    placed: dict[int, list[dict[str, Any]]] = {index: [] for index in parts}
    unplaced: list[dict[str, Any]] = []
    aliases = {f"_{index}": index for index in parts}
    for error in errors:
        path = error.get("path")
        if isinstance(path, list) and path and path[0] in aliases:
            placed[aliases[path[0]]].append({**error, "path": ["_entities", *path[1:]]})
        else:
            unplaced.append(error)
    entities = {index: data.get(f"_{index}") if isinstance(data, dict) else None for index in parts}
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
