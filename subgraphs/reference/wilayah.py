"""Kota Pontianak's wilayah: its kecamatan and kelurahan, and crosswalks to other code systems.

The join key across the graph is the Kemendagri code: ``61.71`` for the city, ``61.71.xx``
for a kecamatan, ``61.71.xx.1xxx`` for a kelurahan (the leading 1 of the last group marks a
kelurahan; a desa would have 2). Other systems number the same places their own way:

- BPS (statistics) uses ``6171`` / ``6171xxx`` / ``6171xxxyyy``, in its own order;
- Dapodik (education) uses Kemendikbud's 6-digit codes, ``136000`` for the city.

The Kemendagri codes and names are real; the BPS codes come from a public copy of BPS's
master file; the Dapodik codes, areas, populations and coordinates are synthetic. Each data
file's header says which is which.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from .datafiles import read_csv
from .errors import ReferenceDataError, UnknownCodeError

__all__ = [
    "BPS_KECAMATAN_RE",
    "BPS_KELURAHAN_RE",
    "DAPODIK_KODE_RE",
    "KECAMATAN_KODE_RE",
    "KELURAHAN_KODE_RE",
    "CrosswalkRow",
    "Kecamatan",
    "Kelurahan",
    "Kota",
    "Tingkat",
    "bps_crosswalk",
    "bps_to_kemendagri",
    "dapodik_crosswalk",
    "dapodik_to_kemendagri",
    "kecamatan_by_code",
    "kecamatan_list",
    "kelurahan_by_code",
    "kelurahan_by_name",
    "kelurahan_list",
    "kemendagri_to_bps",
    "kemendagri_to_dapodik",
    "kota",
]

KECAMATAN_KODE_RE = re.compile(r"^61\.71\.\d{2}\Z", re.ASCII)
"""A Kemendagri kecamatan code in Kota Pontianak: ``61.71.01``."""

KELURAHAN_KODE_RE = re.compile(r"^61\.71\.\d{2}\.1\d{3}\Z", re.ASCII)
"""A Kemendagri kelurahan code in Kota Pontianak: ``61.71.01.1002``."""

BPS_KECAMATAN_RE = re.compile(r"^6171\d{3}\Z", re.ASCII)
"""A BPS kecamatan code in Kota Pontianak: ``6171010``."""

BPS_KELURAHAN_RE = re.compile(r"^6171\d{6}\Z", re.ASCII)
"""A BPS kelurahan code in Kota Pontianak: ``6171010002``."""

DAPODIK_KODE_RE = re.compile(r"^136\d{3}\Z", re.ASCII)
"""A Dapodik region code in Kota Pontianak (city, kecamatan or kelurahan): ``136101``."""

Tingkat = Literal["kota", "kecamatan", "kelurahan"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Kota:
    """The city itself."""

    kode: str
    nama: str
    provinsi: str
    kode_bps: str
    kode_dapodik: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Kecamatan:
    """A kecamatan; its area and population are the sums over its kelurahan."""

    kode: str
    nama: str
    kode_bps: str
    kode_dapodik: str
    nama_dapodik: str
    lintang: float
    bujur: float
    luas_km2: float
    penduduk_2024: int
    kelurahan_kode: tuple[str, ...]

    @property
    def digits(self) -> str:
        """The code without dots (``617101``), as it starts a NIK."""
        return self.kode.replace(".", "")


@dataclass(frozen=True, slots=True, kw_only=True)
class Kelurahan:
    """A kelurahan, with the synthetic attributes the simulators seed from."""

    kode: str
    nama: str
    kecamatan_kode: str
    kode_bps: str
    kode_dapodik: str
    nama_dapodik: str
    luas_km2: float
    penduduk_2024: int
    lintang: float
    bujur: float

    @property
    def digits(self) -> str:
        """The code without dots (``6171011002``)."""
        return self.kode.replace(".", "")

    @property
    def kepadatan_per_km2(self) -> float:
        """Population per km² (synthetic, like the figures it is computed from)."""
        return self.penduduk_2024 / self.luas_km2


@dataclass(frozen=True, slots=True, kw_only=True)
class CrosswalkRow:
    """One line of a crosswalk: a place's Kemendagri code and its code in another system."""

    tingkat: Tingkat
    kode_kemendagri: str
    kode: str
    nama: str


@dataclass(frozen=True, slots=True)
class _Wilayah:
    kota: Kota
    kecamatan: tuple[Kecamatan, ...]
    kelurahan: tuple[Kelurahan, ...]
    bps: tuple[CrosswalkRow, ...]
    dapodik: tuple[CrosswalkRow, ...]


def kota() -> Kota:
    """Kota Pontianak (Kemendagri 61.71)."""
    return _wilayah().kota


def kecamatan_list() -> tuple[Kecamatan, ...]:
    """The 6 kecamatan, in Kemendagri code order."""
    return _wilayah().kecamatan


