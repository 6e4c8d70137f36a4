"""The SIPD-style budget database: its tables, their deterministic seed, install and drop.

Tables, named as SIPD's exports name them (optionally behind a prefix, so several copies
can share one database):

- ``ref_skpd`` (``id_skpd``, ``kode_skpd``, ``nama_skpd``): SIPD's internal SKPD ids;
- ``ref_program``, ``ref_giat``, ``ref_sub_giat``: the nomenclature (program → kegiatan
  ("giat") → sub-kegiatan), codes nested as in Permendagri 90/2019;
- ``d_anggaran_sub_giat`` (``tahun``, ``id_skpd``, ``kode_sub_giat``, ``pagu``,
  ``sumber_dana``, ``tgl_update``): the budget of each sub-kegiatan of an SKPD in a year;
- ``d_realisasi_bulan`` (``tahun``, ``id_skpd``, ``kode_sub_giat``, ``bulan``,
  ``realisasi``): what was spent in each month.

Budgets exist for every OPD in the registry for 2024, 2025 and 2026; realisation runs to
the end of :data:`SNAPSHOT`'s month before (October 2026). Amounts are synthetic.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from subgraphs.reference import Opd, opd_list, seeded_rng, urusan_by_code
from subgraphs.toolkit.adapters import SqlSource

from .nomenklatur import Program, programs_for

__all__ = [
    "SNAPSHOT",
    "TABLES",
    "TAHUN",
    "Seed",
    "check_prefix",
    "create_tables",
    "drop_tables",
    "install",
    "seed",
    "table_names",
]

TAHUN = (2024, 2025, 2026)
SNAPSHOT = date(2026, 11, 1)
"""The day the simulated SIPD export was taken: months before it are realised."""

PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,30}$")

TABLES = (
    "ref_skpd",
    "ref_program",
    "ref_giat",
    "ref_sub_giat",
    "d_anggaran_sub_giat",
    "d_realisasi_bulan",
)

DDL = (
    """CREATE TABLE IF NOT EXISTS {p}ref_skpd (
        id_skpd INTEGER NOT NULL PRIMARY KEY,
        kode_skpd VARCHAR(30) NOT NULL UNIQUE,
        nama_skpd VARCHAR(255) NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {p}ref_program (
        kode_program VARCHAR(20) NOT NULL PRIMARY KEY,
        nama_program VARCHAR(255) NOT NULL,
        kode_bidang_urusan VARCHAR(10) NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {p}ref_giat (
        kode_giat VARCHAR(30) NOT NULL PRIMARY KEY,
        nama_giat VARCHAR(255) NOT NULL,
        kode_program VARCHAR(20) NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {p}ref_sub_giat (
        kode_sub_giat VARCHAR(40) NOT NULL PRIMARY KEY,
        nama_sub_giat VARCHAR(255) NOT NULL,
        kode_giat VARCHAR(30) NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {p}d_anggaran_sub_giat (
        tahun INTEGER NOT NULL,
        id_skpd INTEGER NOT NULL,
        kode_sub_giat VARCHAR(40) NOT NULL,
        pagu DECIMAL(18, 2) NOT NULL,
        sumber_dana VARCHAR(100) NOT NULL,
        tgl_update DATETIME NOT NULL,
        PRIMARY KEY (tahun, id_skpd, kode_sub_giat))""",
    """CREATE TABLE IF NOT EXISTS {p}d_realisasi_bulan (
        tahun INTEGER NOT NULL,
        id_skpd INTEGER NOT NULL,
        kode_sub_giat VARCHAR(40) NOT NULL,
        bulan INTEGER NOT NULL,
        realisasi DECIMAL(18, 2) NOT NULL,
        PRIMARY KEY (tahun, id_skpd, kode_sub_giat, bulan))""",
)

SUMBER_DANA = ("PAD", "DAU", "DAK Fisik", "DAK Non Fisik", "DBH")
# How spending usually falls over the year: slow start, December rush
MONTHLY_SHAPE = (0.02, 0.04, 0.06, 0.07, 0.07, 0.08, 0.08, 0.09, 0.09, 0.10, 0.12, 0.18)

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Seed:
    """The rows of every table."""

    ref_skpd: tuple[Row, ...]
    ref_program: tuple[Row, ...]
    ref_giat: tuple[Row, ...]
    ref_sub_giat: tuple[Row, ...]
    d_anggaran_sub_giat: tuple[Row, ...]
    d_realisasi_bulan: tuple[Row, ...]

    def rows(self, table: str) -> tuple[Row, ...]:
        rows: tuple[Row, ...] = getattr(self, table)
        return rows


def check_prefix(prefix: str) -> str:
    """``prefix`` if it can start a table name safely (letters, digits, underscores)."""
    if prefix and not PREFIX_RE.match(prefix):
        raise ValueError(f"table prefix must be letters, digits and underscores: {prefix!r}")
    return prefix


def table_names(prefix: str = "") -> dict[str, str]:
    """Each table's name with ``prefix``."""
    check_prefix(prefix)
    return {table: f"{prefix}{table}" for table in TABLES}


def programs(opd: Opd) -> tuple[Program, ...]:
    """The programs an OPD runs."""
    others = {kode: urusan_by_code(kode).nama for kode in opd.urusan_lain[:1]}
    return programs_for(opd.urusan_kode, opd.urusan_nama, others)


@functools.cache
def seed() -> Seed:
    """All rows, the same on every machine and run."""
    skpd: list[Row] = []
    program: dict[str, Row] = {}
    giat: dict[str, Row] = {}
    sub_giat: dict[str, Row] = {}
    anggaran: list[Row] = []
    realisasi: list[Row] = []
    for id_skpd, opd in enumerate(opd_list(), start=1):
        skpd.append({"id_skpd": id_skpd, "kode_skpd": opd.kode, "nama_skpd": opd.nama})
        size = seeded_rng("keuangan", "ukuran", opd.kode).uniform(0.4, 3.0)
        for prog in programs(opd):
            program.setdefault(
                prog.kode,
                {
                    "kode_program": prog.kode,
                    "nama_program": prog.nama,
                    "kode_bidang_urusan": prog.bidang_urusan,
                },
            )
            for keg in prog.giat:
                giat.setdefault(
                    keg.kode,
                    {"kode_giat": keg.kode, "nama_giat": keg.nama, "kode_program": prog.kode},
                )
                for sub in keg.sub:
                    sub_giat.setdefault(
                        sub.kode,
                        {
                            "kode_sub_giat": sub.kode,
                            "nama_sub_giat": sub.nama,
                            "kode_giat": keg.kode,
                        },
                    )
                    for tahun in TAHUN:
                        rng = seeded_rng("keuangan", "anggaran", opd.kode, sub.kode, tahun)
                        if sub.gaji:
                            pagu = rng.uniform(4e9, 9e9) * size
                        else:
                            pagu = rng.uniform(8e7, 2.5e9) * (size if rng.random() < 0.5 else 1)
                        pagu = round(pagu, -6)
                        updated = datetime.combine(
                            date(tahun - 1, 12, 1) + timedelta(days=rng.randint(0, 40)),
                            datetime.min.time(),
                        ) + timedelta(minutes=rng.randint(7 * 60, 17 * 60))
                        anggaran.append(
                            {
                                "tahun": tahun,
                                "id_skpd": id_skpd,
                                "kode_sub_giat": sub.kode,
                                "pagu": pagu,
                                "sumber_dana": "DAU" if sub.gaji else rng.choice(SUMBER_DANA),
                                "tgl_update": updated.strftime("%Y-%m-%d %H:%M:%S"),
                            }
                        )
                        realisasi.extend(
                            _realisasi(rng, tahun, id_skpd, sub.kode, pagu, gaji=sub.gaji)
                        )
    return Seed(
        ref_skpd=tuple(skpd),
        ref_program=tuple(program.values()),
        ref_giat=tuple(giat.values()),
        ref_sub_giat=tuple(sub_giat.values()),
        d_anggaran_sub_giat=tuple(anggaran),
        d_realisasi_bulan=tuple(realisasi),
    )


def _realisasi(
    rng: Any, tahun: int, id_skpd: int, kode_sub_giat: str, pagu: float, *, gaji: bool
) -> list[Row]:
    share = rng.uniform(0.88, 0.99) if gaji else rng.uniform(0.7, 0.98)
    shape = [1 / 12] * 12 if gaji else [w * rng.uniform(0.6, 1.4) for w in MONTHLY_SHAPE]
    total = sum(shape)
    months = 12 if tahun < SNAPSHOT.year else SNAPSHOT.month - 1
    return [
        {
            "tahun": tahun,
            "id_skpd": id_skpd,
            "kode_sub_giat": kode_sub_giat,
            "bulan": bulan,
            "realisasi": round(pagu * share * shape[bulan - 1] / total, -3),
        }
        for bulan in range(1, months + 1)
    ]


async def create_tables(source: SqlSource, prefix: str = "") -> None:
    """Create the tables that do not exist yet."""
    check_prefix(prefix)
    for statement in DDL:
        await source.execute(statement.format(p=prefix))


async def install(source: SqlSource, prefix: str = "") -> bool:
    """Create the tables and load the seed, unless they already hold it; ``True`` if
    loaded now."""
    await create_tables(source, prefix)
    names = table_names(prefix)
    existing = await source.fetch_one(f"SELECT COUNT(*) AS n FROM {names['ref_skpd']}")
    if existing is not None and int(existing["n"]) > 0:
        return False
    data = seed()
    for table in TABLES:
        rows = data.rows(table)
        columns = list(rows[0])
        placeholders = ", ".join(f":{column}" for column in columns)
        statement = f"INSERT INTO {names[table]} ({', '.join(columns)}) VALUES ({placeholders})"
        for start in range(0, len(rows), 2000):
            await source.execute(statement, rows[start : start + 2000])
    return True


async def drop_tables(source: SqlSource, prefix: str = "") -> None:
    """Drop the tables (for tests against a shared database)."""
    for name in reversed(table_names(prefix).values()):
        await source.execute(f"DROP TABLE IF EXISTS {name}")
