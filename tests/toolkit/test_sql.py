"""The SQL adapter against real databases: SQLite in a temporary file, and the PostgreSQL
and MariaDB servers on this machine (CI starts them). When a server is unreachable these
tests fail; set ``SIMPUL_SKIP_EXTERNAL_DB=1`` to skip them instead, knowingly.
``SIMPUL_TEST_POSTGRES_URL`` and ``SIMPUL_TEST_MARIADB_URL`` point them at other servers."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event

from subgraphs.toolkit import (
    RetryPolicy,
    UpstreamBadResponse,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from subgraphs.toolkit.adapters import SqlSource, async_url, sqlite_url
from tests.toolkit.legacy import closed_port_url

FAST_RETRY = RetryPolicy(attempts=2, backoff=0)

SERVERS = {
    "postgresql": os.environ.get(
        "SIMPUL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    ),
    "mariadb": os.environ.get("SIMPUL_TEST_MARIADB_URL", "mariadb://root@127.0.0.1:3306/test"),
}
SLEEP = {"postgresql": "SELECT pg_sleep(1)", "mariadb": "SELECT SLEEP(1)"}


async def open_source(backend: str, tmp_path: Path) -> SqlSource:
    """A source on ``backend``, its connection checked (see the module docstring)."""
    url = sqlite_url(tmp_path / "dukcapil.db") if backend == "sqlite" else SERVERS[backend]
    db = SqlSource("dukcapil", url, timeout=2.0, retry=FAST_RETRY)
    try:
        await db.fetch_one("SELECT 1 AS satu")
    except UpstreamUnavailable as error:
        await db.aclose()
        if backend != "sqlite" and os.environ.get("SIMPUL_SKIP_EXTERNAL_DB") == "1":
            pytest.skip(f"{backend} unreachable and SIMPUL_SKIP_EXTERNAL_DB=1")
        pytest.fail(
            f"{backend} at {url} is unreachable ({error}): start it (.ci/run does), "
            "or set SIMPUL_SKIP_EXTERNAL_DB=1 to skip these tests"
        )
    return db


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlSource]:
    """A source on each backend."""
    db = await open_source(request.param, tmp_path)
    try:
        yield db
    finally:
        await db.aclose()


@pytest.fixture
async def penduduk(database: SqlSource) -> AsyncIterator[str]:
    """A uniquely named table of population counts per kelurahan, dropped afterwards."""
    name = f"penduduk_{uuid.uuid4().hex[:12]}"
    await database.execute(
        f"CREATE TABLE {name} (kode_kelurahan VARCHAR(13) PRIMARY KEY, "
        "nama VARCHAR(64) NOT NULL, jumlah INTEGER NOT NULL)"
    )
    try:
        rows = [
            {"kode": f"61.71.01.{1000 + n}", "nama": f"Kelurahan {n}", "jumlah": n * 100}
            for n in range(1, 101)
        ]
        insert = f"INSERT INTO {name} VALUES (:kode, :nama, :jumlah)"
        await database.execute(insert, rows)
        yield name
    finally:
        await database.execute(f"DROP TABLE {name}")


async def test_parameterised_queries(database: SqlSource, penduduk: str) -> None:
    assert await database.fetch_one(f"SELECT COUNT(*) AS n FROM {penduduk}") == {"n": 100}
    rows = await database.fetch_all(
        f"SELECT kode_kelurahan, jumlah FROM {penduduk} WHERE jumlah > :min ORDER BY jumlah",
        {"min": 9800},
    )
    assert rows == [
        {"kode_kelurahan": "61.71.01.1099", "jumlah": 9900},
        {"kode_kelurahan": "61.71.01.1100", "jumlah": 10000},
    ]
    hostile = "x' OR '1'='1"
    assert (
        await database.fetch_one(f"SELECT * FROM {penduduk} WHERE nama = :nama", {"nama": hostile})
        is None
    )


async def test_fetch_by_keys_is_one_query_per_batch(database: SqlSource, penduduk: str) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        keys = [f"61.71.01.{1000 + number}" for number in range(1, 101)] + ["61.71.09.9999"]
        rows = await database.fetch_by_keys(
            penduduk, "kode_kelurahan", keys, columns=["kode_kelurahan", "jumlah"]
        )
        assert len(rows) == 100
        assert {"kode_kelurahan": "61.71.01.1042", "jumlah": 4200} in rows
        assert len(statements) == 1
        database.chunk_size = 40
        rows = await database.fetch_by_keys(penduduk, "kode_kelurahan", keys)
        assert len(rows) == 100 and set(rows[0]) == {"kode_kelurahan", "nama", "jumlah"}
        assert len(statements) == 1 + 3
        assert await database.fetch_by_keys(penduduk, "kode_kelurahan", []) == []
        assert len(statements) == 4
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)


async def test_a_missing_table_is_a_bad_response(database: SqlSource) -> None:
    with pytest.raises(UpstreamBadResponse):
        await database.fetch_all("SELECT * FROM tidak_ada_tabel_ini")


async def test_a_constraint_violation_is_rejected(database: SqlSource, penduduk: str) -> None:
    with pytest.raises(UpstreamRejected) as caught:
        await database.execute(
            f"INSERT INTO {penduduk} VALUES (:kode, :nama, :jumlah)",
            {"kode": "61.71.01.1001", "nama": "3271010101900001", "jumlah": 1},
        )
    # bound values, which may be personal data, never reach the message or the log detail
    assert "3271010101900001" not in str(caught.value)


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
async def test_a_slow_query_times_out_and_the_pool_recovers(backend: str, tmp_path: Path) -> None:
    async with await open_source(backend, tmp_path) as database:
        database.timeout = 0.2
        with pytest.raises(UpstreamTimeout):
            await database.fetch_all(SLEEP[backend])
        database.timeout = 2.0
        assert await database.fetch_one("SELECT 1 AS satu") == {"satu": 1}


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
async def test_a_down_server_is_unavailable(backend: str) -> None:
    port = closed_port_url().rpartition(":")[2]
    user = {"postgresql": "postgres", "mariadb": "root"}[backend]
    url = f"{backend}://{user}@127.0.0.1:{port}/test"
    async with SqlSource("keuangan", url, timeout=1.0, retry=FAST_RETRY) as down:
        with pytest.raises(UpstreamUnavailable):
            await down.fetch_all("SELECT 1")


async def test_an_unreadable_sqlite_file_is_a_bad_response(tmp_path: Path) -> None:
    (tmp_path / "rusak.db").write_bytes(b"bukan basis data " * 100)
    async with SqlSource("dukcapil", sqlite_url(tmp_path / "rusak.db"), retry=FAST_RETRY) as db:
        with pytest.raises(UpstreamBadResponse):
            await db.fetch_all("SELECT * FROM penduduk")


def test_plain_urls_get_async_drivers() -> None:
    assert async_url("sqlite:///data/dukcapil.db") == "sqlite+aiosqlite:///data/dukcapil.db"
    assert async_url("postgresql://u:p@db/x") == "postgresql+asyncpg://u:p@db/x"
    assert async_url("mariadb://root@db/sipd") == "mariadb+aiomysql://root@db/sipd"
    assert async_url("mysql+asyncmy://root@db/sipd") == "mysql+asyncmy://root@db/sipd"
    with pytest.raises(ValueError, match="unsupported"):
        async_url("oracle://scott@db/x")