def kecamatan_by_code(kode: str) -> Kecamatan:
    """The kecamatan with Kemendagri code ``kode``; :class:`UnknownCodeError` if none."""
    found = _kecamatan_index().get(kode)
    if found is None:
        raise UnknownCodeError("kecamatan", kode)
    return found


def kelurahan_list(kecamatan: str | None = None) -> tuple[Kelurahan, ...]:
    """The 29 kelurahan in code order, or those of kecamatan code ``kecamatan``."""
    every = _wilayah().kelurahan
    if kecamatan is None:
        return every
    kecamatan_by_code(kecamatan)
    return tuple(k for k in every if k.kecamatan_kode == kecamatan)


def kelurahan_by_code(kode: str) -> Kelurahan:
    """The kelurahan with Kemendagri code ``kode``; :class:`UnknownCodeError` if none."""
    found = _kelurahan_index().get(kode)
    if found is None:
        raise UnknownCodeError("kelurahan", kode)
    return found


def kelurahan_by_name(nama: str) -> Kelurahan:
    """The kelurahan named ``nama`` (case and spacing ignored); for tests and fixtures.

    Systems must join on codes; names are spelled differently from one system to the next.
    """
    wanted = _name_key(nama)
    for kelurahan in _wilayah().kelurahan:
        if _name_key(kelurahan.nama) == wanted:
            return kelurahan
    raise UnknownCodeError("kelurahan name", nama)


def dapodik_crosswalk() -> tuple[CrosswalkRow, ...]:
    """Every Dapodik code (city, kecamatan, kelurahan) with its Kemendagri code."""
    return _wilayah().dapodik


def bps_crosswalk() -> tuple[CrosswalkRow, ...]:
    """Every BPS code (city, kecamatan, kelurahan) with its Kemendagri code."""
    return _wilayah().bps


def dapodik_to_kemendagri(kode: str) -> str:
    """The Kemendagri code of the place Dapodik calls ``kode`` (``136101`` → ``61.71.01.1006``)."""
    return _lookup(_dapodik_forward(), "Dapodik", kode)


def kemendagri_to_dapodik(kode: str) -> str:
    """The Dapodik code of the place with Kemendagri code ``kode``."""
    return _lookup(_dapodik_backward(), "Kemendagri", kode)


def bps_to_kemendagri(kode: str) -> str:
    """The Kemendagri code of the place BPS calls ``kode`` (``6171011001`` → ``61.71.06.1003``)."""
    return _lookup(_bps_forward(), "BPS", kode)


def kemendagri_to_bps(kode: str) -> str:
    """The BPS code of the place with Kemendagri code ``kode``."""
    return _lookup(_bps_backward(), "Kemendagri", kode)


def _lookup(table: dict[str, str], kind: str, kode: str) -> str:
    found = table.get(kode)
    if found is None:
        raise UnknownCodeError(kind, kode)
    return found


def _name_key(nama: str) -> str:
    return " ".join(nama.lower().split())


@functools.cache
def _kecamatan_index() -> dict[str, Kecamatan]:
    return {k.kode: k for k in _wilayah().kecamatan}


@functools.cache
def _kelurahan_index() -> dict[str, Kelurahan]:
    return {k.kode: k for k in _wilayah().kelurahan}


@functools.cache
def _dapodik_forward() -> dict[str, str]:
    return {row.kode: row.kode_kemendagri for row in _wilayah().dapodik}


@functools.cache
def _dapodik_backward() -> dict[str, str]:
    return {row.kode_kemendagri: row.kode for row in _wilayah().dapodik}


@functools.cache
def _bps_forward() -> dict[str, str]:
    return {row.kode: row.kode_kemendagri for row in _wilayah().bps}


@functools.cache
def _bps_backward() -> dict[str, str]:
    return {row.kode_kemendagri: row.kode for row in _wilayah().bps}


_KOTA_KODE = "61.71"


