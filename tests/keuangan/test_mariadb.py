"""The subgraph against the real MariaDB on this machine: the same answers as on SQLite.

Tables get a unique prefix and are dropped afterwards. ``SIMPUL_TEST_MARIADB_URL`` points
at another server; with MariaDB unreachable the test fails unless
``SIMPUL_SKIP_EXTERNAL_DB=1`` says to skip it.
"""

from __future__ import annotations

import os
import uuid

import pytest

from subgraphs.keuangan.legacy import drop_tables, install
from subgraphs.toolkit import UpstreamError
from subgraphs.toolkit.adapters import SqlSource
from tests.support.clock import TODAY

from .conftest import wire

MARIADB = os.environ.get("SIMPUL_TEST_MARIADB_URL", "mariadb://root@127.0.0.1:3306/test")

QUERY = """query ($r: [_Any!]!) { tahunAnggaran _entities(representations: $r) {
  ... on Opd { kode anggaran(tahun: 2025) { pagu realisasi persentase
    perBulan { bulan realisasi } perProgram { kode nama pagu realisasi } } } } }"""
REPRESENTATIONS = {
    "r": [
        {"__typename": "Opd", "kode": "5.02.0.00.0.00.01.0000"},
        {"__typename": "Opd", "kode": "2.16.2.20.2.21.01.0000"},
        {"__typename": "Opd", "kode": "7.01.0.00.0.00.03.0000"},
    ]
}


async def test_mariadb_answers_like_sqlite(sqlite_db: str) -> None:
    prefix = f"t_keu_{uuid.uuid4().hex[:8]}_"
    async with SqlSource("sipd", MARIADB, timeout=3.0) as source:
        try:
            await source.fetch_one("SELECT 1 AS one")
        except UpstreamError:
            if os.environ.get("SIMPUL_SKIP_EXTERNAL_DB"):
                pytest.skip("MariaDB unreachable and SIMPUL_SKIP_EXTERNAL_DB=1")
            raise
        try:
            assert await install(source, prefix, today=TODAY)
            on_mariadb = await wire(MARIADB, prefix=prefix)
            try:
                body = await on_mariadb.query(QUERY, REPRESENTATIONS)
                assert len(on_mariadb.selects()) == 2  # the batch, and tahunAnggaran
            finally:
                await on_mariadb.client.aclose()
                await on_mariadb.database.aclose()
        finally:
            await drop_tables(source, prefix)
        left = await source.fetch_all(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND table_name LIKE :p",
            {"p": prefix + "%"},
        )
        assert left == []
    on_sqlite = await wire(sqlite_db)
    try:
        expected = await on_sqlite.query(QUERY, REPRESENTATIONS)
    finally:
        await on_sqlite.client.aclose()
        await on_sqlite.database.aclose()
    assert "errors" not in body
    assert body == expected
