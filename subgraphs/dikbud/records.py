"""Dapodik's rows in the graph's names: schools, student counts, staff counts.

Only the fields listed here are read; anything else a row carries (the principal's name,
the operator's contacts) stays in Dapodik. A row missing a field the graph needs, or with a
value the graph has no word for, is the upstream's fault: :class:`UpstreamBadResponse`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, TypeVar

import strawberry

from subgraphs.toolkit import UpstreamBadResponse
from subgraphs.toolkit.adapters import JsonObject

from .wilayah import kelurahan_from_dapodik

__all__ = [
    "BENTUK_DAPODIK",
    "STATUS_DAPODIK",
    "SUMBER",
    "UPSTREAM",
    "AkreditasiSekolah",
    "BentukPendidikan",
    "PesertaDidikTingkat",
    "RekapGtk",
    "RekapPesertaDidik",
    "SekolahRecord",
    "StatusSekolah",
    "gtk_from_dapodik",
    "mapped",
    "peserta_didik_from_dapodik",
    "sekolah_from_dapodik",
]

SUMBER = "Dapodik (Dinas Pendidikan dan Kebudayaan Kota Pontianak)"
UPSTREAM = "dapodik"
WIB = timezone(timedelta(hours=7), "WIB")  # Dapodik writes local time without a zone

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


@strawberry.enum(description="Bentuk pendidikan (Dapodik); MI, MTS and MA are madrasah.")
class BentukPendidikan(Enum):
    SD = "SD"
    SMP = "SMP"
    SMA = "SMA"
    SMK = "SMK"
    MI = "MI"
    MTS = "MTS"
    MA = "MA"


@strawberry.enum(description="Public (negeri) or private (swasta) school.")
class StatusSekolah(Enum):
    NEGERI = "NEGERI"
    SWASTA = "SWASTA"


@strawberry.enum(description="BAN-S/M accreditation grade.")
class AkreditasiSekolah(Enum):
    A = "A"
    B = "B"
    C = "C"
    BELUM_TERAKREDITASI = "BELUM_TERAKREDITASI"


# Dapodik's words for the enums above
BENTUK_DAPODIK = {member: member.value for member in BentukPendidikan}
BENTUK_DAPODIK[BentukPendidikan.MTS] = "MTs"
BENTUK = {word: member for member, word in BENTUK_DAPODIK.items()}
STATUS_DAPODIK = {StatusSekolah.NEGERI: "Negeri", StatusSekolah.SWASTA: "Swasta"}
STATUS = {word: member for member, word in STATUS_DAPODIK.items()}
AKREDITASI = {
    "A": AkreditasiSekolah.A,
    "B": AkreditasiSekolah.B,
    "C": AkreditasiSekolah.C,
    "Belum Terakreditasi": AkreditasiSekolah.BELUM_TERAKREDITASI,
}
SEMESTER = {"1": "Ganjil", "2": "Genap"}


@strawberry.type(description="Students of one tingkat (grade) of a school: counts only.")
class PesertaDidikTingkat:
    tingkat: int = strawberry.field(description="Tingkat pendidikan: 1 to 12.")
    jumlah: int
    laki_laki: int | None
    perempuan: int | None
    rombel: int | None = strawberry.field(description="Number of classes (rombongan belajar).")


@strawberry.type(description="A school's students (Dapodik's rekap): counts only, no records.")
class RekapPesertaDidik:
    jumlah: int
    laki_laki: int | None
    perempuan: int | None
    rombel: int | None = strawberry.field(description="Number of classes (rombongan belajar).")
    per_tingkat: list[PesertaDidikTingkat]
    semester: str | None = strawberry.field(description="Dapodik semester, e.g. 2025/2026 Ganjil.")
    npsn: strawberry.Private[str]


@strawberry.type(description="A school's teachers (guru) and education staff (tendik): counts.")
class RekapGtk:
    guru: int
    tendik: int
    jumlah: int
    semester: str | None = strawberry.field(description="Dapodik semester, e.g. 2025/2026 Ganjil.")
    npsn: strawberry.Private[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class SekolahRecord:
    """A school as the graph sees it."""

    npsn: str
    nama: str
    bentuk: BentukPendidikan
    status: StatusSekolah
    alamat: str | None
    akreditasi: AkreditasiSekolah | None
    lintang: float | None
    bujur: float | None
    kelurahan: str | None
    """Kemendagri code, from Dapodik's ``kode_wilayah`` through the crosswalk."""
    diperbarui: str | None


