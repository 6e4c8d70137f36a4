"""The SIPD-style database: SIPD's table and column names, budgets for every OPD."""

from __future__ import annotations

from subgraphs.keuangan.legacy import TABLES, install, seed
from subgraphs.reference import opd_list, urusan_list
from subgraphs.toolkit.adapters import SqlSource


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
        assert not await install(source)  # already seeded: left as it is


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
    data = seed()
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


def test_seed_is_deterministic() -> None:
    first = seed()
    seed.cache_clear()
    assert seed() == first
