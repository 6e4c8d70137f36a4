"""The SIPD-style database: SIPD's table and column names, budgets for every OPD in
proportion to the city's APBD, dated from the day the export is taken."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from subgraphs.keuangan.legacy import (
    TABLES,
    install,
    installed_seed,
    seed,
    seed_key,
    tahun_anggaran,
)
from subgraphs.keuangan.legacy.apbd import belanja_daerah, pagu_opd
from subgraphs.reference import opd_for_subgraph, opd_list, urusan_list
from subgraphs.toolkit.adapters import SqlSource, sqlite_url
from tests.support.clock import TODAY

LATER = date(2027, 3, 15)


async def test_tables_and_columns(sqlite_db: str) -> None:
    async with SqlSource("sipd", sqlite_db) as source:
        for table in TABLES:
            row = await source.fetch_one(f"SELECT * FROM {table} LIMIT 1")
            assert row is not None
        row = await source.fetch_one("SELECT * FROM d_anggaran_sub_giat LIMIT 1")
        assert row is not None
        assert set(row) == {
            "tahun",
            "id_skpd",
            "kode_sub_giat",
            "pagu",
            "sumber_dana",
            "tgl_update",
        }
        assert not await install(source, today=TODAY)  # already seeded: left as it is


async def test_every_opd_has_a_budget_for_2024_and_2025(sqlite_db: str) -> None:
    async with SqlSource("sipd", sqlite_db) as source:
        rows = await source.fetch_all(
            """SELECT s.kode_skpd, a.tahun, SUM(a.pagu) AS pagu FROM d_anggaran_sub_giat a
               JOIN ref_skpd s ON s.id_skpd = a.id_skpd GROUP BY s.kode_skpd, a.tahun"""
        )
    have = {(row["kode_skpd"], row["tahun"]) for row in rows if row["pagu"] > 0}
    for opd in opd_list():
        assert {(opd.kode, 2024), (opd.kode, 2025)} <= have


def test_codes_nest_and_realisation_stays_under_pagu() -> None:
    data = seed(TODAY)
    urusan = {u.kode for u in urusan_list()}
    giat = {row["kode_giat"]: row["kode_program"] for row in data.ref_giat}
    for row in data.ref_program:
        assert row["kode_bidang_urusan"] in urusan
        assert row["kode_program"].startswith(row["kode_bidang_urusan"] + ".")
    for row in data.ref_sub_giat:
        assert row["kode_sub_giat"].startswith(row["kode_giat"] + ".")
        assert row["kode_giat"].startswith(giat[row["kode_giat"]] + ".")
    spent: dict[tuple[int, int, str], float] = {}
    months: dict[tuple[int, int, str], list[int]] = {}
    for row in data.d_realisasi_bulan:
        key = (row["tahun"], row["id_skpd"], row["kode_sub_giat"])
        spent[key] = spent.get(key, 0) + row["realisasi"]
        months.setdefault(key, []).append(row["bulan"])
    for row in data.d_anggaran_sub_giat:
        key = (row["tahun"], row["id_skpd"], row["kode_sub_giat"])
        assert 0 < spent[key] <= row["pagu"]
        expected = list(range(1, 13)) if row["tahun"] < 2026 else list(range(1, 11))
        assert months[key] == expected


def test_years_and_realisation_follow_the_day() -> None:
    assert tahun_anggaran(LATER) == (2025, 2026, 2027)
    data = seed(LATER)
    assert {row["tahun"] for row in data.d_anggaran_sub_giat} == {2025, 2026, 2027}
    months: dict[int, set[int]] = defaultdict(set)
    for row in data.d_realisasi_bulan:
        months[row["tahun"]].add(row["bulan"])
    # the export of 1 March: realisation through February
    assert months == {2025: set(range(1, 13)), 2026: set(range(1, 13)), 2027: {1, 2}}
    # in January the new year has its budget and no realisation yet
    january = seed(date(2027, 1, 20))
    assert 2027 in {row["tahun"] for row in january.d_anggaran_sub_giat}
    assert 2027 not in {row["tahun"] for row in january.d_realisasi_bulan}
    assert all(row["tgl_update"] < "2027-01-01" for row in january.d_anggaran_sub_giat)


def test_the_same_day_gives_the_same_data_and_a_year_keeps_its_budget() -> None:
    first = seed(LATER)
    seed.cache_clear()
    assert seed(LATER) == first
    assert seed(date(2027, 3, 1)) == first  # one export a month
    assert seed_key(date(2027, 3, 1)) == seed_key(LATER) != seed_key(date(2027, 4, 1))

    def budget(today: date, tahun: int) -> list[tuple[int, str, float]]:
        rows = seed(today).d_anggaran_sub_giat
        return [(r["id_skpd"], r["kode_sub_giat"], r["pagu"]) for r in rows if r["tahun"] == tahun]

    def spent(today: date, tahun: int) -> dict[tuple[int, str, int], float]:
        return {
            (r["id_skpd"], r["kode_sub_giat"], r["bulan"]): r["realisasi"]
            for r in seed(today).d_realisasi_bulan
            if r["tahun"] == tahun
        }

    assert budget(TODAY, 2026) == budget(LATER, 2026)
    # a later export adds the months since, and changes none before
    assert spent(TODAY, 2026).items() < spent(LATER, 2026).items()


def test_the_budget_is_in_proportion_to_the_city() -> None:
    data = seed(TODAY)
    kode = {row["id_skpd"]: row["kode_skpd"] for row in data.ref_skpd}
    per_opd: dict[str, float] = defaultdict(float)
    for row in data.d_anggaran_sub_giat:
        if row["tahun"] == 2026:
            per_opd[kode[row["id_skpd"]]] += row["pagu"]
    total = sum(per_opd.values())
    assert total == pytest.approx(belanja_daerah(2026), rel=1e-4)
    assert 2.0e12 <= total <= 2.3e12
    largest = sorted(per_opd, key=per_opd.__getitem__, reverse=True)
    pupr = "1.03.0.00.0.00.01.0000"
    assert largest[:3] == [opd_for_subgraph("dikbud").kode, opd_for_subgraph("dinkes").kode, pupr]
    assert 0.25 <= per_opd[largest[0]] / total <= 0.30  # education, teachers included
    assert 0.15 <= per_opd[largest[1]] / total <= 0.20  # health, the RSUD included
    assert 15e9 <= per_opd[opd_for_subgraph("kominfo").kode] <= 30e9
    # from one year to the next, the city's total grows by a few percent
    for tahun in (2025, 2026, 2027):
        assert 1.0 < belanja_daerah(tahun) / belanja_daerah(tahun - 1) < 1.07
        assert sum(pagu_opd(tahun).values()) == pytest.approx(belanja_daerah(tahun))


def test_spending_is_slow_in_the_first_quarter_and_heavy_in_the_last() -> None:
    data = seed(TODAY)
    per_month: dict[int, float] = defaultdict(float)
    for row in data.d_realisasi_bulan:
        if row["tahun"] == 2025:
            per_month[row["bulan"]] += row["realisasi"]
    year = sum(per_month.values())
    first = sum(per_month[m] for m in (1, 2, 3)) / year
    last = sum(per_month[m] for m in (10, 11, 12)) / year
    assert first < 0.2 < 0.3 < last
    pagu = sum(r["pagu"] for r in data.d_anggaran_sub_giat if r["tahun"] == 2025)
    assert 0.85 < year / pagu < 0.95


async def test_a_new_month_loads_the_new_export(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "sipd.sqlite")
    async with SqlSource("sipd", url) as source:
        assert await installed_seed(source) is None
        assert await install(source, today=TODAY)
        assert await installed_seed(source) == seed_key(TODAY) == "2026-11-01-v2"
        assert not await install(source, today=date(2026, 11, 30))
        assert await install(source, today=date(2026, 12, 1))
        months = await source.fetch_all(
            "SELECT DISTINCT bulan FROM d_realisasi_bulan WHERE tahun = 2026 ORDER BY bulan"
        )
        assert [row["bulan"] for row in months] == list(range(1, 12))  # replaced, not added
        skpd = await source.fetch_one("SELECT COUNT(*) AS n FROM ref_skpd")
        assert skpd is not None and skpd["n"] == len(opd_list())
