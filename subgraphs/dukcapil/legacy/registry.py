"""Install the SIAK-style registry into a database: create its tables and load the seed,
again whenever the installed seed's key (its semester and generator version) or scale
differs from the one asked for."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from subgraphs.reference import clock
from subgraphs.toolkit import UpstreamError
from subgraphs.toolkit.adapters import SqlSource

from .agregat import refresh_agregat
from .seed import BIODATA_COLUMNS, KELUARGA_COLUMNS, data_semester, seed_key, setup_rows, warga
from .siak import siak_tables

__all__ = ["CHUNK", "Installed", "Progress", "drop_tables", "install", "installed_seed"]

CHUNK = 5000
"""Rows per ``executemany``."""


@dataclass(frozen=True, slots=True)
class Installed:
    """What :func:`install` did: whether it loaded now, how many rows, in how long."""

    loaded: bool
    penduduk: int
    keluarga: int
    seconds: float


async def installed_seed(source: SqlSource, prefix: str = "") -> tuple[str, float] | None:
    """The seed key (:func:`~.seed.seed_key`) and scale the registry holds, or ``None`` if
    none is installed."""
    info = siak_tables(prefix).seed_info
    try:
        row = await source.fetch_one(select(info.c.VERSI, info.c.SKALA))
    except UpstreamError:
        return None  # no such table yet
    return (str(row["VERSI"]), float(row["SKALA"])) if row is not None else None


Progress = Callable[[int, int, int], None]
"""Told after each kelurahan is loaded: kelurahan done, kelurahan in all, residents so far."""


async def install(
    source: SqlSource,
    prefix: str = "",
    *,
    scale: float = 1.0,
    today: date | None = None,
    progress: Progress | None = None,
) -> Installed:
    """Create the tables and load the residents of ``scale`` times the city as seeded on
    ``today`` (by default the simulators' clock), in one transaction, unless the registry
    already holds that seed at this scale; ``progress`` hears of each kelurahan loaded.

    The seed changes with the semester only (:func:`~.seed.seed_key`), so the full city,
    most of a minute to load, is loaded again at most twice a year."""
    started = time.perf_counter()
    day = today if today is not None else clock.today()
    key = seed_key(day)
    if await installed_seed(source, prefix) == (key, scale):
        if not await _summarised(source, prefix, data_semester(day)):
            async with source.engine.begin() as connection:
                await refresh_agregat(connection, prefix, data_semester(day))
        return Installed(False, 0, 0, time.perf_counter() - started)
    tables = siak_tables(prefix)
    await drop_tables(source, prefix)
    kecamatan, kelurahan = setup_rows()
    penduduk = keluarga = 0
    async with source.engine.begin() as connection:
        await connection.run_sync(tables.metadata.create_all)
        await connection.execute(tables.setup_kec.insert(), kecamatan)
        await connection.execute(tables.setup_kel.insert(), kelurahan)
        for done, rows in enumerate(warga(day, scale), 1):
            await _insert(connection, tables.data_keluarga, KELUARGA_COLUMNS, rows.data_keluarga)
            await _insert(connection, tables.biodata_wni, BIODATA_COLUMNS, rows.biodata_wni)
            penduduk += len(rows.biodata_wni)
            keluarga += len(rows.data_keluarga)
            if progress is not None:
                progress(done, len(kelurahan), penduduk)
        await refresh_agregat(connection, prefix, data_semester(day))
        # Written last, in the same transaction: a load cut short leaves no seed note
        await connection.execute(
            tables.seed_info.insert(),
            {
                "VERSI": key,
                "SKALA": scale,
                "DIMUAT": datetime.now().replace(microsecond=0),
            },
        )
    return Installed(True, penduduk, keluarga, time.perf_counter() - started)


async def _summarised(source: SqlSource, prefix: str, tanggal_data: date) -> bool:
    """Whether the registry's population summary counts on ``tanggal_data``."""
    summary = siak_tables(prefix).agregat_penduduk
    try:
        row = await source.fetch_one(select(summary.c.TANGGAL_DATA).limit(1))
    except UpstreamError:
        return False  # a registry installed before the summary existed
    return row is not None and str(row["TANGGAL_DATA"])[:10] == tanggal_data.isoformat()


async def _insert(
    connection: AsyncConnection,
    table: Table,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
) -> None:
    if connection.dialect.name == "sqlite":
        # The seed's tuples already hold what SQLite stores (dates as ISO text): handing
        # them to the driver directly skips SQLAlchemy's per-value conversion
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join("?" for _ in columns)
        statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
        for start in range(0, len(rows), CHUNK):
            await connection.exec_driver_sql(statement, rows[start : start + CHUNK])
        return
    converters = [_converter(table.c[column].type) for column in columns]
    for start in range(0, len(rows), CHUNK):
        chunk = [
            {
                column: convert(value)
                for column, convert, value in zip(columns, converters, row, strict=True)
            }
            for row in rows[start : start + CHUNK]
        ]
        await connection.execute(table.insert(), chunk)


def _converter(kind: Any) -> Any:
    """ISO text back to the date or datetime a driver such as asyncpg insists on."""
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    return lambda value: value


async def drop_tables(source: SqlSource, prefix: str = "") -> None:
    """Drop the registry's tables (for a new seed, or tests against a shared database)."""
    async with source.engine.begin() as connection:
        await connection.run_sync(siak_tables(prefix).metadata.drop_all)
