"""Synthetic residents of Kota Pontianak for the SIAK-style registry.

ALL DATA HERE IS SYNTHETIC: names, NIKs, family card numbers, birth dates and addresses
are drawn from seeded generators and belong to no one. Volumes follow the reference
package's population of each kelurahan (about 680,000 for the city), with a young age
structure: households of a couple and their children, single parents, people living
alone, and three generations under one roof.

The registry holds the consolidated data of the last semester completed before the day it
is seeded (:func:`data_semester`: 30 June or 31 December), as Disdukcapil publishes it
twice a year: every age is counted on that day and nothing in the registry is newer. The
semester is part of the seed (:func:`seed_key`), so a given day always gives the same
residents and a new semester gives a new registry.

Each kelurahan has its own generator, so one kelurahan's residents never shift another's.
``scale`` shrinks every kelurahan alike (tests seed 1/500 of the city); every kelurahan
keeps at least one household.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from subgraphs.reference import (
    Kelurahan,
    kecamatan_by_code,
    kecamatan_list,
    kelurahan_list,
    nik,
    person_name,
    seeded_rng,
    street_address,
)

from .siak import HIDUP, KEPALA_KELUARGA, LAKI_LAKI, MENINGGAL, NO_KAB, NO_PROP, PEREMPUAN

__all__ = [
    "BIODATA_COLUMNS",
    "KELUARGA_COLUMNS",
    "SEED_VERSION",
    "Keluarga",
    "data_semester",
    "seed_key",
    "setup_rows",
    "siak_numbers",
    "warga",
]

SEED_VERSION = "v2"
"""Changes whenever the generator changes; with the semester it makes :func:`seed_key`."""

FIRST_RECORD = date(2011, 1, 1)  # SIAK's e-KTP era: records inserted from then on

Row = dict[str, Any]

# Head of household's age: young families dominate, as in Pontianak
HEAD_AGES: tuple[tuple[int, int], ...] = (
    *((low, low + 4) for low in range(20, 70, 5)),
    (70, 79),
)
HEAD_WEIGHTS = (6, 12, 14, 14, 13, 11, 9, 8, 6, 4, 3)
AGAMA = (1, 2, 3, 4, 5, 6)  # Islam, Kristen, Katholik, Hindu, Budha, Khonghucu
AGAMA_WEIGHTS = (72.0, 8.0, 9.0, 0.2, 10.0, 0.8)
TEMPAT_LAIN = (
    "SAMBAS",
    "SINGKAWANG",
    "MEMPAWAH",
    "KUBU RAYA",
    "KETAPANG",
    "SANGGAU",
    "SINTANG",
    "JAKARTA",
    "PALEMBANG",
    "SURABAYA",
    "MAKASSAR",
)
# STAT_KWN: 1 belum kawin, 2 kawin, 3 cerai hidup, 4 cerai mati
BELUM_KAWIN, KAWIN, CERAI_HIDUP, CERAI_MATI = 1, 2, 3, 4
# STAT_HBKEL: 1 kepala keluarga, 3 istri, 4 anak, 7 orang tua
ISTRI, ANAK, ORANG_TUA = 3, 4, 7


BIODATA_COLUMNS = (
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "TMPT_LHR",
    "TGL_LHR",
    "JENIS_KLMIN",
    "AGAMA",
    "STAT_KWN",
    "STAT_HBKEL",
    "STAT_HIDUP",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "TGL_INSERTION",
    "TGL_UPDATION",
)
KELUARGA_COLUMNS = (
    "NO_KK",
    "NIK_KK",
    "NAMA_KEP",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "TGL_INSERTION",
    "TGL_UPDATION",
)


@dataclass(frozen=True, slots=True)
class Keluarga:
    """One kelurahan's rows: its family cards and residents, as tuples in the order of
    :data:`KELUARGA_COLUMNS` and :data:`BIODATA_COLUMNS` (a million dicts would cost more
    than the rest of the seed). Dates and times are ISO text, as SQLite stores them."""

    kelurahan: str
    data_keluarga: list[tuple[Any, ...]]
    biodata_wni: list[tuple[Any, ...]]

    def rows(self, table: str) -> list[Row]:
        """``data_keluarga`` or ``biodata_wni`` as dicts by column name."""
        columns = BIODATA_COLUMNS if table == "biodata_wni" else KELUARGA_COLUMNS
        values: list[tuple[Any, ...]] = getattr(self, table)
        return [dict(zip(columns, row, strict=True)) for row in values]


def data_semester(today: date) -> date:
    """The cut-off of the data seeded on ``today`` (Data Konsolidasi Bersih): the last day
    of the last semester completed before it, 30 June or 31 December."""
    mid_year = date(today.year, 6, 30)
    return mid_year if today > mid_year else date(today.year - 1, 12, 31)


def seed_key(today: date) -> str:
    """What the registry seeded on ``today`` holds, e.g. ``2026.2-v2`` (second semester of
    2026, generator ``v2``): an installed registry with another key is loaded again, so
    the registry changes at most twice a year."""
    semester = data_semester(today)
    return f"{semester.year}.{1 if semester.month == 6 else 2}-{SEED_VERSION}"


def siak_numbers(kode: str) -> tuple[int, int, int, int]:
    """SIAK's numeric parts of a kelurahan code: ``61.71.01.1002`` → (61, 71, 1, 1002)."""
    prop, kab, kec, kel = (int(part) for part in kode.split("."))
    return prop, kab, kec, kel


