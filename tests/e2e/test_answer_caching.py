"""The gateway's own answer says how long a browser or a CDN may keep it: as long as its
strictest part allows, over real HTTP.

Each subgraph's answers carry the ``Cache-Control`` the test sets for it (as an OPD's
toolkit hints or a proxy would). The gateway's answer to a query holds the smallest
``max-age`` and ``stale-if-error`` of its parts (a part the gateway's cache gave counts with
the time it has left), is ``private`` when any part is or when it is for an identified
caller, and is ``no-store`` when any part may not be kept, when it reports an error or
stale data, holds personal data, changes anything, or comes in parts.

``wilayah`` answers the kelurahan; ``dukcapil`` extends them with their population and
answers the city's total (tests/e2e/test_cache.py's subgraphs). The access-record
subgraph (tests/support/registry.py) stands for the personal data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx

from gateway.access import AccessOptions
from gateway.cache import SubgraphCache
from gateway.config import GatewayConfig
from gateway.server import create_app
from gateway.transport import ASGIApp
from tests.e2e import test_access_record
from tests.e2e.conftest import Federate
from tests.e2e.harness import Federation, Switch, app_of, down, with_cache_control
from tests.e2e.test_access_record import BAPPEDA, DINSOS, as_client
from tests.e2e.test_cache import SUPERGRAPH, Clock, dukcapil, memory_cache, wilayah
from tests.support.registry import registry
from tests.support.serving import serving

WILAYAH_HOLDS = "max-age=600, stale-if-error=86400"
DUKCAPIL_HOLDS = "max-age=60, stale-if-error=600"
KELURAHAN = "{ kelurahan { kode nama } }"
WITH_POPULATION = "{ kelurahan { kode nama penduduk } }"


def population_saying(header: str | None) -> ASGIApp:
    """dukcapil's app, its answers with ``header`` as their ``Cache-Control`` (none: None)."""
    app = app_of(dukcapil)
    return app if header is None else with_cache_control(app, header)


def city_of_two(
    federate: Federate, cache: SubgraphCache | None = None
) -> tuple[Federation, Switch]:
    """wilayah and dukcapil saying how long their answers hold; dukcapil switchable."""
    population = Switch(population_saying(DUKCAPIL_HOLDS))
    apps = {"wilayah": with_cache_control(app_of(wilayah), WILAYAH_HOLDS), "dukcapil": population}
    return federate(SUPERGRAPH, apps, cache=cache, audit=None), population


