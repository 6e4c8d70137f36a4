"""The SIPD-style budget database: its tables, their deterministic seed, install and drop.

Tables, named as SIPD's exports name them (optionally behind a prefix, so several copies
can share one database):

- ``ref_skpd`` (``id_skpd``, ``kode_skpd``, ``nama_skpd``): SIPD's internal SKPD ids;
- ``ref_program``, ``ref_giat``, ``ref_sub_giat``: the nomenclature (program → kegiatan
  ("giat") → sub-kegiatan), codes nested as in Permendagri 90/2019;
- ``d_anggaran_sub_giat`` (``tahun``, ``id_skpd``, ``kode_sub_giat``, ``pagu``,
  ``sumber_dana``, ``tgl_update``): the budget of each sub-kegiatan of an SKPD in a year;
- ``d_realisasi_bulan`` (``tahun``, ``id_skpd``, ``kode_sub_giat``, ``bulan``,
  ``realisasi``): what was spent in each month;
- ``sim_seed_info`` (``versi``): the simulator's own note of which export it loaded.

The database holds the export taken on the first of the month (:func:`snapshot`), after
the previous month's books were closed: budgets of every OPD in the registry for the
current year and the two before, realisation through the end of the previous month (in
January, none yet for the new year). A year's pagu and monthly realisation depend on the
year alone, so a later export only adds the months since.

REAL: the urusan codes and the wording of the nomenclature (:mod:`.nomenklatur`), the
shape of SIPD's exports. SAMPLES: the OPDs and their unit numbers
(:mod:`subgraphs.reference.opd`), the selection of programs and sub-kegiatan. SYNTHETIC:
every amount, drawn to follow the structure of the city's APBD (:mod:`.apbd`).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from subgraphs.reference import Opd, clock, opd_list, seeded_rng, urusan_by_code
from subgraphs.toolkit import UpstreamError
from subgraphs.toolkit.adapters import SqlSource

from .apbd import pagu_opd, porsi
from .nomenklatur import Belanja, Program, SubGiat, programs_for

__all__ = [
    "SEED_INFO",
    "SEED_VERSION",
    "TABLES",
    "Seed",
    "check_prefix",
    "create_tables",
    "drop_tables",
    "install",
    "installed_seed",
    "seed",
    "seed_key",
    "snapshot",
    "table_names",
    "tahun_anggaran",
]

SEED_VERSION = "v2"
"""Changes whenever the generator changes; with the export's day it makes
:func:`seed_key`."""

PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,30}\Z")

TABLES = (
    "ref_skpd",
    "ref_program",
    "ref_giat",
    "ref_sub_giat",
    "d_anggaran_sub_giat",
    "d_realisasi_bulan",
)
"""SIPD's tables."""
SEED_INFO = "sim_seed_info"
"""The simulator's own table, beside SIPD's."""

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
    """CREATE TABLE IF NOT EXISTS {p}sim_seed_info (
        versi VARCHAR(40) NOT NULL)""",
)

SUMBER_DANA = ("PAD", "DAU", "DAK Fisik", "DAK Non Fisik", "DBH")
SUMBER_DANA_BELANJA: dict[Belanja, str] = {"pegawai": "DAU", "blud": "Pendapatan BLUD"}
"""The fund a kind of belanja always draws on; programs draw on any of SUMBER_DANA."""

