"""SiCantik's and OSS-RBA's records in the graph's terms: names, codes, dates, statuses.

Only the fields listed here are read. Applicants and persons in charge (``n_pemohon``,
``nik_pemohon``, ``nama_penanggung_jawab``, ``nik_penanggung_jawab``, phone numbers,
addresses) stay in the systems: a test feeds these functions records that fail on any
other field. A record missing a field or holding an unknown value is the upstream's fault,
raised as :class:`UpstreamBadResponse`, never a crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from subgraphs.toolkit import UpstreamBadResponse

from .perizinan import (
    SISTEM_OSS,
    SISTEM_SICANTIK,
    JenisIzin,
    jenis_by_kd_izin,
    jenis_by_kode,
)
from .wilayah import kelurahan_from_oss, kelurahan_from_sicantik

__all__ = [
    "NOMOR_PERMOHONAN_RE",
    "OSS_ID_IZIN_RE",
    "SUMBER_OSS",
    "SUMBER_SICANTIK",
    "Izin",
    "Kbli",
    "Skala",
    "Status",
    "Usaha",
    "izin_from_oss",
    "izin_from_sicantik",
    "usaha_from_oss",
]

SUMBER_SICANTIK = "SiCantik (DPMPTSP Kota Pontianak)"
SUMBER_OSS = "OSS-RBA (Kementerian Investasi/BKPM)"

NOMOR_PERMOHONAN_RE = re.compile(r"^PMH/\d{4}/\d{12}\Z", re.ASCII)
"""SiCantik's application number, the key of a permit not (yet) issued."""
OSS_ID_IZIN_RE = re.compile(r"^I-\d{11}\Z", re.ASCII)
"""OSS-RBA's permit id, the key of a business permit not (yet) issued."""

T = TypeVar("T")
Record = Mapping[str, Any]


class Status(StrEnum):
    """Where a permit stands, in the graph's words."""

    PROSES = "PROSES"
    TERBIT = "TERBIT"
    DITOLAK = "DITOLAK"
    DICABUT = "DICABUT"


class Skala(StrEnum):
    """Business scale (UU 20/2008 as amended, PP 7/2021)."""

    MIKRO = "MIKRO"
    KECIL = "KECIL"
    MENENGAH = "MENENGAH"
    BESAR = "BESAR"


