"""A registry that cannot answer fails the fields that need it, with an UPSTREAM_* code and
a message naming neither host nor SQL; what the subgraph knows without the registry (the
key of an entity it was asked about, input checks) still answers, and nothing crashes."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from sqlalchemy import event, update

from subgraphs.dukcapil.legacy import data_semester, siak_tables
from subgraphs.dukcapil.legacy.agregat import refresh_agregat
from subgraphs.toolkit.adapters import SqlSource
from tests.support.audit import AuditFiles
from tests.support.clock import TODAY
from tests.support.serving import free_port

from .conftest import wire

EVERYTHING = """{ pendudukKota { jumlah }
  daftarKecamatan { kode nama }
  kelurahan(kode: "61.71.01.1002") { nama penduduk { jumlah } } }"""
VERIFY = """mutation { verifikasiPenduduk(nik: "6171014508900001", nama: "A",
  tanggalLahir: "1990-08-05") { hasil } }"""


def assert_upstream_errors(body: Any, code: str, paths: set[str]) -> None:
    assert {str(error["path"][0]) for error in body["errors"]} == paths, body["errors"]
    for error in body["errors"]:
        assert error["extensions"] == {"code": code, "upstream": "siak"}
        for leak in ("SELECT", "127.0.0.1", "sqlite", "BIODATA", "Traceback"):
            assert leak not in error["message"]


async def test_unreachable_database(audit: AuditFiles) -> None:
    subgraph = await wire(audit, f"postgresql://postgres@127.0.0.1:{free_port()}/siak", timeout=1.0)
    try:
        body = await subgraph.query(EVERYTHING)
        verified = await subgraph.query(VERIFY)
        bad = await subgraph.query('{ kelurahan(kode: "61.71.1") { nama } }')
    finally:
        await subgraph.aclose()
    assert body["data"] == {"pendudukKota": None, "daftarKecamatan": None, "kelurahan": None}
    assert_upstream_errors(
        body, "UPSTREAM_UNAVAILABLE", {"pendudukKota", "daftarKecamatan", "kelurahan"}
    )
    assert verified["data"] == {"verifikasiPenduduk": None}
    assert_upstream_errors(verified, "UPSTREAM_UNAVAILABLE", {"verifikasiPenduduk"})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"  # no database needed


async def test_slow_database_times_out(sqlite_db: str, audit: AuditFiles) -> None:
    subgraph = await wire(audit, sqlite_db, timeout=0.2)

    def stall(*args: Any) -> None:
        time.sleep(0.4)  # each statement outlasts the deadline

    event.listen(subgraph.database.source.engine.sync_engine, "before_cursor_execute", stall)
    try:
        body = await subgraph.query("{ pendudukKota { jumlah } daftarKecamatan { nama } }")
    finally:
        await subgraph.aclose()
    assert body["data"] == {"pendudukKota": None, "daftarKecamatan": None}
    assert_upstream_errors(body, "UPSTREAM_TIMEOUT", {"pendudukKota", "daftarKecamatan"})


async def test_broken_resident_table_nulls_population_only(
    sqlite_db: str, audit: AuditFiles
) -> None:
    async with SqlSource("siak", sqlite_db) as source:
        await source.execute('ALTER TABLE "BIODATA_WNI" RENAME TO "BIODATA_WNI_RUSAK"')
        # and its summary, which counts are read from first (legacy/agregat.py)
        await source.execute('DROP TABLE "SIM_AGREGAT_PENDUDUK"')
    subgraph = await wire(audit, sqlite_db)
    try:
        body = await subgraph.query(
            """query ($r: [_Any!]!) { daftarKecamatan { nama penduduk { jumlah } }
               _entities(representations: $r) {
                 ... on Kelurahan { nama penduduk { jumlah } } } }""",
            {"r": [{"__typename": "Kelurahan", "kode": "61.71.02.1003"}]},
        )
    finally:
        await subgraph.aclose()
    data = body["data"]
    assert data["_entities"] == [{"nama": "Saigon", "penduduk": None}]
    assert all(k["nama"] and k["penduduk"] is None for k in data["daftarKecamatan"])
    assert_upstream_errors(body, "UPSTREAM_BAD_RESPONSE", {"daftarKecamatan", "_entities"})
    assert len(body["errors"]) == 7  # each penduduk field, one error each


async def test_broken_master_tables_fail_the_wilayah(sqlite_db: str, audit: AuditFiles) -> None:
    async with SqlSource("siak", sqlite_db) as source:
        await source.execute('DROP TABLE "SETUP_KEL"')
    subgraph = await wire(audit, sqlite_db)
    try:
        body = await subgraph.query(
            """query ($r: [_Any!]!) { pendudukKota { jumlah } daftarKelurahan { nama }
               _entities(representations: $r) { ... on Kelurahan { nama } } }""",
            {"r": [{"__typename": "Kelurahan", "kode": "61.71.02.1003"}]},
        )
    finally:
        await subgraph.aclose()
    assert body["data"]["pendudukKota"]["jumlah"] > 0  # BIODATA_WNI still answers
    assert body["data"]["daftarKelurahan"] is None
    assert body["data"]["_entities"] == [None]
    assert_upstream_errors(body, "UPSTREAM_BAD_RESPONSE", {"daftarKelurahan", "_entities"})


async def test_corrupt_rows_are_a_bad_response(sqlite_db: str, audit: AuditFiles) -> None:
    b = siak_tables().biodata_wni
    async with SqlSource("siak", sqlite_db) as source:
        await source.execute(update(b).where(b.c.NO_KEC == 4).values(JENIS_KLMIN=3))
        # a change to the registry refreshes its summary, in the change's transaction
        async with source.engine.begin() as connection:
            await refresh_agregat(connection, "", data_semester(TODAY))
    subgraph = await wire(audit, sqlite_db)
    try:
        body = await subgraph.query("{ pendudukKota { jumlah } daftarKecamatan { nama } }")
    finally:
        await subgraph.aclose()
    assert body["data"]["pendudukKota"] is None
    assert len(body["data"]["daftarKecamatan"]) == 6
    assert_upstream_errors(body, "UPSTREAM_BAD_RESPONSE", {"pendudukKota"})


async def test_failing_verifications_leave_no_personal_data_in_the_log(
    caplog: pytest.LogCaptureFixture, audit: AuditFiles
) -> None:
    caplog.set_level(logging.DEBUG)
    subgraph = await wire(audit, f"postgresql://postgres@127.0.0.1:{free_port()}/siak", timeout=1.0)
    try:
        down = await subgraph.query(VERIFY)  # inline NIK, name and birth date; no database
        bad = await subgraph.query(
            'mutation { verifikasiPenduduk(nik: "617101450890", nama: "Rahmawati Binti Usman",'
            ' tanggalLahir: "1990-08-05") { hasil } }'
        )
        invalid = await subgraph.query('mutation { verifikasiPenduduk(nik: "6171014508900001") }')
    finally:
        await subgraph.aclose()
    assert down["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "errors" in invalid
    assert "UPSTREAM_UNAVAILABLE at verifikasiPenduduk" in caplog.text
    for personal in ("6171014508900001", "617101450890", "Rahmawati", "1990-08-05"):
        assert personal not in caplog.text
    assert "Traceback" not in caplog.text
