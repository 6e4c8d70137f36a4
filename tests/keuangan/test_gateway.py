"""Through the gateway: one query over ``daftarOpd`` returns each OPD's budget (keuangan)
with its applications and innovations (kominfo); a broken SIPD nulls the budgets only."""

from __future__ import annotations

import shutil
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from gateway.supergraph import Supergraph, load_supergraph
from subgraphs.keuangan.schema import make_app as keuangan_app
from subgraphs.keuangan.source import connect as connect_keuangan
from subgraphs.kominfo.legacy import KominfoSimulator
from subgraphs.kominfo.schema import make_app as kominfo_app
from subgraphs.kominfo.source import connect as connect_kominfo
from subgraphs.reference import opd_list
from subgraphs.toolkit import GatewayTrust, RetryPolicy
from tests.e2e.harness import Federation
from tests.planner.harness import _compose

ROOT = Path(__file__).resolve().parents[2]
KOMINFO_KEY = "test-kominfo-key-0123"
LAPOR_TOKEN = "test-lapor-token-0123"
FAST = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01)

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

QUERY = """{ daftarOpd { kode nama singkatan
  anggaran(tahun: 2025) { pagu realisasi persentase perBulan { bulan } }
  aplikasi { nama jenis } inovasi { nama jenis } } }"""


@pytest.fixture(scope="module")
def supergraph() -> Supergraph:
    sdl = {
        name: (ROOT / "schema" / f"{name}.graphql").read_text() for name in ("kominfo", "keuangan")
    }
    return load_supergraph(_compose(sdl))


@asynccontextmanager
async def federation(supergraph: Supergraph, database_url: str) -> AsyncIterator[Federation]:
    simulator = KominfoSimulator(api_keys=(KOMINFO_KEY,), lapor_tokens=(LAPOR_TOKEN,))
    kominfo = connect_kominfo(
        "http://kominfo-service",
        api_key=KOMINFO_KEY,
        lapor_token=LAPOR_TOKEN,
        transport=httpx.ASGITransport(app=simulator.app),
    )
    keuangan = connect_keuangan(database_url, timeout=1.0, retry=FAST)
    apps = {
        "kominfo": kominfo_app(kominfo, trust=GatewayTrust.unsigned()),
        "keuangan": keuangan_app(keuangan, trust=GatewayTrust.unsigned()),
    }
    try:
        async with Federation(supergraph, apps) as built:
            yield built
    finally:
        await kominfo.aclose()
        await keuangan.aclose()


async def test_daftar_opd_with_budgets_and_applications(
    supergraph: Supergraph, sqlite_db: str
) -> None:
    async with federation(supergraph, sqlite_db) as city:
        response = await city.execute(QUERY)
        assert "errors" not in response.body, response.body
        opds = response.body["data"]["daftarOpd"]
        assert [o["kode"] for o in opds] == [o.kode for o in opd_list()]
        for opd in opds:
            assert opd["nama"] and opd["aplikasi"]
            assert opd["anggaran"]["pagu"] > 0 and len(opd["anggaran"]["perBulan"]) == 12
        assert city.counts() == {"kominfo": 1, "keuangan": 1}


async def test_broken_sipd_nulls_budgets_only(supergraph: Supergraph) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with federation(supergraph, f"mariadb://root@127.0.0.1:{port}/sipd") as city:
        response = await city.execute(QUERY)
        opds = response.body["data"]["daftarOpd"]
        assert len(opds) == len(opd_list())
        assert all(o["nama"] and o["aplikasi"] and o["anggaran"] is None for o in opds)
        errors = response.body["errors"]
        assert errors and all(e["extensions"]["code"] == "UPSTREAM_UNAVAILABLE" for e in errors)
        assert errors[0]["path"][0] == "daftarOpd" and errors[0]["path"][-1] == "anggaran"
