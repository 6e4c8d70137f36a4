"""The subgraph against the real PostgreSQL on this machine: the same answers as on SQLite.

Tables get a unique prefix and are dropped afterwards. ``SIMPUL_TEST_POSTGRES_URL`` points
at another server; with PostgreSQL unreachable the test fails unless
``SIMPUL_SKIP_EXTERNAL_DB=1`` says to skip it.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select

from subgraphs.dukcapil.legacy import drop_tables, install, siak_tables
from subgraphs.reference import kelurahan_list
from subgraphs.toolkit import UpstreamError
from subgraphs.toolkit.adapters import SqlSource
from tests.support.audit import AuditFiles
from tests.support.clock import TODAY

from .conftest import SCALE, wire

POSTGRES = os.environ.get("SIMPUL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

QUERY = """query ($r: [_Any!]!) {
  pendudukKota { jumlah lakiLaki perempuan jumlahKepalaKeluarga diperbarui tanggalData
    perKelompokUmur { kelompok lakiLaki perempuan } }
  daftarKecamatan { kode nama kodeBps kelurahan { kode nama } penduduk { jumlah } }
  _entities(representations: $r) { ... on Kelurahan { kode nama kecamatan { nama }
    penduduk { jumlah lakiLaki perempuan jumlahKepalaKeluarga diperbarui
      perKelompokUmur { kelompok jumlah } } } } }"""
REPRESENTATIONS = {"r": [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]}
VERIFY = """mutation ($nik: String!, $nama: String!, $lahir: String!) {
  verifikasiPenduduk(nik: $nik, nama: $nama, tanggalLahir: $lahir) { hasil } }"""


async def test_postgres_answers_like_sqlite(sqlite_db: str, audit: AuditFiles) -> None:
    prefix = f"t_dk_{uuid.uuid4().hex[:8]}_"
    async with SqlSource("siak", POSTGRES, timeout=3.0) as source:
        try:
            await source.fetch_one("SELECT 1 AS one")
        except UpstreamError:
            if os.environ.get("SIMPUL_SKIP_EXTERNAL_DB"):
                pytest.skip("PostgreSQL unreachable and SIMPUL_SKIP_EXTERNAL_DB=1")
            raise
        try:
            assert (await install(source, prefix, scale=SCALE, today=TODAY)).loaded
            assert not (await install(source, prefix, scale=SCALE, today=TODAY)).loaded
            b = siak_tables(prefix).biodata_wni
            person = await source.fetch_one(
                select(b.c.NIK, b.c.NAMA_LGKP, b.c.TGL_LHR).where(b.c.STAT_HIDUP == 1).limit(1)
            )
            assert person is not None
            on_postgres = await wire(audit, POSTGRES, prefix=prefix)
            try:
                body = await on_postgres.query(QUERY, REPRESENTATIONS)
                # wilayah, kelurahan, kecamatan + kota, and one look at the population summary
                assert len(on_postgres.selects()) == 4
                verified = await on_postgres.query(
                    VERIFY,
                    {
                        "nik": person["NIK"],
                        "nama": person["NAMA_LGKP"].lower(),
                        "lahir": person["TGL_LHR"].isoformat(),
                    },
                )
                logged = audit.entries()
            finally:
                await on_postgres.aclose()
        finally:
            await drop_tables(source, prefix)
        left = await source.fetch_all(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE :p",
            {"p": prefix + "%"},
        )
        assert left == []
    assert verified["data"]["verifikasiPenduduk"]["hasil"] == "SESUAI"
    assert [entry["detail"]["hasil"] for entry in logged] == ["SESUAI"]
    assert logged[0]["subjects"] == [audit.subject(person["NIK"])]
    on_sqlite = await wire(audit, sqlite_db)
    try:
        expected = await on_sqlite.query(QUERY, REPRESENTATIONS)
    finally:
        await on_sqlite.aclose()
    assert "errors" not in body
    assert body == expected
