"""The gateway's cache of subgraph answers: kept as each subgraph's ``Cache-Control``
allows, shared by replicas through Redis, and served stale when a subgraph cannot answer
(``[cache]``, docs/operators.md)."""

from __future__ import annotations

from .control import NO_STORE, AnswerFreshness, Freshness, freshness
from .store import CacheStore, MemoryCacheStore, RedisCacheStore
from .subgraph_cache import DEFAULT_PREFIX, Answer, Cached, StaleMark, SubgraphCache

__all__ = [
    "DEFAULT_PREFIX",
    "NO_STORE",
    "Answer",
    "AnswerFreshness",
    "CacheStore",
    "Cached",
    "Freshness",
    "MemoryCacheStore",
    "RedisCacheStore",
    "StaleMark",
    "SubgraphCache",
    "freshness",
]
