"""The cache of subgraph answers, end to end through the engine: entities and root answers
kept as the subgraph's Cache-Control allows, asked again only when not fresh, served stale
(and said to be) while the subgraph cannot answer within stale-if-error, null with the
error after it, fresh again once the subgraph is back; never for a request processing
personal data; dropped on invalidation; shared by two gateways (two processes) through
Redis.

``wilayah`` answers the kelurahan (root fields); ``dukcapil`` extends them with their
population and answers the city's total, and is the one taken down.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import strawberry
import strawberry.federation
from graphql import OperationDefinitionNode, parse

from gateway.cache import MemoryCacheStore, RedisCacheStore, SubgraphCache
from gateway.executor import ExecutionState
from gateway.request import GraphQLRequest, RequestContext
from gateway.transport import ASGIApp
from tests.e2e.conftest import Federate
from tests.e2e.harness import Switch, app_of, down, supergraph_of, with_cache_control

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]
POPULATION = {"1": 1200, "2": 3400}
REGISTRY_DOWN: list[bool] = []
"""Not empty: dukcapil's subgraph answers, but its registry cannot be read."""


@strawberry.federation.type(keys=["kode"])
class Kelurahan:
    kode: strawberry.ID
    nama: str


@strawberry.type
class WilayahQuery:
    @strawberry.field
    def kelurahan(self) -> list[Kelurahan]:
        return [Kelurahan(kode=strawberry.ID(k), nama=f"Kelurahan {k}") for k in POPULATION]


wilayah = strawberry.federation.Schema(query=WilayahQuery, federation_version="2.3")


@strawberry.federation.type(keys=["kode"], name="Kelurahan")
class KelurahanPenduduk:
    kode: strawberry.ID

    @strawberry.field
    def penduduk(self) -> int | None:
        if REGISTRY_DOWN:
            raise RuntimeError("SIAK cannot be read")
        return POPULATION[self.kode]

    @classmethod
    def resolve_reference(cls, kode: strawberry.ID) -> KelurahanPenduduk:
        return KelurahanPenduduk(kode=kode)


@strawberry.type
class DukcapilQuery:
    @strawberry.field
    def penduduk_kota(self) -> int:
        return sum(POPULATION.values())


dukcapil = strawberry.federation.Schema(
    query=DukcapilQuery, types=[KelurahanPenduduk], federation_version="2.3"
)

SCHEMAS = {"wilayah": wilayah, "dukcapil": dukcapil}
SUPERGRAPH = supergraph_of("cache", SCHEMAS)
APPS = {name: app_of(schema) for name, schema in SCHEMAS.items()}
QUERY = "{ kelurahan { kode nama penduduk } }"
WHOLE = {
    "kelurahan": [
        {"kode": "1", "nama": "Kelurahan 1", "penduduk": 1200},
        {"kode": "2", "nama": "Kelurahan 2", "penduduk": 3400},
    ]
}
FOR_A_MINUTE = "public, max-age=60, stale-if-error=600"