def setup_rows() -> tuple[list[Row], list[Row]]:
    """The ``SETUP_KEC`` and ``SETUP_KEL`` rows: names in capitals, as SIAK keeps them."""
    kec = [
        {
            "NO_PROP": NO_PROP,
            "NO_KAB": NO_KAB,
            "NO_KEC": int(k.kode.split(".")[2]),
            "NAMA_KEC": k.nama.upper(),
        }
        for k in kecamatan_list()
    ]
    kel = []
    for k in kelurahan_list():
        prop, kab, no_kec, no_kel = siak_numbers(k.kode)
        kel.append(
            {
                "NO_PROP": prop,
                "NO_KAB": kab,
                "NO_KEC": no_kec,
                "NO_KEL": no_kel,
                "NAMA_KEL": k.nama.upper(),
            }
        )
    return kec, kel


def warga(today: date, scale: float = 1.0) -> Iterator[Keluarga]:
    """Every kelurahan's families and residents as the registry holds them when seeded on
    ``today`` (see :func:`data_semester`), one kelurahan at a time."""
    if not 0 < scale <= 1:
        raise ValueError("scale must be in (0, 1]")
    key = seed_key(today)
    cut_off = data_semester(today).toordinal()
    taken: set[str] = set()  # NIKs and KK numbers, unique across the city
    for kelurahan in kelurahan_list():
        target = max(1, round(kelurahan.penduduk_2024 * scale))
        yield _Kelurahan(kelurahan, taken, key, cut_off).fill(target)


