"""What OPD teams ask to drop from the cache: a subgraph's entries, a type's, or one
entity's, as ``simpul cache invalidate`` and ``POST /cache/invalidate`` take it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from .subgraph_cache import SubgraphCache

__all__ = ["Invalidation", "InvalidationError", "parse_invalidation"]


class InvalidationError(ValueError):
    """The request does not say what to drop; the message says why."""


@dataclass(frozen=True, slots=True)
class Invalidation:
    """Drop ``subgraph``'s entries; only ``type_name``'s (``Query``: its root answers); only
    the entity whose representation, ``__typename`` aside, is ``key``."""

    subgraph: str
    type_name: str | None = None
    key: Mapping[str, Any] | None = None

    async def apply(self, cache: SubgraphCache) -> int:
        """Drop the entries from ``cache``; return how many went."""
        return await cache.invalidate(self.subgraph, self.type_name, self.key)


def parse_invalidation(
    subgraph: object, type_name: object = None, key: object = None
) -> Invalidation:
    """An :class:`Invalidation` from a request's parts; ``key`` as a JSON object or its
    text. Raises :class:`InvalidationError`."""
    if not isinstance(subgraph, str) or not subgraph or ":" in subgraph:
        raise InvalidationError("subgraph: the name of one subgraph is required")
    if type_name is not None and (not isinstance(type_name, str) or not type_name):
        raise InvalidationError("type: a type name, when given")
    if isinstance(key, str):
        try:
            key = orjson.loads(key)
        except orjson.JSONDecodeError:
            raise InvalidationError("key: not JSON") from None
    if key is not None:
        if not isinstance(key, dict) or not key:
            raise InvalidationError('key: a JSON object of the key fields, e.g. {"kode": "1"}')
        if type_name is None:
            raise InvalidationError("key: names an entity of one type; give the type too")
    return Invalidation(subgraph, type_name, key)