# How each kind of belanja is spent over the year (shares of what is spent by December).
# Programs start slowly (tenders in the first quarter) and rush in December; salaries
# are paid monthly, with the holiday allowance (THR) around Idulfitri and the 13th
# salary in June; a BLUD spends from its revenue evenly, a little more at year end.
BULANAN: dict[Belanja, tuple[float, ...]] = {
    "program": (0.01, 0.03, 0.05, 0.06, 0.07, 0.08, 0.08, 0.09, 0.10, 0.11, 0.13, 0.19),
    "pegawai": (1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1),
    "blud": (0.06, 0.07, 0.08, 0.08, 0.08, 0.09, 0.08, 0.09, 0.09, 0.09, 0.09, 0.10),
}
# How much of the pagu is spent by December, at least and at most
TERSERAP: dict[Belanja, tuple[float, float]] = {
    "program": (0.75, 0.97),
    "pegawai": (0.93, 0.99),
    "blud": (0.85, 0.97),
}
# A program's sub-kegiatan outweigh the support program's, before each draws its weight
BOBOT_PROGRAM = 3.0

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
    """Each table's name with ``prefix``, the simulator's own :data:`SEED_INFO` last."""
    check_prefix(prefix)
    return {table: f"{prefix}{table}" for table in (*TABLES, SEED_INFO)}


def programs(opd: Opd) -> tuple[Program, ...]:
    """The programs an OPD runs."""
    others = {kode: urusan_by_code(kode).nama for kode in opd.urusan_lain[:1]}
    return programs_for(opd.urusan_kode, opd.urusan_nama, others)


def snapshot(today: date) -> date:
    """The day of the export the database holds on ``today``: the first of the month."""
    return today.replace(day=1)


def tahun_anggaran(today: date) -> tuple[int, ...]:
    """The budget years on record on ``today``: the current one and the two before."""
    return tuple(range(today.year - 2, today.year + 1))


def seed_key(today: date) -> str:
    """What the database seeded on ``today`` holds, e.g. ``2026-11-01-v2``: an installed
    database with another key is loaded again, once a month."""
    return f"{snapshot(today).isoformat()}-{SEED_VERSION}"


@functools.cache
def seed(today: date) -> Seed:
    """All rows of the export the database holds on ``today``, the same for the same day
    on every machine."""
    export = snapshot(today)
    skpd: list[Row] = []
    program: dict[str, Row] = {}
    giat: dict[str, Row] = {}
    sub_giat: dict[str, Row] = {}
    anggaran: list[Row] = []
    realisasi: list[Row] = []
    for id_skpd, opd in enumerate(opd_list(), start=1):
        skpd.append({"id_skpd": id_skpd, "kode_skpd": opd.kode, "nama_skpd": opd.nama})
        subs: list[SubGiat] = []
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
                    subs.append(sub)
        for tahun in tahun_anggaran(today):
            months = 12 if tahun < export.year else export.month - 1
            for sub, pagu in _pagu_sub(opd, subs, tahun).items():
                rng = seeded_rng("keuangan", "anggaran", opd.kode, sub.kode, tahun)
                # APBD is enacted by the end of the year before
                updated = datetime.combine(
                    date(tahun - 1, 11, 20) + timedelta(days=rng.randint(0, 40)),
                    datetime.min.time(),
                ) + timedelta(minutes=rng.randint(7 * 60, 17 * 60))
                anggaran.append(
                    {
                        "tahun": tahun,
                        "id_skpd": id_skpd,
                        "kode_sub_giat": sub.kode,
                        "pagu": pagu,
                        "sumber_dana": SUMBER_DANA_BELANJA.get(sub.belanja)
                        or rng.choice(SUMBER_DANA),
                        "tgl_update": updated.strftime("%Y-%m-%d %H:%M:%S"),
                    }
                )
                spent = _realisasi(rng, pagu, sub.belanja)
                realisasi.extend(
                    {
                        "tahun": tahun,
                        "id_skpd": id_skpd,
                        "kode_sub_giat": sub.kode,
                        "bulan": bulan,
                        "realisasi": amount,
                    }
                    for bulan, amount in enumerate(spent[:months], start=1)
                )
    return Seed(
        ref_skpd=tuple(skpd),
        ref_program=tuple(program.values()),
        ref_giat=tuple(giat.values()),
        ref_sub_giat=tuple(sub_giat.values()),
        d_anggaran_sub_giat=tuple(anggaran),
        d_realisasi_bulan=tuple(realisasi),
    )