@functools.cache
def _wilayah() -> _Wilayah:
    kecamatan_rows = read_csv("kecamatan.csv", ("kode", "nama", "lintang", "bujur"))
    kelurahan_rows = read_csv(
        "kelurahan.csv",
        ("kode", "kecamatan", "nama", "luas_km2", "penduduk_2024", "lintang", "bujur"),
    )
    bps = _crosswalk("bps")
    dapodik = _crosswalk("dapodik")

    kecamatan_codes = [row["kode"] for row in kecamatan_rows]
    _check_codes("kecamatan.csv", kecamatan_codes, KECAMATAN_KODE_RE)
    kelurahan_codes = [row["kode"] for row in kelurahan_rows]
    _check_codes("kelurahan.csv", kelurahan_codes, KELURAHAN_KODE_RE)
    places = {_KOTA_KODE: "kota"} | dict.fromkeys(kecamatan_codes, "kecamatan")
    places |= dict.fromkeys(kelurahan_codes, "kelurahan")
    bps_of = _complete("crosswalk_bps.csv", bps, places)
    dapodik_of = _complete("crosswalk_dapodik.csv", dapodik, places)

    kelurahan: list[Kelurahan] = []
    for row in kelurahan_rows:
        kode = row["kode"]
        if row["kecamatan"] not in kecamatan_codes or not kode.startswith(row["kecamatan"] + "."):
            raise ReferenceDataError(
                f"kelurahan.csv: {kode} is not in kecamatan {row['kecamatan']}"
            )
        kelurahan.append(
            Kelurahan(
                kode=kode,
                nama=row["nama"],
                kecamatan_kode=row["kecamatan"],
                kode_bps=bps_of[kode].kode,
                kode_dapodik=dapodik_of[kode].kode,
                nama_dapodik=dapodik_of[kode].nama,
                luas_km2=float(row["luas_km2"]),
                penduduk_2024=int(row["penduduk_2024"]),
                lintang=float(row["lintang"]),
                bujur=float(row["bujur"]),
            )
        )
    kelurahan.sort(key=lambda k: k.kode)

    kecamatan: list[Kecamatan] = []
    for row in kecamatan_rows:
        kode = row["kode"]
        members = [k for k in kelurahan if k.kecamatan_kode == kode]
        if not members:
            raise ReferenceDataError(f"kecamatan.csv: {kode} has no kelurahan")
        kecamatan.append(
            Kecamatan(
                kode=kode,
                nama=row["nama"],
                kode_bps=bps_of[kode].kode,
                kode_dapodik=dapodik_of[kode].kode,
                nama_dapodik=dapodik_of[kode].nama,
                lintang=float(row["lintang"]),
                bujur=float(row["bujur"]),
                luas_km2=round(sum(k.luas_km2 for k in members), 2),
                penduduk_2024=sum(k.penduduk_2024 for k in members),
                kelurahan_kode=tuple(k.kode for k in members),
            )
        )
    kecamatan.sort(key=lambda k: k.kode)

    city = Kota(
        kode=_KOTA_KODE,
        nama="Kota Pontianak",
        provinsi="Kalimantan Barat",
        kode_bps=bps_of[_KOTA_KODE].kode,
        kode_dapodik=dapodik_of[_KOTA_KODE].kode,
    )
    return _Wilayah(city, tuple(kecamatan), tuple(kelurahan), bps, dapodik)


def _check_codes(file: str, codes: list[str], pattern: re.Pattern[str]) -> None:
    for kode in codes:
        if not pattern.match(kode):
            raise ReferenceDataError(f"{file}: {kode!r} does not match {pattern.pattern}")
    if len(set(codes)) != len(codes):
        raise ReferenceDataError(f"{file}: a code appears twice")


_TINGKAT: dict[str, Tingkat] = {"kota": "kota", "kecamatan": "kecamatan", "kelurahan": "kelurahan"}


def _crosswalk(system: str) -> tuple[CrosswalkRow, ...]:
    """Read ``crosswalk_<system>.csv``, whose code and name columns end in ``_<system>``."""
    file = f"crosswalk_{system}.csv"
    columns = ("tingkat", f"kode_{system}", "kode_kemendagri", f"nama_{system}")
    result: list[CrosswalkRow] = []
    for row in read_csv(file, columns):
        tingkat = _TINGKAT.get(row["tingkat"])
        if tingkat is None:
            raise ReferenceDataError(f"{file}: unknown tingkat {row['tingkat']!r}")
        result.append(
            CrosswalkRow(
                tingkat=tingkat,
                kode_kemendagri=row["kode_kemendagri"],
                kode=row[f"kode_{system}"],
                nama=row[f"nama_{system}"],
            )
        )
    return tuple(result)


def _complete(
    file: str, rows: tuple[CrosswalkRow, ...], places: dict[str, str]
) -> dict[str, CrosswalkRow]:
    """Index a crosswalk by Kemendagri code, checking it is a bijection over ``places``."""
    by_kemendagri = {row.kode_kemendagri: row for row in rows}
    others = {row.kode for row in rows}
    if len(by_kemendagri) != len(rows) or len(others) != len(rows):
        raise ReferenceDataError(f"{file}: a code appears twice")
    if set(by_kemendagri) != set(places):
        missing = sorted(set(places) - set(by_kemendagri))
        extra = sorted(set(by_kemendagri) - set(places))
        raise ReferenceDataError(f"{file}: missing {missing}, unknown {extra}")
    for row in rows:
        if places[row.kode_kemendagri] != row.tingkat:
            raise ReferenceDataError(f"{file}: {row.kode_kemendagri} is not a {row.tingkat}")
    return by_kemendagri
