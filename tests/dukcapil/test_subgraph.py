"""Wilayah and population through the subgraph: names from SIAK's master tables, counts
that add up, age groups on the data's cut-off day, two statements for the whole city."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from subgraphs.dukcapil.legacy import HIDUP, data_semester, install, siak_tables
from subgraphs.dukcapil.penduduk import years_before
from subgraphs.reference import kecamatan_list, kelurahan_by_code, kelurahan_list
from subgraphs.toolkit.adapters import SqlSource, sqlite_url
from tests.support.audit import AuditFiles
from tests.support.clock import TODAY

from .conftest import SCALE, Wired, wire

PENDUDUK = """fragment P on Penduduk { jumlah lakiLaki perempuan jumlahKepalaKeluarga
  tanggalData sumber diperbarui
  perKelompokUmur { kelompok umurMin umurMaks lakiLaki perempuan jumlah } }"""


async def test_wilayah_from_the_master_tables(wired: Wired) -> None:
    body = await wired.query(
        "{ daftarKecamatan { kode nama kodeBps kelurahan { kode nama kodeBps kecamatan { kode } } }"
        " daftarKelurahan { kode } }"
    )
    assert "errors" not in body
    kecamatan = body["data"]["daftarKecamatan"]
    assert [(k["kode"], k["nama"], k["kodeBps"]) for k in kecamatan] == [
        (k.kode, k.nama, k.kode_bps) for k in kecamatan_list()
    ]
    for item in kecamatan:
        expected = kelurahan_list(item["kode"])
        assert [(k["kode"], k["nama"], k["kodeBps"]) for k in item["kelurahan"]] == [
            (k.kode, k.nama, k.kode_bps) for k in expected
        ]
        assert {k["kecamatan"]["kode"] for k in item["kelurahan"]} == {item["kode"]}
    assert [k["kode"] for k in body["data"]["daftarKelurahan"]] == [
        k.kode for k in kelurahan_list()
    ]
    assert len(wired.selects()) == 1  # the master wilayah, once per request


async def test_root_lookups_and_inputs(wired: Wired) -> None:
    body = await wired.query(
        """{ a: kecamatan(kode: "61.71.04") { nama }
             b: kelurahan(kode: "61.71.05.1003") { nama kecamatan { nama } }
             c: kecamatan(kode: "61.71.09") { nama }
             d: kelurahan(kode: "61.71.01.1999") { nama }
             e: daftarKelurahan(kecamatan: "61.71.06") { nama }
             f: daftarKelurahan(kecamatan: "61.71.09") { nama } }"""
    )
    assert body["data"] == {
        "a": {"nama": "Pontianak Utara"},
        "b": {"nama": "Tengah", "kecamatan": {"nama": "Pontianak Kota"}},
        "c": None,
        "d": None,
        "e": [{"nama": k.nama} for k in kelurahan_list("61.71.06")],
        "f": [],
    }
    for query in (
        '{ kecamatan(kode: "6171.01") { nama } }',
        '{ kelurahan(kode: "61.71.01.2001") { nama } }',
        '{ kelurahan(kode: "61.71.01") { nama } }',
        '{ daftarKelurahan(kecamatan: "Pontianak Kota") { nama } }',
    ):
        bad = await wired.query(query)
        assert bad["data"] is not None
        assert [e["extensions"]["code"] for e in bad["errors"]] == ["BAD_USER_INPUT"], query


async def test_every_kelurahan_with_its_population_in_two_statements(wired: Wired) -> None:
    body = await wired.query(
        PENDUDUK
        + """query ($r: [_Any!]!) { _entities(representations: $r) {
              ... on Kelurahan { kode nama kecamatan { kode } penduduk { ...P } } } }""",
        {"r": [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]},
    )
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert [e["kode"] for e in entities] == [k.kode for k in kelurahan_list()]
    for entity in entities:
        reference = kelurahan_by_code(entity["kode"])
        assert entity["nama"] == reference.nama
        assert entity["kecamatan"]["kode"] == reference.kecamatan_kode
        assert entity["penduduk"]["jumlah"] > 0
    # a look at whether the summary is current (once per adapter), the master wilayah
    # and one count of the summary
    looks = [s for s in wired.selects() if "SIM_AGREGAT_PENDUDUK" in s and "LIMIT" in s]
    assert len(looks) == 1 and len(wired.selects()) == 3


async def test_entities_unknown_and_malformed_keys_are_null(wired: Wired) -> None:
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on Kelurahan { nama } ... on Kecamatan { nama } } }""",
        {
            "r": [
                {"__typename": "Kecamatan", "kode": "61.71.02"},
                {"__typename": "Kelurahan", "kode": "61.71.02.1999"},
                {"__typename": "Kelurahan", "kode": "nonsense"},
                {"__typename": "Kelurahan", "kode": "61.71.02.1001"},
            ]
        },
    )
    assert body["data"]["_entities"] == [
        {"nama": "Pontianak Timur"},
        None,
        None,
        {"nama": "Parit Mayor"},
    ]


