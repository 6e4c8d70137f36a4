"""The SIAK-style registry: SIAK's table and column names, a deterministic synthetic seed
covering every kelurahan as of the last completed semester, NIKs in the real format,
reloaded when its semester or version changes."""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from subgraphs.dukcapil.legacy import (
    data_semester,
    install,
    installed_seed,
    seed_key,
    siak_numbers,
    siak_tables,
    warga,
)
from subgraphs.dukcapil.legacy.seed import BIODATA_COLUMNS, KELUARGA_COLUMNS
from subgraphs.dukcapil.serve import log_progress
from subgraphs.reference import NIK_RE, kecamatan_by_code, kelurahan_list, parse_nik
from subgraphs.toolkit.adapters import SqlSource, sqlite_url
from tests.support.clock import TODAY

from .conftest import SCALE


async def test_siak_tables_and_columns(sqlite_db: str) -> None:
    tables = siak_tables()
    async with SqlSource("siak", sqlite_db) as source:
        for table, columns in (
            (tables.biodata_wni, set(BIODATA_COLUMNS)),
            (tables.data_keluarga, set(KELUARGA_COLUMNS)),
            (tables.setup_kec, {"NO_PROP", "NO_KAB", "NO_KEC", "NAMA_KEC"}),
            (tables.setup_kel, {"NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL", "NAMA_KEL"}),
        ):
            row = await source.fetch_one(f'SELECT * FROM "{table.name}" LIMIT 1')
            assert row is not None and set(row) == columns, table.name
        kel = await source.fetch_all(select(tables.setup_kel))
        assert {(r["NO_PROP"], r["NO_KAB"], r["NO_KEC"], r["NO_KEL"]) for r in kel} == {
            siak_numbers(k.kode) for k in kelurahan_list()
        }
        assert all(r["NAMA_KEL"] == r["NAMA_KEL"].upper() for r in kel)


def test_the_data_is_the_last_semester_completed_before_today() -> None:
    assert data_semester(date(2027, 3, 15)) == date(2026, 12, 31)
    assert data_semester(date(2026, 12, 31)) == date(2026, 6, 30)
    assert data_semester(date(2026, 7, 1)) == date(2026, 6, 30)
    assert data_semester(date(2026, 6, 30)) == date(2025, 12, 31)
    assert data_semester(date(2026, 1, 1)) == date(2025, 12, 31)
    # one key per semester: a registry is seeded again at most twice a year
    assert seed_key(date(2027, 3, 15)) == seed_key(date(2027, 1, 1)) != seed_key(TODAY)
    assert seed_key(TODAY) == seed_key(date(2026, 12, 31)) == "2026.1-v2"
    assert seed_key(date(2027, 3, 15)) == "2026.2-v2"


def test_seed_is_deterministic_and_covers_every_kelurahan() -> None:
    started = time.perf_counter()
    first = list(warga(TODAY, SCALE))
    assert time.perf_counter() - started < 1.0
    assert first == list(warga(TODAY, SCALE))
    assert first == list(warga(date(2026, 12, 31), SCALE))  # the same semester
    assert first != list(warga(date(2027, 3, 15), SCALE))
    assert [k.kelurahan for k in first] == [k.kode for k in kelurahan_list()]
    for generated, kelurahan in zip(first, kelurahan_list(), strict=True):
        target = round(kelurahan.penduduk_2024 * SCALE)
        assert target <= len(generated.biodata_wni) <= target + 8  # the last family may overflow
        assert generated.data_keluarga


def test_niks_are_real_format_and_match_the_record() -> None:
    niks: list[str] = []
    family_cards: list[str] = []
    for generated in warga(TODAY, SCALE):
        digits = kecamatan_by_code(generated.kelurahan.rsplit(".", 1)[0]).digits
        family_cards += [row["NO_KK"] for row in generated.rows("data_keluarga")]
        members = Counter(row["NO_KK"] for row in generated.rows("biodata_wni"))
        assert set(members) == {row["NO_KK"] for row in generated.rows("data_keluarga")}
        for row in generated.rows("biodata_wni"):
            assert NIK_RE.match(row["NIK"]) and row["NIK"].startswith(digits)
            parts = parse_nik(row["NIK"], today=data_semester(TODAY))
            assert parts.tanggal_lahir.isoformat() == row["TGL_LHR"]
            assert parts.perempuan == (row["JENIS_KLMIN"] == 2)
            assert row["TGL_UPDATION"] >= row["TGL_INSERTION"]
            assert row["TGL_UPDATION"][:10] <= data_semester(TODAY).isoformat()
            niks.append(row["NIK"])
    assert len(set(niks)) == len(niks)
    assert len(set(family_cards)) == len(family_cards)


async def test_install_loads_again_when_the_seed_changes(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "siak.sqlite")
    async with SqlSource("siak", url) as source:
        assert await installed_seed(source) is None
        first = await install(source, scale=SCALE, today=TODAY)
        assert first.loaded and first.penduduk > 1000 and first.keluarga > 300
        assert await installed_seed(source) == (seed_key(TODAY), SCALE)
        assert not (await install(source, scale=SCALE, today=TODAY)).loaded
        # later in the same semester: the registry stays as it is
        assert not (await install(source, scale=SCALE, today=date(2026, 12, 31))).loaded
        info = siak_tables().seed_info
        await source.execute(update(info).values(VERSI="old"))
        again = await install(source, scale=SCALE, today=TODAY)
        assert again.loaded and again.penduduk == first.penduduk
        b = siak_tables().biodata_wni
        count = await source.fetch_one(select(func.count().label("n")).select_from(b))
        assert count is not None and count["n"] == first.penduduk  # replaced, not added
        assert (await install(source, scale=SCALE * 2, today=TODAY)).loaded
        # a new semester: the next one's data
        assert (await install(source, scale=SCALE * 2, today=date(2027, 1, 1))).loaded
        assert await installed_seed(source) == ("2026.2-v2", SCALE * 2)


async def test_a_first_load_reports_its_progress_and_a_second_one_stays_quiet(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[tuple[int, int, int]] = []
    async with SqlSource("siak", sqlite_url(tmp_path / "siak.sqlite")) as source:
        installed = await install(
            source, scale=SCALE, today=TODAY, progress=lambda *step: heard.append(step)
        )
        again = await install(source, scale=SCALE, today=TODAY, progress=lambda *s: heard.append(s))
        assert not again.loaded
    total = len(kelurahan_list())
    assert [done for done, _, _ in heard] == list(range(1, total + 1))
    assert {all_ for _, all_, _ in heard} == {total}
    assert heard[-1][2] == installed.penduduk
    # what make up prints for it: a first line, then about every fifth of the city
    caplog.set_level(logging.WARNING, "simpul.dukcapil")
    for step in heard:
        log_progress(*step)
    lines = [record.getMessage() for record in caplog.records]
    assert lines[0] == f"seeding the population registry, once: {total} kelurahan"
    assert 5 <= len(lines) - 1 <= 6
    assert lines[-1] == f"seeding: {total} of {total} kelurahan, {installed.penduduk} residents"
