"""``POST /cache/invalidate``: only with the operator's key, and only what it names."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from gateway.cache import MemoryCacheStore, SubgraphCache
from gateway.server.cache_invalidation import invalidation_route

KEY = "kunci-operator-uji-0123456789"
PREFIX = "simpul:cache:"


@pytest.fixture
async def cache() -> SubgraphCache:
    cache = SubgraphCache(MemoryCacheStore(1 << 20))
    entity = f"{PREFIX}dukcapil:Kelurahan:"
    await cache.store.put(
        {
            f"{entity}{_digest('1')}:sel": b"{}",
            f"{entity}{_digest('2')}:sel": b"{}",
            f"{PREFIX}dukcapil:Query:abc": b"{}",
            f"{PREFIX}wilayah:Query:abc": b"{}",
        },
        60,
    )
    return cache


def _digest(kode: str) -> str:
    from gateway.cache.subgraph_cache import _representation_digest

    return _representation_digest({"kode": kode})


@pytest.fixture
async def client(cache: SubgraphCache) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[invalidation_route(KEY, lambda: cache)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client


@pytest.mark.parametrize("authorization", [None, "Bearer salah", KEY, f"Bearer {KEY}x"])
async def test_a_caller_without_the_key_is_refused(
    client: httpx.AsyncClient, cache: SubgraphCache, authorization: str | None
) -> None:
    headers = {"authorization": authorization} if authorization else {}
    answer = await client.post("/cache/invalidate", json={"subgraph": "dukcapil"}, headers=headers)
    assert answer.status_code == 401
    assert await cache.invalidate("dukcapil") == 3  # nothing went


async def test_one_entity_a_type_or_a_subgraph_is_dropped(
    client: httpx.AsyncClient, cache: SubgraphCache
) -> None:
    headers = {"authorization": f"Bearer {KEY}"}

    async def drop(body: object) -> httpx.Response:
        return await client.post("/cache/invalidate", json=body, headers=headers)

    one = {"subgraph": "dukcapil", "type": "Kelurahan", "key": {"kode": "1"}}
    assert (await drop(one)).json() == {"removed": 1}
    assert (await drop({"subgraph": "dukcapil", "type": "Kelurahan"})).json() == {"removed": 1}
    assert (await drop({"subgraph": "dukcapil"})).json() == {"removed": 1}
    assert (await drop({"subgraph": "wilayah"})).json() == {"removed": 1}


@pytest.mark.parametrize(
    "body",
    [{}, {"subgraph": ""}, {"subgraph": "a:b"}, {"subgraph": "dukcapil", "key": {"kode": "1"}}],
)
async def test_a_request_that_names_nothing_clearly_is_refused(
    client: httpx.AsyncClient, body: object
) -> None:
    headers = {"authorization": f"Bearer {KEY}"}
    answer = await client.post("/cache/invalidate", json=body, headers=headers)
    assert answer.status_code == 400 and answer.json()["error"]
