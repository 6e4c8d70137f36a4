"""Batched entity resolution: each ``resolve_reference`` through a per-request DataLoader.

The gateway sends a subgraph one ``_entities`` call with every representation it needs;
resolving them one by one would cost the legacy system one call per key. A
:class:`BatchLoader` declares how to fetch many keys at once; in a request, every
``load(info, key)`` made in the same tick is collected by an aiodataloader ``DataLoader``
and answered by one call of that function. The function receives the request's
:class:`SubgraphContext` first, where it finds the OPD's adapter (:func:`source_of`)::

    @BatchLoader
    async def schools(context: SubgraphContext, npsn: list[str]) -> dict[str, Sekolah]:
        rows = await source_of(context, SqlSource).fetch_by_keys("sekolah", "npsn", npsn)
        return {row["npsn"]: Sekolah.from_row(row) for row in rows}

    @strawberry.federation.type(keys=["npsn"])
    class Sekolah:
        @classmethod
        async def resolve_reference(cls, info: Info, npsn: str) -> Sekolah | None:
            return await schools.load(info, npsn)

What the fetch function returns decides each slot of the ``_entities`` list:

- a value for the key: that entity;
- no entry for the key: ``null`` (the upstream does not know it);
- an ``Exception`` for the key: an error in that slot only, the other entities resolve;
- raising: an error in the slot of every key of that batch.

Keys are matched by equality: return them exactly as given (``"30100001"``, not the
integer ``30100001``), or their slots read as not found.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from functools import partial
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from strawberry import Info

from .context import SubgraphContext

__all__ = ["BatchFetch", "BatchLoader"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

BatchFetch = Callable[[SubgraphContext, list[K]], Awaitable[Mapping[K, V | Exception]]]
"""Fetches many keys in one upstream call, through the adapter in the request's context:
values (or per-key errors) by key."""


class BatchLoader(Generic[K, V]):
    """How to fetch entities of one kind in batches; one DataLoader per request uses it.

    Define one at module level (a decorator on the fetch function works) and call
    :meth:`load` from ``resolve_reference`` or from any field resolver. ``max_batch_size``
    splits very large batches, for upstreams that cap how many keys one call may ask for.
    """

    def __init__(
        self, fetch: BatchFetch[K, V], *, name: str | None = None, max_batch_size: int | None = None
    ) -> None:
        self.fetch = fetch
        self.name = name or getattr(fetch, "__name__", "loader")
        self.max_batch_size = max_batch_size

    async def load(self, info: Info[Any, Any], key: K) -> V | None:
        """The value for ``key``, fetched in a batch with the other keys loaded this tick."""
        result: V | None = await self.dataloader(info).load(key)
        return result

    async def load_many(self, info: Info[Any, Any], keys: Sequence[K]) -> list[V | None]:
        """The values for ``keys`` in order, in one batch; raises the first key's error."""
        result: list[V | None] = await self.dataloader(info).load_many(keys)
        return result

    def dataloader(self, info: Info[Any, Any]) -> DataLoader[K, V | None]:
        """This request's DataLoader for this loader, created on first use."""
        context = info.context
        if not isinstance(context, SubgraphContext):
            raise TypeError(
                "BatchLoader needs a SubgraphContext as info.context: serve the schema with "
                "create_app(), or pass context_value=SubgraphContext() to schema.execute()"
            )
        loader = context.loaders.get(self)
        if loader is None:
            loader = DataLoader(partial(self._batch, context), max_batch_size=self.max_batch_size)
            context.loaders[self] = loader
        return loader

    async def _batch(self, context: SubgraphContext, keys: list[K]) -> list[V | Exception | None]:
        # the DataLoader runs this in a task of its own: the request's context keeps it, to
        # cancel it with the request when the caller leaves
        task = asyncio.current_task()
        if task is not None:
            context.batches.add(task)
        try:
            found = await self.fetch(context, keys)
        finally:
            if task is not None:
                context.batches.discard(task)
        return [found.get(key) for key in keys]

    def __repr__(self) -> str:
        return f"BatchLoader({self.name})"