class Clock:
    """The cache's wall clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def apps(header: str = FOR_A_MINUTE) -> tuple[dict[str, ASGIApp], Switch]:
    """The subgraphs' apps, dukcapil's answers carrying ``header``, behind a switch."""
    switch = Switch(with_cache_control(app_of(dukcapil), header))
    return {"wilayah": app_of(wilayah), "dukcapil": switch}, switch


def memory_cache(clock: Clock) -> SubgraphCache:
    return SubgraphCache(MemoryCacheStore(1 << 20), clock=clock)


def represented(federation: Any) -> list[str]:
    """The kode of each Kelurahan dukcapil was last asked for."""
    return [r["kode"] for r in federation.requests("dukcapil")[-1]["variables"]["representations"]]


async def test_cached_entities_are_not_asked_for_again_while_fresh(federate: Federate) -> None:
    clock = Clock()
    federation = federate(SUPERGRAPH, apps()[0], cache=memory_cache(clock))
    assert (await federation.run(QUERY))["data"] == WHOLE
    clock.now += 59
    body = await federation.run(QUERY)
    assert body == {"data": WHOLE}  # no extensions: nothing stale
    assert federation.calls("dukcapil") == 1
    clock.now += 2  # past max-age: asked again
    assert (await federation.run(QUERY))["data"] == WHOLE
    assert federation.calls("dukcapil") == 2
    metrics = federation.engine.metrics.render().decode()
    assert 'simpul_cache_total{outcome="hit",subgraph="dukcapil"} 2.0' in metrics
    assert 'simpul_cache_total{outcome="miss",subgraph="dukcapil"} 4.0' in metrics


async def test_only_the_representations_not_in_the_cache_are_sent(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, apps()[0], cache=memory_cache(Clock()))
    await federation.run("{ kelurahan { kode penduduk } }")
    cache = federation.engine.executor.cache
    assert cache is not None
    assert await cache.invalidate("dukcapil", "Kelurahan", {"kode": "2"}) == 1
    assert (await federation.run(QUERY))["data"] == WHOLE
    assert represented(federation) == ["2"]


async def test_a_subgraph_down_is_answered_stale_then_null_then_fresh_again(
    federate: Federate,
) -> None:
    clock = Clock()
    subgraphs, dukcapil_app = apps()
    federation = federate(SUPERGRAPH, subgraphs, cache=memory_cache(clock))
    await federation.run(QUERY)

    dukcapil_app.app = down()
    clock.now += 90
    body = await federation.run(QUERY)
    assert body["data"] == WHOLE and "errors" not in body
    assert body["extensions"]["stale"] == [
        {"path": ["kelurahan", i], "service": "dukcapil", "age": 90, "code": code}
        for i in (0, 1)
        for code in ["SUBREQUEST_HTTP_ERROR"]
    ]
    metrics = federation.engine.metrics.render().decode()
    assert 'simpul_cache_total{outcome="stale",subgraph="dukcapil"} 2.0' in metrics

    clock.now += 600  # past stale-if-error: the fields fail as without a cache
    body = await federation.run(QUERY)
    assert [k["penduduk"] for k in body["data"]["kelurahan"]] == [None, None]
    assert {e["extensions"]["service"] for e in body["errors"]} == {"dukcapil"}
    assert "extensions" not in body

    dukcapil_app.app = with_cache_control(app_of(dukcapil), FOR_A_MINUTE)
    assert await federation.run(QUERY) == {"data": WHOLE}


async def test_a_deferred_part_answered_stale_says_so(federate: Federate) -> None:
    clock = Clock()
    subgraphs, dukcapil_app = apps()
    federation = federate(SUPERGRAPH, subgraphs, cache=memory_cache(clock))
    deferred = "{ kelurahan { kode nama ... @defer { penduduk } } }"
    await federation.run(QUERY)

    dukcapil_app.app = down()
    clock.now += 90
    response = await federation.engine.execute(
        GraphQLRequest(deferred), RequestContext(incremental="20220824")
    )
    assert "extensions" not in response.body  # the initial part asks nothing of dukcapil
    assert response.subsequent is not None
    [part] = [payload async for payload in response.subsequent]
    assert [item["data"] for item in part["incremental"]] == [
        {"penduduk": 1200},
        {"penduduk": 3400},
    ]
    assert part["extensions"]["stale"] == [
        {
            "path": ["kelurahan", i],
            "service": "dukcapil",
            "age": 90,
            "code": "SUBREQUEST_HTTP_ERROR",
        }
        for i in (0, 1)
    ]


async def test_an_entity_answered_with_an_error_is_served_stale(federate: Federate) -> None:
    clock = Clock()
    federation = federate(SUPERGRAPH, apps()[0], cache=memory_cache(clock))
    await federation.run(QUERY)
    clock.now += 61
    REGISTRY_DOWN.append(True)
    try:
        body = await federation.run(QUERY)
    finally:
        REGISTRY_DOWN.clear()
    assert body["data"] == WHOLE and "errors" not in body
    assert [(s["path"], s["age"]) for s in body["extensions"]["stale"]] == [
        (["kelurahan", 0], 61),
        (["kelurahan", 1], 61),
    ]


async def test_a_root_answer_is_served_stale(federate: Federate) -> None:
    clock = Clock()
    subgraphs, dukcapil_app = apps()
    federation = federate(SUPERGRAPH, subgraphs, cache=memory_cache(clock))
    assert (await federation.run("{ pendudukKota }"))["data"] == {"pendudukKota": 4600}
    dukcapil_app.app = down()
    clock.now += 120
    body = await federation.run("{ pendudukKota }")
    assert body["data"] == {"pendudukKota": 4600} and "errors" not in body
    assert body["extensions"]["stale"] == [
        {
            "path": ["pendudukKota"],
            "service": "dukcapil",
            "age": 120,
            "code": "SUBREQUEST_HTTP_ERROR",
        }
    ]


@pytest.mark.parametrize("header", [None, "no-store", "private, max-age=60", "max-age=0"])
async def test_answers_their_subgraph_does_not_allow_are_not_kept(
    federate: Federate, header: str | None
) -> None:
    subgraphs, dukcapil_app = apps()
    if header is None:
        dukcapil_app.app = app_of(dukcapil)
    else:
        dukcapil_app.app = with_cache_control(app_of(dukcapil), header)
    # private: no verified client here, so nobody to keep it for
    federation = federate(SUPERGRAPH, subgraphs, cache=memory_cache(Clock()))
    await federation.run(QUERY)
    dukcapil_app.app = down()
    body = await federation.run(QUERY)
    assert [k["penduduk"] for k in body["data"]["kelurahan"]] == [None, None]


async def test_a_subgraph_that_starts_allowing_it_is_cached_from_then_on(
    federate: Federate,
) -> None:
    subgraphs, dukcapil_app = apps()
    dukcapil_app.app = app_of(dukcapil)
    federation = federate(SUPERGRAPH, subgraphs, cache=memory_cache(Clock()))
    await federation.run(QUERY)  # no Cache-Control: not looked up from now on
    await federation.run(QUERY)
    dukcapil_app.app = with_cache_control(app_of(dukcapil), FOR_A_MINUTE)
    await federation.run(QUERY)  # says it may be kept: looked up again from the next one
    await federation.run(QUERY)  # kept
    assert await federation.run(QUERY) == {"data": WHOLE}
    assert federation.calls("dukcapil") == 4
    metrics = federation.engine.metrics.render().decode()
    assert 'simpul_cache_total{outcome="miss",subgraph="dukcapil"} 4.0' in metrics


async def test_a_request_processing_personal_data_neither_reads_nor_fills_the_cache(
    federate: Federate,
) -> None:
    federation = federate(SUPERGRAPH, apps()[0], cache=memory_cache(Clock()))
    engine = federation.engine
    document = parse(QUERY)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    plan = engine.plan(QUERY, operation, {})

    recorded = ExecutionState(variables={}, recorded=True)
    await engine.executor.run(plan.node, recorded)
    assert recorded.data["kelurahan"][0]["penduduk"] == 1200
    assert federation.calls("dukcapil") == 1
    await federation.run(QUERY)  # nothing was kept: asked again, and kept now
    assert federation.calls("dukcapil") == 2
    again = ExecutionState(variables={}, recorded=True)
    await engine.executor.run(plan.node, again)  # not answered from the cache either
    assert federation.calls("dukcapil") == 3


async def test_invalidation_drops_a_subgraph_s_entries(federate: Federate) -> None:
    federation = federate(SUPERGRAPH, apps()[0], cache=memory_cache(Clock()))
    await federation.run(QUERY)
    await federation.run("{ pendudukKota }")
    cache = federation.engine.executor.cache
    assert cache is not None
    assert await cache.invalidate("wilayah") == 0
    assert await cache.invalidate("dukcapil", "Query") == 1
    assert await cache.invalidate("dukcapil") == 2
    await federation.run(QUERY)
    assert represented(federation) == ["1", "2"]


@pytest.fixture
async def shared_prefix() -> AsyncIterator[str]:
    """A key prefix of the test's own in the real Redis, emptied afterwards."""
    prefix = f"simpul:test:{uuid.uuid4().hex}:"
    yield prefix
    store = RedisCacheStore(REDIS_URL)
    try:
        await store.delete(prefix)
    finally:
        await store.close()