SICANTIK_STATUS = {
    "Terbit": Status.TERBIT,
    "Dicabut": Status.DICABUT,
    "Ditolak": Status.DITOLAK,
    "Verifikasi Berkas": Status.PROSES,
    "Peninjauan Lapangan": Status.PROSES,
    "Menunggu Pembayaran Retribusi": Status.PROSES,
    "Penandatanganan": Status.PROSES,
}
OSS_STATUS = {
    "Terbit": Status.TERBIT,
    "Dicabut": Status.DICABUT,
    "Ditolak": Status.DITOLAK,
    "Proses Verifikasi": Status.PROSES,
}
OSS_SKALA = {
    "Usaha Mikro": Skala.MIKRO,
    "Usaha Kecil": Skala.KECIL,
    "Usaha Menengah": Skala.MENENGAH,
    "Usaha Besar": Skala.BESAR,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Kbli:
    """A KBLI 2020 sector."""

    kode: str
    judul: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Izin:
    """A permit or an application for one."""

    nomor: str
    nomor_permohonan: str
    jenis: JenisIzin
    status: Status
    tanggal_permohonan: str
    tanggal_terbit: str | None
    berlaku_sampai: str | None
    kelurahan: str | None
    nib: str | None
    kbli: str | None
    sumber: str
    diperbarui: str | None

    @property
    def tanggal_acuan(self) -> str:
        """The date the permit counts on: its issue, or its application if not issued."""
        return self.tanggal_terbit or self.tanggal_permohonan

    @property
    def tahun(self) -> int:
        """The year of :attr:`tanggal_acuan`."""
        return int(self.tanggal_acuan[:4])


@dataclass(frozen=True, slots=True, kw_only=True)
class Usaha:
    """A business registered in OSS-RBA."""

    nib: str
    nama: str
    bentuk: str
    skala: Skala
    kbli: tuple[Kbli, ...]
    kelurahan: str | None
    tanggal_terbit_nib: str | None
    diperbarui: str | None


def izin_from_sicantik(record: Record) -> Izin:
    """A SiCantik ``permohonan``."""
    return _mapped("sicantik", record, _sicantik)


def izin_from_oss(record: Record) -> Izin:
    """An OSS-RBA ``izin``."""
    return _mapped("oss-rba", record, _oss_izin)


def usaha_from_oss(record: Record) -> Usaha:
    """An OSS-RBA ``nib_data`` with its ``kbli`` list."""
    return _mapped("oss-rba", record, _usaha)


def _mapped(upstream: str, record: Record, build: Callable[[Record], T]) -> T:
    try:
        return build(record)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise UpstreamBadResponse(upstream, f"unexpected record: {type(error).__name__}") from None


def _known(table: Mapping[str, T], value: Any) -> T:
    if value not in table:
        raise ValueError("unknown value")
    return table[value]


def _iso_date(value: Any) -> str | None:
    """``2025-03-04 10:22:13`` or ``2025-03-04`` as the ISO date ``2025-03-04``."""
    if value is None:
        return None
    return date.fromisoformat(str(value)[:10]).isoformat()


def _required_date(value: Any) -> str:
    found = _iso_date(value)
    if found is None:
        raise ValueError("missing date")
    return found


def _sicantik(record: Record) -> Izin:
    jenis = jenis_by_kode(str(record["kd_perizinan"]))
    if jenis is None or jenis.sistem != SISTEM_SICANTIK:
        raise ValueError("unknown permit type")
    no_permohonan = str(record["no_permohonan"])
    no_surat = record.get("no_surat")
    return Izin(
        nomor=str(no_surat) if no_surat else no_permohonan,
        nomor_permohonan=no_permohonan,
        jenis=jenis,
        status=_known(SICANTIK_STATUS, record["status"]),
        tanggal_permohonan=_required_date(record["d_terima_berkas"]),
        tanggal_terbit=_iso_date(record.get("d_terbit")),
        berlaku_sampai=_iso_date(record.get("d_berlaku_sampai")),
        kelurahan=kelurahan_from_sicantik(record.get("kd_kelurahan")),
        nib=None,
        kbli=None,
        sumber=SUMBER_SICANTIK,
        diperbarui=_iso_date(record.get("d_update")),
    )


def _oss_izin(record: Record) -> Izin:
    jenis = jenis_by_kd_izin(str(record["kd_izin"]))
    if jenis is None or jenis.sistem != SISTEM_OSS:
        raise ValueError("unknown permit type")
    id_izin = str(record["id_izin"])
    nomor = record.get("nomor_izin")
    return Izin(
        nomor=str(nomor) if nomor else id_izin,
        nomor_permohonan=id_izin,
        jenis=jenis,
        status=_known(OSS_STATUS, record["status_izin"]),
        tanggal_permohonan=_required_date(record["tgl_permohonan"]),
        tanggal_terbit=_iso_date(record.get("tgl_terbit_izin")),
        berlaku_sampai=_iso_date(record.get("tgl_berlaku_izin")),
        kelurahan=kelurahan_from_oss(record.get("kd_daerah")),
        nib=str(record["nib"]),
        kbli=record.get("kbli"),
        sumber=SUMBER_OSS,
        diperbarui=_iso_date(record.get("tgl_update")),
    )


def _usaha(record: Record) -> Usaha:
    return Usaha(
        nib=str(record["nib"]),
        nama=str(record["nama_perusahaan"]),
        bentuk=str(record["jenis_perusahaan"]),
        skala=_known(OSS_SKALA, record["skala_usaha"]),
        kbli=tuple(
            Kbli(kode=str(item["kode_kbli"]), judul=item.get("judul_kbli"))
            for item in record["kbli"]
        ),
        kelurahan=kelurahan_from_oss(record.get("kd_daerah")),
        tanggal_terbit_nib=_iso_date(record.get("tgl_terbit_nib")),
        diperbarui=_iso_date(record.get("tgl_perubahan")),
    )
