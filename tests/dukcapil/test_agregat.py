"""The population summary kept next to the registry: the same counts as the registry
itself, built with the seed, added to a registry installed before it, and what the
subgraph reads (a count no longer scans every record); and how long the answers say they
hold (Cache-Control), for the gateway's cache."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from subgraphs.dukcapil.legacy import data_semester, install, siak_tables
from subgraphs.dukcapil.legacy.agregat import counted_penduduk
from subgraphs.dukcapil.source import SiakDatabase
from subgraphs.toolkit.adapters import SqlSource
from tests.support.clock import TODAY

from .conftest import SCALE, Wired


def _counts(rows: list[dict[str, object]]) -> set[tuple[object, ...]]:
    return {
        (r["NO_KEC"], r["NO_KEL"], r["JENIS_KLMIN"], r["KELOMPOK"], r["JUMLAH"], r["KEPALA"])
        for r in rows
    }


async def test_the_summary_holds_the_registry_s_counts(sqlite_db: str) -> None:
    tanggal = data_semester(TODAY)
    async with SqlSource("siak", sqlite_db) as source:
        scanned = await source.fetch_all(counted_penduduk("", tanggal))
        summary = siak_tables().agregat_penduduk
        kept = await source.fetch_all(select(summary))
        assert _counts(scanned) == _counts(kept) and kept
        assert {str(r["TANGGAL_DATA"])[:10] for r in kept} == {tanggal.isoformat()}
        db = SiakDatabase(source, tanggal)
        narrowed = await db.penduduk(no_kec=[1], no_kel=[1002])
        assert _counts(narrowed) == _counts(
            await source.fetch_all(counted_penduduk("", tanggal, [1], [1002]))
        )
        assert db._summary  # read from the summary


async def test_a_registry_installed_before_the_summary_gets_it(sqlite_db: str) -> None:
    tanggal = data_semester(TODAY)
    async with SqlSource("siak", sqlite_db) as source:
        await source.execute(f'DROP TABLE "{siak_tables().agregat_penduduk.name}"')
        db = SiakDatabase(source, tanggal)
        counted = await db.penduduk()  # counted from the registry meanwhile
        assert not db._summary
        assert not (await install(source, scale=SCALE, today=TODAY)).loaded
        assert _counts(await SiakDatabase(source, tanggal).penduduk()) == _counts(counted)
        kept = await source.fetch_all(select(siak_tables().agregat_penduduk))
        assert _counts(kept) == _counts(counted)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ pendudukKota { jumlah } }", "public, max-age=1800, stale-if-error=604800"),
        ("{ daftarKecamatan { nama } }", "public, max-age=86400, stale-if-error=2592000"),
        (
            "{ daftarKecamatan { nama penduduk { jumlah } } }",
            "public, max-age=1800, stale-if-error=604800",
        ),
    ],
)
async def test_counts_and_wilayah_say_how_long_they_hold(
    wired: Wired, query: str, expected: str
) -> None:
    response = await wired.post(query, None)
    assert response.status_code == 200 and "errors" not in response.json()
    assert response.headers["cache-control"] == expected