def mapped(record: JsonObject, build: Callable[[JsonObject], T]) -> T:
    """``build(record)``; a record of the wrong shape is a bad response, not a crash."""
    try:
        return build(record)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise UpstreamBadResponse(UPSTREAM, f"unexpected record: {error!r}") from error


def sekolah_from_dapodik(row: JsonObject) -> SekolahRecord:
    """A ``getSekolah`` row."""
    return mapped(row, _sekolah)


def peserta_didik_from_dapodik(row: JsonObject) -> RekapPesertaDidik:
    """A ``getRekapPesertaDidik`` row."""
    return mapped(row, _peserta_didik)


def gtk_from_dapodik(row: JsonObject) -> RekapGtk:
    """A ``getRekapGtk`` row."""
    return mapped(row, _gtk)


def _sekolah(row: JsonObject) -> SekolahRecord:
    return SekolahRecord(
        npsn=_text(row["npsn"]),
        nama=_text(row["nama"]),
        bentuk=_enum(BENTUK, row["bentuk_pendidikan"]),
        status=_enum(STATUS, row["status_sekolah"]),
        alamat=_optional_text(row.get("alamat_jalan")),
        akreditasi=AKREDITASI.get(str(row.get("akreditasi")).strip()),
        lintang=_coordinate(row.get("lintang")),
        bujur=_coordinate(row.get("bujur")),
        kelurahan=kelurahan_from_dapodik(row.get("kode_wilayah")),
        diperbarui=_timestamp(row.get("last_update")),
    )


def _peserta_didik(row: JsonObject) -> RekapPesertaDidik:
    return RekapPesertaDidik(
        npsn=_text(row["npsn"]),
        jumlah=_count(row["jumlah"]),
        laki_laki=_optional_count(row.get("laki_laki")),
        perempuan=_optional_count(row.get("perempuan")),
        rombel=_optional_count(row.get("jumlah_rombel")),
        per_tingkat=[
            PesertaDidikTingkat(
                tingkat=_count(item["tingkat_pendidikan_id"]),
                jumlah=_count(item["jumlah"]),
                laki_laki=_optional_count(item.get("laki_laki")),
                perempuan=_optional_count(item.get("perempuan")),
                rombel=_optional_count(item.get("jumlah_rombel")),
            )
            for item in row["tingkat"]
        ],
        semester=_semester(row.get("semester_id")),
    )


def _gtk(row: JsonObject) -> RekapGtk:
    return RekapGtk(
        npsn=_text(row["npsn"]),
        guru=_count(row["guru"]),
        tendik=_count(row["tendik"]),
        jumlah=_count(row["jumlah"]),
        semester=_semester(row.get("semester_id")),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected text, got {type(value).__name__}")
    return value.strip()


def _optional_text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _enum(table: dict[str, E], value: Any) -> E:
    if not isinstance(value, str) or value.strip() not in table:
        raise ValueError(f"unknown value {value!r}")
    return table[value.strip()]


def _count(value: Any) -> int:
    # Dapodik sends numbers as numbers here, but a bool or a negative count is nonsense
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"not a count: {value!r}")
    return value


def _optional_count(value: Any) -> int | None:
    return None if value is None else _count(value)


def _coordinate(value: Any) -> float | None:
    """Dapodik's coordinates are strings, often empty or ``"0"`` when never measured."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number != 0 else None


def _timestamp(value: Any) -> str | None:
    """``2025-11-03 22:55:40`` (WIB) as ISO 8601 with its offset."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=moment.tzinfo or WIB).isoformat()


def _semester(value: Any) -> str | None:
    """Dapodik's ``semester_id`` ``20251`` as ``2025/2026 Ganjil``."""
    text = str(value) if value is not None else ""
    if len(text) != 5 or not text.isdigit() or text[4] not in SEMESTER:
        return None
    tahun = int(text[:4])
    return f"{tahun}/{tahun + 1} {SEMESTER[text[4]]}"
