"""The SIAK-style population registry: its tables, and how they are installed and dropped.

Tables as SIAK (Sistem Informasi Administrasi Kependudukan) names them, upper case,
optionally behind a prefix so several copies can share one database:

- ``SETUP_KEC`` (``NO_PROP``, ``NO_KAB``, ``NO_KEC``, ``NAMA_KEC``) and ``SETUP_KEL``
  (... ``NO_KEL``, ``NAMA_KEL``): the master wilayah. SIAK keeps the Kemendagri code in
  numeric parts: ``61.71.01.1002`` is ``NO_PROP`` 61, ``NO_KAB`` 71, ``NO_KEC`` 1,
  ``NO_KEL`` 1002. Names are stored in capitals.
- ``DATA_KELUARGA``: one row per Kartu Keluarga (``NO_KK``, ``NIK_KK``, ``NAMA_KEP``,
  address and wilayah).
- ``BIODATA_WNI``: one row per resident (``NIK``, ``NO_KK``, ``NAMA_LGKP``, ``TMPT_LHR``,
  ``TGL_LHR``, ``JENIS_KLMIN`` (1 laki-laki, 2 perempuan), ``AGAMA``, ``STAT_KWN``,
  ``STAT_HBKEL`` (1 kepala keluarga), ``STAT_HIDUP`` (1 hidup, 2 meninggal), wilayah,
  ``TGL_INSERTION``, ``TGL_UPDATION``).
- ``SIM_SEED_INFO``: the simulator's own note of which seed (semester and generator
  version) and scale it loaded.

The code values (agama, status kawin, hubungan keluarga) follow SIAK's usual numbering;
``STAT_HIDUP``'s values are a SAMPLE encoding.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

__all__ = [
    "HIDUP",
    "KEPALA_KELUARGA",
    "LAKI_LAKI",
    "NO_KAB",
    "NO_PROP",
    "PEREMPUAN",
    "SiakTables",
    "check_prefix",
    "siak_tables",
]

NO_PROP = 61  # Kalimantan Barat
NO_KAB = 71  # Kota Pontianak
LAKI_LAKI, PEREMPUAN = 1, 2
HIDUP, MENINGGAL = 1, 2
KEPALA_KELUARGA = 1

PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,30}\Z")


def check_prefix(prefix: str) -> str:
    """``prefix`` if it can start a table name safely (letters, digits, underscores)."""
    if prefix and not PREFIX_RE.match(prefix):
        raise ValueError(f"table prefix must be letters, digits and underscores: {prefix!r}")
    return prefix


@dataclass(frozen=True, slots=True)
class SiakTables:
    """The registry's tables under one prefix, as SQLAlchemy Core tables."""

    metadata: MetaData
    setup_kec: Table
    setup_kel: Table
    data_keluarga: Table
    biodata_wni: Table
    seed_info: Table
    agregat_penduduk: Table
    """The living residents counted per wilayah, sex and age group on one data day,
    maintained with the registry (:mod:`.agregat`), so that a count reads a thousand rows
    rather than the whole registry."""


@functools.cache
def siak_tables(prefix: str = "") -> SiakTables:
    """The tables named with ``prefix``; Core types convert dates for every backend."""
    p = check_prefix(prefix)
    metadata = MetaData()

    def wilayah(level: str) -> list[Column[int]]:
        levels = ("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")
        return [
            Column(name, Integer, nullable=False, primary_key=True)
            for name in levels[: levels.index(level) + 1]
        ]

    setup_kec = Table(
        f"{p}SETUP_KEC",
        metadata,
        *wilayah("NO_KEC"),
        Column("NAMA_KEC", String(60), nullable=False),
    )
    setup_kel = Table(
        f"{p}SETUP_KEL",
        metadata,
        *wilayah("NO_KEL"),
        Column("NAMA_KEL", String(60), nullable=False),
    )
    data_keluarga = Table(
        f"{p}DATA_KELUARGA",
        metadata,
        Column("NO_KK", String(16), primary_key=True),
        Column("NIK_KK", String(16), nullable=False),
        Column("NAMA_KEP", String(60), nullable=False),
        Column("ALAMAT", String(120), nullable=False),
        Column("NO_RT", String(3), nullable=False),
        Column("NO_RW", String(3), nullable=False),
        *[
            Column(name, Integer, nullable=False)
            for name in ("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")
        ],
        Column("TGL_INSERTION", DateTime, nullable=False),
        Column("TGL_UPDATION", DateTime, nullable=False),
    )
    biodata_wni = Table(
        f"{p}BIODATA_WNI",
        metadata,
        Column("NIK", String(16), primary_key=True),
        Column("NO_KK", String(16), nullable=False),
        Column("NAMA_LGKP", String(60), nullable=False),
        Column("TMPT_LHR", String(60), nullable=False),
        Column("TGL_LHR", Date, nullable=False),
        Column("JENIS_KLMIN", Integer, nullable=False),
        Column("AGAMA", Integer, nullable=False),
        Column("STAT_KWN", Integer, nullable=False),
        Column("STAT_HBKEL", Integer, nullable=False),
        Column("STAT_HIDUP", Integer, nullable=False),
        *[
            Column(name, Integer, nullable=False)
            for name in ("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")
        ],
        Column("TGL_INSERTION", DateTime, nullable=False),
        Column("TGL_UPDATION", DateTime, nullable=False),
    )
    seed_info = Table(
        f"{p}SIM_SEED_INFO",
        metadata,
        Column("VERSI", String(20), nullable=False),
        Column("SKALA", Float, nullable=False),
        Column("DIMUAT", DateTime, nullable=False),
    )
    agregat_penduduk = Table(
        f"{p}SIM_AGREGAT_PENDUDUK",
        metadata,
        *[
            Column(name, Integer, nullable=False, primary_key=True)
            for name in ("NO_KEC", "NO_KEL", "JENIS_KLMIN", "KELOMPOK")
        ],
        Column("JUMLAH", Integer, nullable=False),
        Column("KEPALA", Integer, nullable=False),
        Column("DIPERBARUI", DateTime, nullable=True),
        Column("TANGGAL_DATA", Date, nullable=False),
    )
    # The aggregation reads wilayah, status and birth date only: a covering index lets it
    # skip the wide rows
    Index(
        f"{p}IX_BIODATA_AGREGAT",
        biodata_wni.c.NO_PROP,
        biodata_wni.c.NO_KAB,
        biodata_wni.c.NO_KEC,
        biodata_wni.c.NO_KEL,
        biodata_wni.c.STAT_HIDUP,
        biodata_wni.c.JENIS_KLMIN,
        biodata_wni.c.TGL_LHR,
        biodata_wni.c.STAT_HBKEL,
        biodata_wni.c.TGL_UPDATION,
    )
    return SiakTables(
        metadata=metadata,
        setup_kec=setup_kec,
        setup_kel=setup_kel,
        data_keluarga=data_keluarga,
        biodata_wni=biodata_wni,
        seed_info=seed_info,
        agregat_penduduk=agregat_penduduk,
    )
