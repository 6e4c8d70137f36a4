"""Through the gateway, dukcapil owning the wilayah next to kominfo: one query gives each
kecamatan's kelurahan with their names and population (dukcapil) and LAPOR! complaints
(kominfo); a broken registry nulls dukcapil's fields only and never the complaints, or,
with the gateway's cache, has them answered from it as dukcapil's Cache-Control allows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from gateway.cache import MemoryCacheStore, SubgraphCache
from gateway.compose import SubgraphSDL, compose
from gateway.supergraph import Supergraph, load_supergraph
from subgraphs.dukcapil.schema import make_app as dukcapil_app
from subgraphs.kominfo.legacy import KominfoSimulator
from subgraphs.kominfo.schema import make_app as kominfo_app
from subgraphs.kominfo.source import connect as connect_kominfo
from subgraphs.reference import kelurahan_list
from subgraphs.toolkit import GatewayTrust
from subgraphs.toolkit.adapters import SqlSource
from tests.e2e.harness import Federation, url_of
from tests.support.audit import AuditFiles
from tests.support.serving import free_port

from .conftest import wire

ROOT = Path(__file__).resolve().parents[2]
KOMINFO_KEY = "test-kominfo-key-0123"
LAPOR_TOKEN = "test-lapor-token-0123"

QUERY = """{ daftarKelurahan { kode nama penduduk { jumlah } aduan { status } } }"""


@pytest.fixture(scope="module")
def supergraph() -> Supergraph:
    sdls = [
        SubgraphSDL(name, url_of(name), (ROOT / "schema" / f"{name}.graphql").read_text())
        for name in ("dukcapil", "kominfo")
    ]
    return load_supergraph(compose(sdls))


@asynccontextmanager
async def federation(
    supergraph: Supergraph,
    database_url: str,
    audit: AuditFiles,
    cache: SubgraphCache | None = None,
) -> AsyncIterator[Federation]:
    simulator = KominfoSimulator(api_keys=(KOMINFO_KEY,), lapor_tokens=(LAPOR_TOKEN,))
    kominfo = connect_kominfo(
        "http://kominfo-service",
        api_key=KOMINFO_KEY,
        lapor_token=LAPOR_TOKEN,
        transport=httpx.ASGITransport(app=simulator.app),
    )
    dukcapil = await wire(audit, database_url, timeout=1.0)
    apps = {
        "kominfo": kominfo_app(kominfo, trust=GatewayTrust.unsigned()),
        "dukcapil": dukcapil_app(
            dukcapil.database, trust=GatewayTrust.unsigned(), access_record=dukcapil.record
        ),
    }
    try:
        async with Federation(supergraph, apps, cache=cache) as built:
            yield built
    finally:
        await kominfo.aclose()
        await dukcapil.aclose()


async def test_kelurahan_with_population_and_complaints(
    supergraph: Supergraph, sqlite_db: str, audit: AuditFiles
) -> None:
    async with federation(supergraph, sqlite_db, audit) as city:
        response = await city.execute(QUERY)
        assert "errors" not in response.body, response.body
        kelurahan = response.body["data"]["daftarKelurahan"]
        assert [k["kode"] for k in kelurahan] == [k.kode for k in kelurahan_list()]
        assert all(k["nama"] and k["penduduk"]["jumlah"] > 0 for k in kelurahan)
        assert sum(len(k["aduan"]) for k in kelurahan) > 0
        assert city.counts() == {"dukcapil": 1, "kominfo": 1}


async def test_broken_registry_nulls_dukcapil_fields_only(
    supergraph: Supergraph, audit: AuditFiles
) -> None:
    port = free_port()
    query = "{ pendudukKota { jumlah } daftarOpd { kode nama } }"
    down = f"postgresql://postgres@127.0.0.1:{port}/siak"
    async with federation(supergraph, down, audit) as city:
        response = await city.execute(query)
        data = response.body["data"]
        assert data["pendudukKota"] is None and data["daftarOpd"]
        [error] = response.body["errors"]
        assert error["path"] == ["pendudukKota"]
        assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"


async def test_a_broken_registry_is_answered_from_the_cache_marked_stale(
    supergraph: Supergraph, sqlite_db: str, audit: AuditFiles
) -> None:
    now = [1_800_000_000.0]
    cache = SubgraphCache(MemoryCacheStore(1 << 22), clock=lambda: now[0])
    async with federation(supergraph, sqlite_db, audit, cache) as city:
        fresh = await city.execute(QUERY)
        assert "errors" not in fresh.body
        async with SqlSource("siak", sqlite_db) as source:
            await source.execute('DROP TABLE "SIM_AGREGAT_PENDUDUK"')
        now[0] += 3600  # past the counts' max-age (30 min), within stale-if-error (a week)
        stale = await city.execute(QUERY)
        assert "errors" not in stale.body
        assert stale.body["data"] == fresh.body["data"]
        assert stale.body["extensions"]["stale"] == [
            {
                "path": ["daftarKelurahan"],
                "service": "dukcapil",
                "age": 3600,
                "code": "UPSTREAM_BAD_RESPONSE",
            }
        ]
        assert city.counts() == {"dukcapil": 2, "kominfo": 2}  # asked again, failed


async def test_a_refused_input_reaches_the_client_with_its_pesan(
    supergraph: Supergraph, sqlite_db: str, audit: AuditFiles
) -> None:
    # the message is English for the developer; the Indonesian pesan passes the gateway
    # unchanged, for the portal to show to whoever typed the code
    async with federation(supergraph, sqlite_db, audit) as city:
        response = await city.execute('{ kelurahan(kode: "61.71.01") { nama } daftarOpd { kode } }')
        assert response.status == 200
        data = response.body["data"]
        assert data["kelurahan"] is None and data["daftarOpd"]
        assert response.body["errors"] == [
            {
                "message": "The kelurahan code must have the form 61.71.xx.1xxx "
                "(e.g. 61.71.01.1002).",
                "path": ["kelurahan"],
                "extensions": {
                    "code": "BAD_USER_INPUT",
                    "pesan": "Kode kelurahan harus berbentuk 61.71.xx.1xxx (mis. 61.71.01.1002).",
                    "service": "dukcapil",
                },
            }
        ]
