"""SIAK's master wilayah in the graph's terms: numeric parts to Kemendagri codes, names in
capitals to the usual spelling."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from subgraphs.toolkit.adapters import Row

from .legacy.siak import NO_KAB, NO_PROP

__all__ = [
    "KOTA",
    "Master",
    "WilayahKecamatan",
    "WilayahKelurahan",
    "build_master",
    "kode_kecamatan",
    "kode_kelurahan",
    "nama_wilayah",
    "siak_kecamatan",
    "siak_kelurahan",
]

KOTA = f"{NO_PROP}.{NO_KAB}"
"""Kota Pontianak's Kemendagri code."""


def kode_kecamatan(no_kec: int) -> str:
    """``NO_KEC`` 1 → ``61.71.01``."""
    return f"{KOTA}.{no_kec:02d}"


def kode_kelurahan(no_kec: int, no_kel: int) -> str:
    """``NO_KEC`` 1, ``NO_KEL`` 1002 → ``61.71.01.1002``."""
    return f"{kode_kecamatan(no_kec)}.{no_kel:04d}"


def siak_kecamatan(kode: str) -> int:
    """``61.71.01`` → ``NO_KEC`` 1 (the code already checked for the city's format)."""
    return int(kode.split(".")[2])


def siak_kelurahan(kode: str) -> tuple[int, int]:
    """``61.71.01.1002`` → (``NO_KEC`` 1, ``NO_KEL`` 1002)."""
    parts = kode.split(".")
    return int(parts[2]), int(parts[3])


def nama_wilayah(siak: str) -> str:
    """SIAK's ``SUNGAI JAWI  LUAR`` → ``Sungai Jawi Luar``."""
    return " ".join(word.capitalize() for word in siak.split())


@dataclass(frozen=True, slots=True)
class WilayahKecamatan:
    kode: str
    nama: str
    kelurahan: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WilayahKelurahan:
    kode: str
    nama: str
    kecamatan: str


@dataclass(frozen=True, slots=True)
class Master:
    """The city's kecamatan and kelurahan as the registry knows them, by code."""

    kecamatan: dict[str, WilayahKecamatan]
    kelurahan: dict[str, WilayahKelurahan]


def build_master(rows: Iterable[Row]) -> Master:
    """The master from :meth:`~.source.SiakDatabase.wilayah`'s rows. Raises ``KeyError``,
    ``TypeError`` or ``ValueError`` on rows that do not fit."""
    names: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    kelurahan: dict[str, WilayahKelurahan] = {}
    for row in rows:
        kec = kode_kecamatan(int(row["NO_KEC"]))
        names[kec] = nama_wilayah(str(row["NAMA_KEC"]))
        members.setdefault(kec, [])
        if row["NO_KEL"] is None:
            continue
        kel = kode_kelurahan(int(row["NO_KEC"]), int(row["NO_KEL"]))
        kelurahan[kel] = WilayahKelurahan(kel, nama_wilayah(str(row["NAMA_KEL"])), kec)
        members[kec].append(kel)
    kecamatan = {
        kode: WilayahKecamatan(kode, names[kode], tuple(sorted(members[kode])))
        for kode in sorted(names)
    }
    return Master(kecamatan, dict(sorted(kelurahan.items())))
