"""The cache's own rules: what a Cache-Control header allows, private answers kept per
verified client, the in-memory store's bound, and a failing Redis read as a miss."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.cache import Answer, Freshness, MemoryCacheStore, RedisCacheStore, SubgraphCache
from gateway.cache import freshness as parse
from gateway.errors import ErrorCode, TransportError


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("no-store", None),
        ("max-age=60, no-cache", None),
        ("max-age=0", None),
        ("max-age=abc", None),
        ("public, max-age=60", Freshness(60)),
        ("max-age=60, s-maxage=300", Freshness(300)),
        ("max-age=60, stale-if-error=3600", Freshness(60, 3600)),
        ('private, max-age="30"', Freshness(30, 0, private=True)),
        ("max-age=60, s-maxage=0", None),  # the gateway is a shared cache
        # two lines, the subgraph's then a proxy's, read as one list
        ("private, max-age=1, max-age=600, stale-if-error=60", Freshness(1, 60, private=True)),
        ("max-age=600, stale-if-error=60, max-age=30", Freshness(30, 60)),
    ],
)
def test_cache_control_says_what_may_be_kept(header: str | None, expected: Any) -> None:
    assert parse(header) == expected


class Subgraph:
    """A root fetch's subgraph: answers ``value`` with ``header``, counting calls."""

    def __init__(self, header: str | None) -> None:
        self.header, self.calls = header, 0

    async def __call__(self) -> Answer | TransportError:
        self.calls += 1
        return {"angka": self.calls}, [], self.header


async def test_a_private_answer_is_kept_for_its_client_only() -> None:
    cache = SubgraphCache(MemoryCacheStore(1 << 20))
    subgraph = Subgraph("private, max-age=60")

    async def ask(client: str) -> Any:
        cached = await cache.root("dukcapil", "{ angka }", {}, client, subgraph)
        assert not isinstance(cached.response, TransportError)
        return cached.response[0]

    assert await ask("kominfo-portal") == {"angka": 1}
    assert await ask("kominfo-portal") == {"angka": 1}
    assert await ask("bappeda-dashboard") == {"angka": 2}
    assert await ask("") == {"angka": 3}  # anonymous: not kept, not read
    assert await ask("") == {"angka": 4}
    assert await ask("kominfo-portal") == {"angka": 1}


async def test_an_answer_with_errors_is_not_kept() -> None:
    cache = SubgraphCache(MemoryCacheStore(1 << 20))

    async def failing() -> Answer | TransportError:
        return {"angka": 7}, [{"message": "sebagian gagal"}], "max-age=60"

    await cache.root("dukcapil", "{ angka }", {}, "", failing)
    assert await cache.store.get([f"{cache.prefix}dukcapil:Query:x"]) == [None]
    assert await cache.invalidate("dukcapil") == 0


async def test_memory_store_drops_the_least_recently_used_beyond_its_bound() -> None:
    store = MemoryCacheStore(100)
    await store.put({"a": b"x" * 40, "b": b"y" * 40}, 60)
    assert await store.get(["a"]) == [b"x" * 40]  # a used last
    await store.put({"c": b"z" * 40}, 60)
    assert await store.get(["a", "b", "c"]) == [b"x" * 40, None, b"z" * 40]


async def test_memory_store_expires_entries() -> None:
    now = [0.0]
    store = MemoryCacheStore(1000, clock=lambda: now[0])
    await store.put({"a": b"1"}, 10)
    now[0] = 10.0
    assert await store.get(["a"]) == [None]


async def test_a_redis_that_cannot_be_reached_is_a_miss_not_a_failure() -> None:
    cache = SubgraphCache(RedisCacheStore("redis://127.0.0.1:1/0"))
    subgraph = Subgraph("max-age=60")
    try:
        cached = await cache.root("dukcapil", "{ angka }", {}, "", subgraph)
        assert cached.response == ({"angka": 1}, [])
        failure = TransportError("down", ErrorCode.SUBREQUEST_HTTP_ERROR)

        async def down() -> Answer | TransportError:
            return failure

        assert (await cache.root("dukcapil", "{ angka }", {}, "", down)).response is failure
    finally:
        await cache.close()
