"""Batching, counted on the simulator: a hundred schools through ``_entities`` cost one
request per endpoint and page, never one per school; the 29 kelurahan share one walk."""

from __future__ import annotations

import math

import pytest

from subgraphs.reference import kelurahan_list

from .conftest import Wire

SEKOLAH = "/WebService/getSekolah"
REKAP_PD = "/WebService/getRekapPesertaDidik"
REKAP_GTK = "/WebService/getRekapGtk"

ENTITIES = """query ($r: [_Any!]!) { _entities(representations: $r) { ... on Sekolah {
  npsn nama kelurahan { kode } pesertaDidik { jumlah perTingkat { tingkat jumlah } }
  gtk { guru } } } }"""


@pytest.mark.parametrize("page_size", [100, 30])
async def test_hundred_schools_cost_one_request_per_page(wire: Wire, page_size: int) -> None:
    wired = await wire(page_size)
    schools = wired.simulator.data.sekolah[:100]
    representations = [{"__typename": "Sekolah", "npsn": s.npsn} for s in schools]
    body = await wired.query(ENTITIES, {"r": representations})
    assert "errors" not in body
    found = body["data"]["_entities"]
    assert [s["npsn"] for s in found] == [s.npsn for s in schools]
    assert all(s["pesertaDidik"]["jumlah"] > 0 and s["gtk"]["guru"] > 0 for s in found)
    pages = math.ceil(100 / page_size)  # 1 at Dapodik's page size, 4 at 30
    assert wired.simulator.calls == {SEKOLAH: pages, REKAP_PD: pages, REKAP_GTK: pages}


async def test_repeated_representations_are_fetched_once(wire: Wire) -> None:
    wired = await wire()
    school = wired.simulator.data.sekolah[3]
    representations = [{"__typename": "Sekolah", "npsn": school.npsn}] * 20
    body = await wired.query(ENTITIES, {"r": representations})
    assert len(body["data"]["_entities"]) == 20
    assert wired.simulator.calls == {SEKOLAH: 1, REKAP_PD: 1, REKAP_GTK: 1}


@pytest.mark.parametrize("page_size", [100, 50])
async def test_every_kelurahans_schools_in_one_walk(wire: Wire, page_size: int) -> None:
    wired = await wire(page_size)
    representations = [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { kode
             sekolah { npsn } sd: sekolah(bentuk: SD) { npsn }
             ringkasanPendidikan { jumlahSekolah pesertaDidik guru } } } }""",
        {"r": representations},
    )
    assert "errors" not in body
    kelurahan = body["data"]["_entities"]
    assert len(kelurahan) == 29 and all(k["sekolah"] and k["sd"] for k in kelurahan)
    total = len(wired.simulator.data.sekolah)
    assert sum(len(k["sekolah"]) for k in kelurahan) == total
    assert sum(k["ringkasanPendidikan"]["jumlahSekolah"] for k in kelurahan) == total
    # One walk over getSekolah for all 29, then the counts of all ~300 schools in slices
    pages = math.ceil(total / page_size)
    assert wired.simulator.calls == {SEKOLAH: pages, REKAP_PD: pages, REKAP_GTK: pages}


async def test_a_service_capping_pages_lower_is_an_error_not_a_short_list(wire: Wire) -> None:
    wired = await wire(100)
    wired.simulator.max_limit = 40  # the service was reconfigured, the subgraph was not
    body = await wired.query("{ daftarSekolah { npsn } }")
    assert body["data"] == {"daftarSekolah": None}
    assert body["errors"][0]["extensions"] == {
        "code": "UPSTREAM_BAD_RESPONSE",
        "upstream": "dapodik",
    }