def _pagu_sub(opd: Opd, subs: Sequence[SubGiat], tahun: int) -> dict[SubGiat, float]:
    """The OPD's pagu of ``tahun`` divided among its sub-kegiatan, rounded to millions:
    its salaries' and its BLUD's parts (:class:`~.apbd.Porsi`) to theirs, the rest by
    weight, each sub-kegiatan's weight drawn once and moved a little each year."""
    total = pagu_opd(tahun)[opd.kode]
    part = porsi(opd)
    kinds = {sub.belanja for sub in subs}
    fixed = {"pegawai": part.pegawai, "blud": part.blud}
    # A part without a sub-kegiatan to hold it goes to the programs
    rest = 1 - sum(share for kind, share in fixed.items() if kind in kinds)
    weights: dict[SubGiat, float] = {}
    for sub in subs:
        if sub.belanja == "program":
            base = seeded_rng("keuangan", "bobot", opd.kode, sub.kode).uniform(0.3, 1.0)
            own = BOBOT_PROGRAM if not sub.kode.startswith(f"{opd.urusan_kode}.01.") else 1.0
            yearly = seeded_rng("keuangan", "bobot", opd.kode, sub.kode, tahun).uniform(0.9, 1.1)
            weights[sub] = base * own * yearly
    result: dict[SubGiat, float] = {}
    for sub in subs:
        if sub.belanja == "program":
            share = rest * weights[sub] / sum(weights.values())
        else:
            share = fixed[sub.belanja] / sum(1 for other in subs if other.belanja == sub.belanja)
        result[sub] = round(total * share, -6)
    return result


def _realisasi(rng: random.Random, pagu: float, belanja: Belanja) -> list[float]:
    """What is spent in each of the twelve months of a sub-kegiatan's year."""
    low, high = TERSERAP[belanja]
    spent = pagu * rng.uniform(low, high)
    if belanja == "program":
        shape = [weight * rng.uniform(0.6, 1.4) for weight in BULANAN[belanja]]
    else:
        shape = list(BULANAN[belanja])
    total = sum(shape)
    return [round(spent * weight / total, -3) for weight in shape]


async def create_tables(source: SqlSource, prefix: str = "") -> None:
    """Create the tables that do not exist yet."""
    check_prefix(prefix)
    for statement in DDL:
        await source.execute(statement.format(p=prefix))


async def installed_seed(source: SqlSource, prefix: str = "") -> str | None:
    """The seed key (:func:`seed_key`) the database holds, or ``None`` if none is
    installed."""
    try:
        row = await source.fetch_one(f"SELECT versi FROM {table_names(prefix)[SEED_INFO]}")
    except UpstreamError:
        return None  # no such table yet
    return str(row["versi"]) if row is not None else None


async def install(source: SqlSource, prefix: str = "", *, today: date | None = None) -> bool:
    """Create the tables and load the export the database holds on ``today`` (by default
    the simulators' clock), unless they already hold it; ``True`` if loaded now. A database
    holding another export (an earlier month's) is emptied and loaded again."""
    day = today if today is not None else clock.today()
    key = seed_key(day)
    if await installed_seed(source, prefix) == key:
        return False
    await drop_tables(source, prefix)
    await create_tables(source, prefix)
    names = table_names(prefix)
    data = seed(day)
    for table in TABLES:
        rows = data.rows(table)
        columns = list(rows[0])
        placeholders = ", ".join(f":{column}" for column in columns)
        statement = f"INSERT INTO {names[table]} ({', '.join(columns)}) VALUES ({placeholders})"
        for start in range(0, len(rows), 2000):
            await source.execute(statement, rows[start : start + 2000])
    # Written last: a load cut short leaves no key, and is loaded again on the next start
    await source.execute(f"INSERT INTO {names[SEED_INFO]} (versi) VALUES (:versi)", {"versi": key})
    return True


async def drop_tables(source: SqlSource, prefix: str = "") -> None:
    """Drop the tables (for tests against a shared database)."""
    for name in reversed(table_names(prefix).values()):
        await source.execute(f"DROP TABLE IF EXISTS {name}")