class _Kelurahan:
    """Draws one kelurahan's households until it holds ``target`` residents; ``cut_off``
    is the ordinal of the data's semester day."""

    def __init__(self, kelurahan: Kelurahan, taken: set[str], key: str, cut_off: int) -> None:
        self.kelurahan = kelurahan
        self.kecamatan = kecamatan_by_code(kelurahan.kecamatan_kode)
        self.rng = seeded_rng("dukcapil", "penduduk", key, kelurahan.kode)
        self.cut_off = cut_off
        self.taken = taken
        self.wilayah = siak_numbers(kelurahan.kode)
        self.keluarga: list[tuple[Any, ...]] = []
        self.biodata: list[tuple[Any, ...]] = []

    def fill(self, target: int) -> Keluarga:
        while len(self.biodata) < target:
            self.household()
        return Keluarga(self.kelurahan.kode, self.keluarga, self.biodata)

    def household(self) -> None:
        rng = self.rng
        kind = rng.random()
        head_age = _head_age(rng)
        agama = rng.choices(AGAMA, AGAMA_WEIGHTS)[0]
        # (perempuan, age, STAT_HBKEL, STAT_KWN) of each member, the head first
        members: list[tuple[bool, int, int, int]] = []
        if kind < 0.66:  # a couple and their children
            wife = max(18, head_age - _between(rng, -2, 8))
            members += [(False, head_age, KEPALA_KELUARGA, KAWIN), (True, wife, ISTRI, KAWIN)]
            members += _children(rng, wife)
        elif kind < 0.75:  # a mother on her own with her children
            members.append((True, head_age, KEPALA_KELUARGA, rng.choice((CERAI_HIDUP, CERAI_MATI))))
            members += _children(rng, head_age)
        elif kind < 0.83:  # someone living alone
            age = _between(rng, 19, 80)
            status = BELUM_KAWIN if age < 35 else rng.choice((BELUM_KAWIN, CERAI_HIDUP, CERAI_MATI))
            members.append((rng.random() < 0.45, age, KEPALA_KELUARGA, status))
        elif kind < 0.90:  # a couple without children at home
            age = max(head_age, _between(rng, 22, 80))
            members += [
                (False, age, KEPALA_KELUARGA, KAWIN),
                (True, max(18, age - _between(rng, 0, 6)), ISTRI, KAWIN),
            ]
        else:  # three generations
            wife = max(18, head_age - _between(rng, -2, 8))
            members += [(False, head_age, KEPALA_KELUARGA, KAWIN), (True, wife, ISTRI, KAWIN)]
            members += _children(rng, wife)
            members.append(
                (
                    rng.random() < 0.7,
                    min(95, head_age + _between(rng, 22, 32)),
                    ORANG_TUA,
                    CERAI_MATI,
                )
            )
        self.add(members, agama)

    def add(self, members: list[tuple[bool, int, int, int]], agama: int) -> None:
        rng = self.rng
        random_ = rng.random
        inserted_day, inserted = _moment(rng, FIRST_RECORD.toordinal(), self.cut_off)
        _, updated = _moment(rng, inserted_day, self.cut_off)
        issued = f"{self.kecamatan.digits}{inserted[8:10]}{inserted[5:7]}{inserted[2:4]}"
        no_kk = self.unique(lambda: f"{issued}{_between(rng, 1, 9999):04d}")
        kecamatan = self.kecamatan.kode
        no_prop, no_kab, no_kec, no_kel = self.wilayah
        head_nik = head_name = ""
        for perempuan, age, hubungan, kawin in members:
            born = date.fromordinal(self.cut_off - int((age + random_()) * 365.25))
            number = self.unique(functools.partial(nik, rng, kecamatan, born, perempuan=perempuan))
            name = person_name(rng, perempuan=perempuan).upper()
            if hubungan == KEPALA_KELUARGA:
                head_nik, head_name = number, name
            dead = random_() < (0.03 if age >= 60 else 0.003)  # deaths not yet cleared
            place = (
                "PONTIANAK" if random_() < 0.7 else TEMPAT_LAIN[int(random_() * len(TEMPAT_LAIN))]
            )
            self.biodata.append(
                (
                    number,
                    no_kk,
                    name,
                    place,
                    born.isoformat(),
                    PEREMPUAN if perempuan else LAKI_LAKI,
                    agama,
                    kawin,
                    hubungan,
                    MENINGGAL if dead else HIDUP,
                    no_prop,
                    no_kab,
                    no_kec,
                    no_kel,
                    inserted,
                    updated,
                )
            )
        self.keluarga.append(
            (
                no_kk,
                head_nik,
                head_name,
                street_address(rng, kecamatan).upper(),
                f"{_between(rng, 1, 12):03d}",
                f"{_between(rng, 1, 25):03d}",
                no_prop,
                no_kab,
                no_kec,
                no_kel,
                inserted,
                updated,
            )
        )

    def unique(self, draw: Callable[[], str]) -> str:
        while True:
            value = draw()
            if value not in self.taken:
                self.taken.add(value)
                return value


def _head_age(rng: random.Random) -> int:
    low, high = rng.choices(HEAD_AGES, HEAD_WEIGHTS)[0]
    return _between(rng, low, high)


def _children(rng: random.Random, mother_age: int) -> list[tuple[bool, int, int, int]]:
    if mother_age < 25:
        weights = (40, 40, 20, 0, 0)
    elif mother_age < 35:
        weights = (8, 24, 36, 22, 10)
    elif mother_age < 50:
        weights = (5, 17, 35, 28, 15)
    else:
        weights = (35, 30, 20, 10, 5)  # older children have left home
    count = rng.choices(range(5), weights)[0]
    children = []
    for _ in range(count):
        age = mother_age - _between(rng, 19, 40)
        if age >= 0:
            children.append(
                (
                    rng.random() < 0.49,
                    age,
                    ANAK,
                    BELUM_KAWIN if age < 25 else rng.choice((BELUM_KAWIN, KAWIN)),
                )
            )
    return children


def _between(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint(low, high)``, about four times faster: the seed draws millions."""
    return low + int(rng.random() * (high - low + 1))


def _moment(rng: random.Random, first_day: int, last_day: int) -> tuple[int, str]:
    """A day from ``first_day`` to ``last_day`` (ordinals), and a time during office hours
    on it as SQLite stores a DATETIME: the day's ordinal and the text."""
    day = _between(rng, first_day, last_day)
    minute = _between(rng, 7 * 60 + 30, 16 * 60)
    return day, f"{date.fromordinal(day).isoformat()} {minute // 60:02d}:{minute % 60:02d}:00"