@asynccontextmanager
async def gateway(federation: Federation) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway's HTTP server in front of ``federation``'s engine, on a real socket."""
    async with (
        serving(create_app(federation.engine, GatewayConfig())) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        yield client


async def ask(
    client: httpx.AsyncClient, query: str, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return response


async def test_a_query_is_kept_as_long_as_its_strictest_part(federate: Federate) -> None:
    federation, population = city_of_two(federate)
    async with gateway(federation) as client:
        only_wilayah = await ask(client, KELURAHAN)
        assert only_wilayah.headers["cache-control"] == WILAYAH_HOLDS
        # the answer would differ for a caller with credentials: shared caches must ask
        vary = {name.strip() for name in only_wilayah.headers["vary"].split(",")}
        assert {"authorization", "x-api-key"} <= vary

        both = await ask(client, WITH_POPULATION)
        assert "errors" not in both.json()
        assert both.headers["cache-control"] == DUKCAPIL_HOLDS

        population.app = population_saying("private, max-age=300")
        assert (await ask(client, WITH_POPULATION)).headers["cache-control"] == (
            "private, max-age=300"
        )
        # a shared cache's own time wins over max-age, as the gateway reads it too
        population.app = population_saying("max-age=300, s-maxage=30, stale-if-error=900")
        assert (await ask(client, WITH_POPULATION)).headers["cache-control"] == (
            "max-age=30, stale-if-error=900"
        )

        for uncacheable in (None, "no-cache, max-age=60", "no-store", "max-age=0"):
            population.app = population_saying(uncacheable)
            answer = await ask(client, WITH_POPULATION)
            assert answer.headers["cache-control"] == "no-store", uncacheable
            assert answer.headers["vary"] == "Origin"  # CORS's own, always there
        # the same subgraph's part alone, as it was before, keeps the other answer keepable
        assert (await ask(client, KELURAHAN)).headers["cache-control"] == WILAYAH_HOLDS


async def test_a_part_from_the_gateways_cache_counts_with_the_time_it_has_left(
    federate: Federate,
) -> None:
    clock = Clock()
    federation, _ = city_of_two(federate, memory_cache(clock))
    async with gateway(federation) as client:
        first = await ask(client, WITH_POPULATION)
        assert first.headers["cache-control"] == DUKCAPIL_HOLDS
        clock.now += 45
        again = await ask(client, WITH_POPULATION)
        assert again.json() == first.json()
        assert federation.counts() == {"wilayah": 1, "dukcapil": 1}  # both from the cache
        assert again.headers["cache-control"] == "max-age=15, stale-if-error=600"
        clock.now += 500
        # wilayah's kelurahan still fresh (55 s left), dukcapil asked again: 60 s
        later = await ask(client, WITH_POPULATION)
        assert federation.counts() == {"wilayah": 1, "dukcapil": 2}
        assert later.headers["cache-control"] == "max-age=55, stale-if-error=600"


async def test_errors_stale_data_and_answers_in_parts_are_never_kept(
    federate: Federate,
) -> None:
    clock = Clock()
    federation, population = city_of_two(federate, memory_cache(clock))
    async with gateway(federation) as client:
        await ask(client, WITH_POPULATION)
        population.app = down()
        clock.now += 120  # past max-age, within stale-if-error
        stale = await ask(client, WITH_POPULATION)
        assert [entry["service"] for entry in stale.json()["extensions"]["stale"]] == [
            "dukcapil",
            "dukcapil",
        ]
        assert stale.headers["cache-control"] == "no-store"

        never_kept = await ask(client, "{ kelurahan { kode } pendudukKota }")
        assert never_kept.json()["data"] is None  # pendudukKota is non-null
        assert never_kept.json()["errors"][0]["extensions"]["service"] == "dukcapil"
        assert never_kept.headers["cache-control"] == "no-store"
        population.app = population_saying(DUKCAPIL_HOLDS)

        invalid = await client.post(
            "/graphql",
            json={"query": "{ kelurahan { tidakAda } }"},
            headers={"accept": "application/graphql-response+json"},
        )
        assert invalid.status_code == 400
        assert invalid.headers["cache-control"] == "no-store"

        # nothing but the gateway's own fields: no part says how long it holds
        typename = await ask(client, "{ __typename }")
        assert typename.headers["cache-control"] == "no-store"

        deferred = await client.post(
            "/graphql",
            json={"query": "{ kelurahan { kode ... @defer { penduduk } } }"},
            headers={"accept": "multipart/mixed;deferSpec=20220824,application/json"},
        )
        assert deferred.status_code == 200
        assert deferred.headers["content-type"].startswith("multipart/mixed")
        assert deferred.headers["cache-control"] == "no-store"


async def test_an_identified_callers_answer_is_private_and_personal_data_never_kept(
    federate: Federate,
) -> None:
    federation = federate(
        test_access_record.SUPERGRAPH,
        {"registry": with_cache_control(app_of(registry), "max-age=600")},
        access=AccessOptions(authenticator=test_access_record.options().authenticator),
    )
    async with gateway(federation) as client:
        anonymous = await ask(client, "{ jumlahWarga }")
        assert anonymous.headers["cache-control"] == "max-age=600"
        identified = await ask(client, "{ jumlahWarga }", as_client(BAPPEDA))
        assert identified.json() == anonymous.json()
        # what a client sees is shaped by its grants: no shared cache may hand it on
        assert identified.headers["cache-control"] == "private, max-age=600"

        personal = await ask(
            client, '{ penduduk(nik: "6171010101900001") { nama } }', as_client(DINSOS)
        )
        assert personal.json() == {"data": {"penduduk": {"nama": "Ahmad"}}}
        assert personal.headers["cache-control"] == "no-store"

        mutation = await ask(
            client,
            'mutation { verifikasi(nik: "6171010101900001", nama: "Ahmad") }',
            as_client(DINSOS),
        )
        assert mutation.json() == {"data": {"verifikasi": True}}
        assert mutation.headers["cache-control"] == "no-store"
