"""Identifiers in the formats the real systems use, drawn from a seeded generator.

Formats follow the real ones (the ``_RE`` constants check them); the values are synthetic.
Where a layout is not public, a plausible one is used and marked as a sample:

- NPSN (Kemendikbud, a school): 8 digits; ``301xxxxx`` for schools in Kalimantan Barat,
  ``607xxxxx`` for madrasah (sample prefixes).
- NIB (OSS, a business): 13 digits; sample layout ``1`` + issue date ``ddmmyy`` + a 6-digit
  sequence, or ``912`` + 10 digits for NIBs issued before OSS-RBA (2021).
- NIK (Dukcapil, a person): 16 digits, the kecamatan code (6 digits) + birth date
  ``ddmmyy`` (day + 40 for women) + a 4-digit sequence.
- NIP (BKN, a civil servant): 18 digits, birth ``yyyymmdd`` + start of service ``yyyymm``
  + sex (1 man, 2 woman) + a 3-digit sequence.
- nomor izin (DPMPTSP, SiCantik): ``503/<seq>/<jenis>/DPMPTSP/<year>``, a sample of the
  regional letter-numbering style.
- LAPOR! tracking id (SP4N-LAPOR!): 7 digits, a sample.
- fasyankes code (Kemenkes): ``P`` + kecamatan digits + 4 for a puskesmas, ``K`` +
  kecamatan digits + 4 for a clinic, kota digits + 3 for a hospital: sample layouts.

**NIK (and NIP) are personal data.** A NIK may exist only inside the simulators: the
Dukcapil simulator's internal records and its verification endpoint, which answers SESUAI /
TIDAK SESUAI. It must never leave a simulator through a subgraph, never appear in the
public graph, in logs or in error messages (UU 27/2022 on personal data protection).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "FASYANKES_RE",
    "KEMENDAGRI_KECAMATAN_RE",
    "LAPOR_ID_RE",
    "NIB_RE",
    "NIK_RE",
    "NIP_RE",
    "NOMOR_IZIN_RE",
    "NPSN_RE",
    "JenisFasyankes",
    "NikParts",
    "fasyankes_code",
    "lapor_tracking_id",
    "nib",
    "nik",
    "nip",
    "nomor_izin",
    "npsn",
    "parse_nik",
]

NPSN_RE = re.compile(r"^\d{8}\Z", re.ASCII)
NIB_RE = re.compile(r"^\d{13}\Z", re.ASCII)
NIK_RE = re.compile(
    r"^\d{6}(?:0[1-9]|[12]\d|3[01]|4[1-9]|[56]\d|7[01])(?:0[1-9]|1[0-2])\d{2}\d{4}\Z", re.ASCII
)
NIP_RE = re.compile(
    r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}(?:19|20)\d{2}(?:0[1-9]|1[0-2])[12]\d{3}\Z", re.ASCII
)
NOMOR_IZIN_RE = re.compile(r"^503/\d{4,}/[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*/DPMPTSP/\d{4}\Z", re.ASCII)
LAPOR_ID_RE = re.compile(r"^[1-9]\d{6}\Z", re.ASCII)
FASYANKES_RE = re.compile(r"^(?:P\d{10}|K\d{10}|\d{7})\Z", re.ASCII)
KEMENDAGRI_KECAMATAN_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\Z", re.ASCII)
"""Any Kemendagri kecamatan code (a NIK may start with a kecamatan outside Pontianak)."""

JenisFasyankes = Literal["puskesmas", "rumah_sakit", "klinik"]

_JENIS_IZIN_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\Z")


@dataclass(frozen=True, slots=True, kw_only=True)
class NikParts:
    """What a NIK encodes."""

    kecamatan_kode: str
    tanggal_lahir: date
    perempuan: bool
    nomor_urut: int


def npsn(rng: random.Random, *, madrasah: bool = False) -> str:
    """A school's NPSN: 8 digits, ``301xxxxx`` (``607xxxxx`` for a madrasah)."""
    prefix = "607" if madrasah else "301"
    return f"{prefix}{rng.randrange(100_000):05d}"


