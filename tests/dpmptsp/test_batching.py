"""Entities and per-kelurahan lists cost one request per page (or per 50 NIBs), not one per
key: the simulator counts every request."""

from __future__ import annotations

import math

import pytest

from subgraphs.dpmptsp.legacy import DpmptspSimulator
from subgraphs.reference import kelurahan_list

from .conftest import HEAVY, Wired

TERBIT = "/sicantik/api/listpermohonanterbit"
PROSES = "/sicantik/api/listpermohonanproses"
NIB = "/oss/api/inqueryNIB"
IZIN = "/oss/api/izin"

ENTITIES = """query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on Usaha { nib nama skala kbli { kode } izinUsaha: izin { nomor status }
    kelurahan { kode } }
  ... on Kelurahan { kode izin(tahun: 2025) { nomor kodeJenis } rekapIzin(tahun: 2025) {
    bulan terbit } usaha { nib } }
  ... on Izin { nomor status pemegang: usaha { nib } }
} }"""


def _pages(count: int) -> int:
    return max(1, math.ceil(count / 100))


@pytest.mark.parametrize("wired", [HEAVY], indirect=True, ids=["heavy"])
async def test_hundred_businesses_cost_two_requests(wired: Wired) -> None:
    nibs = [row["nib"] for row in wired.simulator.data.usaha[100:199]]
    representations = [{"__typename": "Usaha", "nib": nib} for nib in nibs]
    representations += [
        {"__typename": "Usaha", "nib": "1999999999999"},  # well-formed, unknown
        {"__typename": "Usaha", "nib": "bukan-nib"},
    ]
    body = await wired.query(ENTITIES, {"r": representations})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert [e["nib"] for e in entities[:99]] == nibs
    assert entities[99:] == [None, None]
    assert all(e["izinUsaha"] and e["kbli"] and e["kelurahan"] for e in entities[:99])
    # 100 well-formed NIBs in slices of 50: one request each for the businesses and for
    # their permits; the malformed one is never sent
    assert wired.simulator.calls[NIB] == 2
    assert wired.simulator.calls[IZIN] == 2


async def test_twenty_nine_kelurahan_cost_a_request_per_page(
    wired: Wired, simulator: DpmptspSimulator
) -> None:
    representations = [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]
    body = await wired.query(ENTITIES, {"r": representations})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert all(e["izin"] and e["rekapIzin"] and e["usaha"] for e in entities)
    data = simulator.data
    terbit = [r for r in data.permohonan if (r["d_terbit"] or "").startswith("2025")]
    proses = [
        r for r in data.permohonan if not r["d_terbit"] and r["d_terima_berkas"].startswith("2025")
    ]
    izin = [
        r
        for r in data.izin_usaha
        if (r["tgl_terbit_izin"] or r["tgl_permohonan"]).startswith("2025")
    ]
    # izin and rekapIzin share one batch: each list walked once for all 29
    assert dict(simulator.calls) == {
        TERBIT: _pages(len(terbit)),
        PROSES: _pages(len(proses)),
        IZIN: _pages(len(izin)),
        NIB: _pages(len(data.usaha)),
    }
    assert sum(simulator.calls.values()) < 29


@pytest.mark.parametrize("wired", [HEAVY], indirect=True, ids=["heavy"])
async def test_permit_entities_route_to_their_system(wired: Wired) -> None:
    data = wired.simulator.data
    sicantik = [r["no_surat"] or r["no_permohonan"] for r in data.permohonan[-40:]]
    oss = [r["nomor_izin"] or r["id_izin"] for r in data.izin_usaha[-40:]]
    representations = [{"__typename": "Izin", "nomor": n} for n in (*sicantik, *oss)]
    body = await wired.query(ENTITIES, {"r": representations})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert [e["nomor"] for e in entities] == [*sicantik, *oss]
    assert all(e["pemegang"] is None for e in entities[:40])
    assert all(e["pemegang"]["nib"] for e in entities[40:])
    calls = wired.simulator.calls
    # issued and pending SiCantik numbers, OSS numbers and ids: one request each
    assert calls[TERBIT] <= 1 and calls[PROSES] <= 1 and calls[IZIN] <= 2
    assert calls[NIB] == 1