async def test_two_gateways_share_cached_entities_through_redis(
    federate: Federate, shared_prefix: str
) -> None:
    clock = Clock()
    first = federate(
        SUPERGRAPH,
        apps()[0],
        cache=SubgraphCache(RedisCacheStore(REDIS_URL), shared_prefix, clock),
    )
    second_apps, second_dukcapil = apps()
    second = federate(
        SUPERGRAPH,
        second_apps,
        cache=SubgraphCache(RedisCacheStore(REDIS_URL), shared_prefix, clock),
    )
    assert (await first.run(QUERY))["data"] == WHOLE
    assert await second.run(QUERY) == {"data": WHOLE}
    assert second.calls("dukcapil") == 0  # the first gateway's entities, fresh

    second_dukcapil.app = down()
    clock.now += 300
    body = await second.run(QUERY)
    assert body["data"] == WHOLE
    assert [s["age"] for s in body["extensions"]["stale"]] == [300, 300]


FILL_FROM_ANOTHER_PROCESS = """
import asyncio, sys
from gateway.cache import RedisCacheStore, SubgraphCache
from tests.e2e.harness import Federation
from tests.e2e.test_cache import QUERY, REDIS_URL, SUPERGRAPH, WHOLE, apps

async def main() -> None:
    cache = SubgraphCache(RedisCacheStore(REDIS_URL), sys.argv[1])
    async with Federation(SUPERGRAPH, apps()[0], cache=cache) as gateway:
        assert (await gateway.run(QUERY))["data"] == WHOLE

asyncio.run(main())
"""


async def test_a_gateway_process_answers_with_what_another_one_cached(
    federate: Federate, shared_prefix: str
) -> None:
    filled = await asyncio.create_subprocess_exec(
        sys.executable, "-c", FILL_FROM_ANOTHER_PROCESS, shared_prefix, cwd=ROOT
    )
    assert await filled.wait() == 0
    subgraphs, dukcapil_app = apps()
    dukcapil_app.app = down()
    gateway = federate(
        SUPERGRAPH, subgraphs, cache=SubgraphCache(RedisCacheStore(REDIS_URL), shared_prefix)
    )
    assert await gateway.run(QUERY) == {"data": WHOLE}  # fresh, from the other process
    assert gateway.calls("dukcapil") == 0
