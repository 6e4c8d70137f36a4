"""The permit types DPMPTSP Kota Pontianak issues, and which system issues each.

SiCantik handles the regional, non-business permits (buildings, billboards, health
workers' practice permits); OSS-RBA the business permits, each tied to a NIB. Both systems
and the graph know a type by its short code, the one inside the permit number
(``503/0042/PBG/DPMPTSP/2024``); OSS also has its own ``kd_izin``. The codes, names and
validity periods are SAMPLES shaped like the city's; ``kd_izin`` values are made up.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "JENIS_IZIN",
    "SISTEM_OSS",
    "SISTEM_SICANTIK",
    "JenisIzin",
    "Sistem",
    "jenis_by_kd_izin",
    "jenis_by_kode",
    "jenis_by_nama",
]

Sistem = Literal["SiCantik", "OSS-RBA"]
SISTEM_SICANTIK: Sistem = "SiCantik"
SISTEM_OSS: Sistem = "OSS-RBA"


@dataclass(frozen=True, slots=True, kw_only=True)
class JenisIzin:
    """One permit type: short code, name, issuing system, years of validity (None: none)."""

    kode: str
    nama: str
    sistem: Sistem
    berlaku_tahun: int | None
    kd_izin: str | None = None


JENIS_IZIN: tuple[JenisIzin, ...] = (
    JenisIzin(
        kode="PBG", nama="Persetujuan Bangunan Gedung", sistem="SiCantik", berlaku_tahun=None
    ),
    JenisIzin(kode="SLF", nama="Sertifikat Laik Fungsi", sistem="SiCantik", berlaku_tahun=5),
    JenisIzin(
        kode="REKLAME", nama="Izin Penyelenggaraan Reklame", sistem="SiCantik", berlaku_tahun=1
    ),
    JenisIzin(kode="SIP", nama="Surat Izin Praktik Dokter", sistem="SiCantik", berlaku_tahun=5),
    JenisIzin(kode="SIPB", nama="Surat Izin Praktik Bidan", sistem="SiCantik", berlaku_tahun=5),
    JenisIzin(kode="SIPP", nama="Surat Izin Praktik Perawat", sistem="SiCantik", berlaku_tahun=5),
    JenisIzin(kode="SIPA", nama="Surat Izin Praktik Apoteker", sistem="SiCantik", berlaku_tahun=5),
    JenisIzin(
        kode="IUMK",
        nama="Izin Usaha Mikro dan Kecil",
        sistem="OSS-RBA",
        berlaku_tahun=None,
        kd_izin="002000000001",
    ),
    JenisIzin(
        kode="SS",
        nama="Sertifikat Standar",
        sistem="OSS-RBA",
        berlaku_tahun=5,
        kd_izin="003000000010",
    ),
    JenisIzin(
        kode="TDUP",
        nama="Tanda Daftar Usaha Pariwisata",
        sistem="OSS-RBA",
        berlaku_tahun=None,
        kd_izin="045000000001",
    ),
    JenisIzin(
        kode="SPPIRT",
        nama="Sertifikat Produksi Pangan Industri Rumah Tangga",
        sistem="OSS-RBA",
        berlaku_tahun=5,
        kd_izin="063000000001",
    ),
)


def jenis_by_kode(kode: str) -> JenisIzin | None:
    """The permit type with short code ``kode`` (``PBG``), or ``None``."""
    return _index()[0].get(kode)


def jenis_by_nama(nama: str) -> JenisIzin | None:
    """The permit type SiCantik names ``nama`` (its ``n_perizinan``), or ``None``."""
    return _index()[1].get(nama)


def jenis_by_kd_izin(kd_izin: str) -> JenisIzin | None:
    """The permit type OSS-RBA codes ``kd_izin``, or ``None``."""
    return _index()[2].get(kd_izin)


@functools.cache
def _index() -> tuple[dict[str, JenisIzin], dict[str, JenisIzin], dict[str, JenisIzin]]:
    return (
        {jenis.kode: jenis for jenis in JENIS_IZIN},
        {jenis.nama: jenis for jenis in JENIS_IZIN},
        {jenis.kd_izin: jenis for jenis in JENIS_IZIN if jenis.kd_izin is not None},
    )