async def test_counts_add_up_from_kelurahan_to_city(wired: Wired) -> None:
    body = await wired.query(
        PENDUDUK
        + """{ pendudukKota { ...P }
               daftarKecamatan { kode penduduk { ...P } kelurahan { penduduk { ...P } } } }"""
    )
    assert "errors" not in body
    kota = body["data"]["pendudukKota"]
    kecamatan = body["data"]["daftarKecamatan"]
    for figures in [kota] + [k["penduduk"] for k in kecamatan]:
        assert figures["jumlah"] == figures["lakiLaki"] + figures["perempuan"]
        groups = figures["perKelompokUmur"]
        assert [g["kelompok"] for g in groups] == [f"{a}-{a + 4}" for a in range(0, 75, 5)] + [
            "75+"
        ]
        assert groups[-1]["umurMaks"] is None and groups[3]["umurMin"] == 15
        assert all(g["jumlah"] == g["lakiLaki"] + g["perempuan"] for g in groups)
        assert sum(g["lakiLaki"] for g in groups) == figures["lakiLaki"]
        assert sum(g["perempuan"] for g in groups) == figures["perempuan"]
        assert figures["tanggalData"] == data_semester(TODAY).isoformat()
        assert figures["diperbarui"] <= figures["tanggalData"]
        assert figures["sumber"].startswith("Disdukcapil Kota Pontianak: SIAK")
    for item in kecamatan:
        for key in ("jumlah", "lakiLaki", "perempuan", "jumlahKepalaKeluarga"):
            assert item["penduduk"][key] == sum(k["penduduk"][key] for k in item["kelurahan"])
    for key in ("jumlah", "lakiLaki", "perempuan", "jumlahKepalaKeluarga"):
        assert kota[key] == sum(k["penduduk"][key] for k in kecamatan)
    # Pontianak is young and about as many men as women
    under_30 = sum(g["jumlah"] for g in kota["perKelompokUmur"][:6])
    assert 0.4 < under_30 / kota["jumlah"] < 0.65
    assert 0.45 < kota["lakiLaki"] / kota["jumlah"] < 0.55
    assert 2.8 < kota["jumlah"] / kota["jumlahKepalaKeluarga"] < 4.5
    assert len(wired.selects()) <= 4


async def test_the_figures_are_as_of_the_last_semester_before_today(
    tmp_path: Path, audit: AuditFiles
) -> None:
    later = date(2027, 3, 15)
    url = sqlite_url(tmp_path / "siak.sqlite")
    async with SqlSource("siak", url) as source:
        assert (await install(source, scale=SCALE, today=later)).loaded
    subgraph = await wire(audit, url, today=later)
    try:
        body = await subgraph.query("{ pendudukKota { tanggalData diperbarui } }")
    finally:
        await subgraph.aclose()
    figures = body["data"]["pendudukKota"]
    assert figures["tanggalData"] == "2026-12-31"  # "keadaan 31 Desember 2026"
    assert "2026-07-01" <= figures["diperbarui"] <= "2026-12-31"


async def test_counts_match_the_living_residents_and_their_ages(
    wired: Wired, sqlite_db: str
) -> None:
    kode = "61.71.03.1002"
    body = await wired.query(
        PENDUDUK + '{ kelurahan(kode: "61.71.03.1002") { penduduk { ...P } } }'
    )
    figures = body["data"]["kelurahan"]["penduduk"]
    b = siak_tables().biodata_wni
    async with SqlSource("siak", sqlite_db) as source:
        rows = await source.fetch_all(
            select(b.c.TGL_LHR, b.c.JENIS_KLMIN, b.c.STAT_HIDUP, b.c.STAT_HBKEL).where(
                b.c.NO_KEC == 3, b.c.NO_KEL == 1002
            )
        )
    living = [row for row in rows if row["STAT_HIDUP"] == HIDUP]
    assert len(living) < len(rows)  # deceased residents are on file but not counted
    assert figures["jumlah"] == len(living)
    assert figures["jumlahKepalaKeluarga"] == sum(1 for row in living if row["STAT_HBKEL"] == 1)
    expected = [[0, 0] for _ in range(16)]
    for row in living:
        born: date = row["TGL_LHR"]
        age = next(a for a in range(120, -1, -1) if born <= years_before(data_semester(TODAY), a))
        expected[min(age // 5, 15)][row["JENIS_KLMIN"] - 1] += 1
    assert [[g["lakiLaki"], g["perempuan"]] for g in figures["perKelompokUmur"]] == expected, kode


async def test_health(wired: Wired) -> None:
    assert (await wired.client.get("/health")).json() == {"status": "pass"}
