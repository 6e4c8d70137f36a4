"""``Opd.anggaran(tahun:)`` and the root fields, one SQL query per batch."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from subgraphs.keuangan.legacy import install
from subgraphs.reference import opd_list
from subgraphs.toolkit.adapters import SqlSource, sqlite_url

from .conftest import HEAVY, Wired, wire

BKD = "5.02.0.00.0.00.01.0000"
KOMINFO = "2.16.2.20.2.21.01.0000"

ANGGARAN = """fragment A on Anggaran { tahun pagu realisasi persentase sisa sumber diperbarui
  perBulan { bulan realisasi realisasiKumulatif persentaseKumulatif }
  perProgram { kode nama pagu realisasi persentase
    kegiatan { kode nama pagu realisasi subKegiatan { kode nama pagu realisasi persentase } } } }"""


@pytest.mark.parametrize("wired", [HEAVY], indirect=True, ids=["heavy"])
async def test_all_opd_budgets_in_one_query(wired: Wired) -> None:
    body = await wired.query(
        ANGGARAN
        + """query ($r: [_Any!]!) { _entities(representations: $r) { ... on Opd {
              kode a2024: anggaran(tahun: 2024) { ...A } a2025: anggaran(tahun: 2025) { ...A }
              a2023: anggaran(tahun: 2023) { pagu } } } }""",
        {"r": [{"__typename": "Opd", "kode": opd.kode} for opd in opd_list()]},
    )
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert [e["kode"] for e in entities] == [opd.kode for opd in opd_list()]
    for entity in entities:
        assert entity["a2023"] is None
        for key in ("a2024", "a2025"):
            anggaran = entity[key]
            assert anggaran["pagu"] > 0 and 0 < anggaran["persentase"] <= 100
            assert [m["bulan"] for m in anggaran["perBulan"]] == list(range(1, 13))
            assert anggaran["perBulan"][-1]["realisasiKumulatif"] == pytest.approx(
                anggaran["realisasi"]
            )
            assert sum(p["pagu"] for p in anggaran["perProgram"]) == pytest.approx(anggaran["pagu"])
            assert anggaran["sisa"] == pytest.approx(anggaran["pagu"] - anggaran["realisasi"])
            assert anggaran["diperbarui"][:4] in {
                str(anggaran["tahun"] - 1),
                str(anggaran["tahun"]),
            }
    assert len(wired.selects()) == 1


async def test_programs_kegiatan_and_sub_kegiatan(wired: Wired) -> None:
    body = await wired.query(
        ANGGARAN + "query ($k: String!) { anggaranOpd(kode: $k, tahun: 2025) { ...A } }",
        {"k": KOMINFO},
    )
    anggaran = body["data"]["anggaranOpd"]
    programs = {p["kode"]: p for p in anggaran["perProgram"]}
    assert programs["2.16.03"]["nama"] == "PROGRAM APLIKASI INFORMATIKA"
    assert programs["2.16.01"]["nama"].startswith("PROGRAM PENUNJANG")
    for program in anggaran["perProgram"]:
        assert sum(k["pagu"] for k in program["kegiatan"]) == pytest.approx(program["pagu"])
        for kegiatan in program["kegiatan"]:
            assert kegiatan["kode"].startswith(program["kode"] + ".")
            assert sum(s["realisasi"] for s in kegiatan["subKegiatan"]) == pytest.approx(
                kegiatan["realisasi"]
            )
    assert anggaran["sumber"].startswith("Badan Keuangan Daerah")


async def test_current_year_runs_to_the_month_before_the_export(wired: Wired) -> None:
    # seeded on 2 November 2026: realisation through October
    body = await wired.query(
        "query ($k: String!) { anggaranOpd(kode: $k, tahun: 2026) "
        "{ perBulan { bulan } persentase } }",
        {"k": BKD},
    )
    anggaran = body["data"]["anggaranOpd"]
    assert [m["bulan"] for m in anggaran["perBulan"]] == list(range(1, 11))
    assert anggaran["persentase"] < 100


async def test_in_january_the_new_year_has_its_budget_and_no_realisation(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "sipd.sqlite")
    async with SqlSource("sipd", url) as source:
        assert await install(source, today=date(2027, 1, 20))
    subgraph = await wire(url)
    try:
        body = await subgraph.query(
            "query ($k: String!) { tahunAnggaran anggaranOpd(kode: $k, tahun: 2027) "
            "{ pagu realisasi persentase perBulan { bulan } } }",
            {"k": KOMINFO},
        )
    finally:
        await subgraph.client.aclose()
        await subgraph.database.aclose()
    assert body["data"]["tahunAnggaran"] == [2025, 2026, 2027]
    anggaran = body["data"]["anggaranOpd"]
    assert anggaran["pagu"] > 0 and anggaran["perBulan"] == []
    assert anggaran["realisasi"] == 0 and anggaran["persentase"] == 0


async def test_root_fields_and_inputs(wired: Wired) -> None:
    body = await wired.query(
        '{ tahunAnggaran none: anggaranOpd(kode: "9.99.0.00.0.00.01.0000", tahun: 2025) { pagu } }'
    )
    assert body == {"data": {"tahunAnggaran": [2024, 2025, 2026], "none": None}}
    bad = await wired.query('{ anggaranOpd(kode: "BKD", tahun: 2025) { pagu } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    bad = await wired.query(
        "query ($r: [_Any!]!) { _entities(representations: $r) "
        "{ ... on Opd { anggaran(tahun: 25) { pagu } } } }",
        {"r": [{"__typename": "Opd", "kode": BKD}]},
    )
    assert bad["errors"][0]["message"] == "The budget year must be between 2000 and 2100."
    assert bad["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "pesan": "Tahun anggaran harus antara 2000 dan 2100.",
    }


async def test_health(wired: Wired) -> None:
    assert (await wired.client.get("/health")).json() == {"status": "pass"}