def nib(rng: random.Random, terbit: date) -> str:
    """A business's NIB issued on ``terbit``: 13 digits."""
    if terbit.year >= 2021:
        return f"1{terbit:%d%m%y}{rng.randrange(1, 1_000_000):06d}"
    return f"912{rng.randrange(10**10):010d}"


def nik(rng: random.Random, kecamatan_kode: str, tanggal_lahir: date, *, perempuan: bool) -> str:
    """A NIK for someone registered in kecamatan ``kecamatan_kode`` (``61.71.01``).

    Only for the Dukcapil simulator's internal records: see the module docstring.
    """
    if not KEMENDAGRI_KECAMATAN_RE.match(kecamatan_kode):
        raise ValueError(f"not a Kemendagri kecamatan code: {kecamatan_kode!r}")
    day = tanggal_lahir.day + (40 if perempuan else 0)
    born = f"{day:02d}{tanggal_lahir.month:02d}{tanggal_lahir.year % 100:02d}"
    return f"{kecamatan_kode.replace('.', '')}{born}{rng.randrange(1, 10_000):04d}"


def parse_nik(value: str, *, today: date | None = None) -> NikParts:
    """Decode a NIK. The two-digit birth year is read as the latest year not after ``today``.

    Raises :class:`ValueError` for a string that is not a well-formed NIK. The error
    message never repeats the value.
    """
    if not NIK_RE.match(value) or value.endswith("0000"):
        raise ValueError("not a well-formed NIK")
    reference = today or date.today()
    day, month, year = int(value[6:8]), int(value[8:10]), int(value[10:12])
    perempuan = day > 40
    century = 2000 if 2000 + year <= reference.year else 1900
    try:
        born = date(century + year, month, day - 40 if perempuan else day)
    except ValueError:
        raise ValueError("not a well-formed NIK") from None
    kecamatan = f"{value[0:2]}.{value[2:4]}.{value[4:6]}"
    return NikParts(
        kecamatan_kode=kecamatan,
        tanggal_lahir=born,
        perempuan=perempuan,
        nomor_urut=int(value[12:]),
    )


def nip(rng: random.Random, tanggal_lahir: date, mulai: date, *, perempuan: bool) -> str:
    """A civil servant's NIP: born ``tanggal_lahir``, in service since ``mulai``."""
    sex = "2" if perempuan else "1"
    return f"{tanggal_lahir:%Y%m%d}{mulai:%Y%m}{sex}{rng.randrange(1, 1000):03d}"


def nomor_izin(jenis: str, nomor_urut: int, tahun: int) -> str:
    """A permit number in the SiCantik letter style: ``503/0042/PBG/DPMPTSP/2024``.

    ``jenis`` is the permit type's short code in capitals (``PBG``, ``SIP``, ``SIPA``,
    ``TDUP``, ``REKLAME``...); 503 is the archive classification code for permits.
    """
    if not _JENIS_IZIN_RE.match(jenis):
        raise ValueError(f"permit type code must be capitals, digits and dashes: {jenis!r}")
    if nomor_urut < 1:
        raise ValueError("nomor_urut starts at 1")
    return f"503/{nomor_urut:04d}/{jenis}/DPMPTSP/{tahun:04d}"


def lapor_tracking_id(rng: random.Random) -> str:
    """A SP4N-LAPOR! tracking id: 7 digits, no leading zero."""
    return str(rng.randrange(1_000_000, 10_000_000))


def fasyankes_code(rng: random.Random, jenis: JenisFasyankes, kecamatan_kode: str) -> str:
    """A health facility code for a facility in kecamatan ``kecamatan_kode`` (``61.71.04``)."""
    if not KEMENDAGRI_KECAMATAN_RE.match(kecamatan_kode):
        raise ValueError(f"not a Kemendagri kecamatan code: {kecamatan_kode!r}")
    digits = kecamatan_kode.replace(".", "")
    if jenis == "rumah_sakit":
        return f"{digits[:4]}{rng.randrange(1000):03d}"
    prefix = "P" if jenis == "puskesmas" else "K"
    return f"{prefix}{digits}{rng.randrange(10_000):04d}"
