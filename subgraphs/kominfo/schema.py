"""Diskominfo's part of the city graph: its service's records in the graph's names.

Owns ``Opd`` (key ``kode``, the kode SKPD), ``Aplikasi``, ``Inovasi`` and ``Aduan``; adds
``aduan`` to dukcapil's ``Kelurahan``. Every upstream read goes through a
:class:`BatchLoader`, so a gateway's ``_entities`` call (or a list of OPDs asking for their
applications) costs one request per page, not one per key. Complainants are never read:
an ``Aduan`` carries its tracking id, topic, status, target OPD, kelurahan and dates only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError
from starlette.applications import Starlette
from strawberry import Info
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from subgraphs.reference import KELURAHAN_KODE_RE, KODE_SKPD_RE, UnknownCodeError, opd_by_code
from subgraphs.toolkit import (
    AccessRecord,
    BatchLoader,
    GatewayTrust,
    SubgraphContext,
    SubgraphErrorCode,
    SubgraphLimits,
    UpstreamBadResponse,
    bad_input,
    cache_control,
    create_app,
    data_subject,
    described,
    entity_cache_control,
    personal_data,
    source_of,
    subgraph_schema,
)
from subgraphs.toolkit.adapters import JsonObject
from subgraphs.toolkit.pages import BATAS, LEWATI, PAGE_SIZE, check_page, page, paged, sized

from .instansi import kode_skpd_for_instansi, nama_instansi
from .pdp import visible_to
from .source import KominfoApi

if TYPE_CHECKING:
    from gateway.audit.history import Processing

__all__ = [
    "Aduan",
    "Aplikasi",
    "BentukInovasi",
    "HasilPemrosesan",
    "InisiatorInovasi",
    "Inovasi",
    "JenisAplikasi",
    "JenisInovasi",
    "JenisOpd",
    "Kelurahan",
    "Opd",
    "PemrosesanData",
    "Query",
    "StatusAduan",
    "TahapanInovasi",
    "make_app",
    "schema",
    "working_days",
]

SUMBER_KATALOG = "Diskominfo Kota Pontianak: Katalog SPBE dan Inovasi Daerah"
SUMBER_LAPOR = "SP4N-LAPOR! (Diskominfo Kota Pontianak)"

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


# -- enums ------------------------------------------------------------------------------


@strawberry.enum(description="Kind of perangkat daerah.")
class JenisOpd(Enum):
    SEKRETARIAT = "SEKRETARIAT"
    INSPEKTORAT = "INSPEKTORAT"
    BADAN = "BADAN"
    DINAS = "DINAS"
    SATUAN = "SATUAN"
    KECAMATAN = "KECAMATAN"


@strawberry.enum(description="SPBE class: Aplikasi Umum (shared) or Aplikasi Khusus.")
class JenisAplikasi(Enum):
    UMUM = "UMUM"
    KHUSUS = "KHUSUS"


@strawberry.enum(description="Where an application runs.")
class PlatformAplikasi(Enum):
    WEB = "WEB"
    MOBILE = "MOBILE"
    DESKTOP = "DESKTOP"


@strawberry.enum(description="Whether an application is in use.")
class StatusAplikasi(Enum):
    AKTIF = "AKTIF"
    TIDAK_AKTIF = "TIDAK_AKTIF"


@strawberry.enum(description="Form of a regional innovation (Kemendagri innovation index).")
class BentukInovasi(Enum):
    PELAYANAN_PUBLIK = "PELAYANAN_PUBLIK"
    TATA_KELOLA_PEMERINTAHAN = "TATA_KELOLA_PEMERINTAHAN"
    INOVASI_DAERAH_LAINNYA = "INOVASI_DAERAH_LAINNYA"


@strawberry.enum(description="Digital or non-digital innovation.")
class JenisInovasi(Enum):
    DIGITAL = "DIGITAL"
    NON_DIGITAL = "NON_DIGITAL"


@strawberry.enum(description="Who started an innovation.")
class InisiatorInovasi(Enum):
    KEPALA_DAERAH = "KEPALA_DAERAH"
    ANGGOTA_DPRD = "ANGGOTA_DPRD"
    OPD = "OPD"
    ASN = "ASN"
    MASYARAKAT = "MASYARAKAT"


@strawberry.enum(description="How far an innovation has come.")
class TahapanInovasi(Enum):
    INISIATIF = "INISIATIF"
    UJI_COBA = "UJI_COBA"
    PENERAPAN = "PENERAPAN"


@strawberry.enum(description="Where a LAPOR! complaint stands.")
class StatusAduan(Enum):
    BELUM_DIVERIFIKASI = "BELUM_DIVERIFIKASI"
    DIVERIFIKASI = "DIVERIFIKASI"
    DIDISPOSISIKAN = "DIDISPOSISIKAN"
    DITINDAKLANJUTI = "DITINDAKLANJUTI"
    SELESAI = "SELESAI"
    DIARSIPKAN = "DIARSIPKAN"


# The legacy service's words for the enums above
JENIS_OPD = {member.value.capitalize(): member for member in JenisOpd}
JENIS_APLIKASI = {"Aplikasi Umum": JenisAplikasi.UMUM, "Aplikasi Khusus": JenisAplikasi.KHUSUS}
PLATFORM = {"Web": PlatformAplikasi.WEB, "Mobile": PlatformAplikasi.MOBILE}
PLATFORM["Desktop"] = PlatformAplikasi.DESKTOP
STATUS_APLIKASI = {"Aktif": StatusAplikasi.AKTIF, "Tidak Aktif": StatusAplikasi.TIDAK_AKTIF}
BENTUK = {
    "Inovasi Pelayanan Publik": BentukInovasi.PELAYANAN_PUBLIK,
    "Inovasi Tata Kelola Pemerintahan Daerah": BentukInovasi.TATA_KELOLA_PEMERINTAHAN,
    "Inovasi Daerah Lainnya": BentukInovasi.INOVASI_DAERAH_LAINNYA,
}
JENIS_INOVASI = {"Digital": JenisInovasi.DIGITAL, "Non Digital": JenisInovasi.NON_DIGITAL}
INISIATOR = {
    "Kepala Daerah": InisiatorInovasi.KEPALA_DAERAH,
    "Anggota DPRD": InisiatorInovasi.ANGGOTA_DPRD,
    "OPD": InisiatorInovasi.OPD,
    "ASN": InisiatorInovasi.ASN,
    "Masyarakat": InisiatorInovasi.MASYARAKAT,
}
TAHAPAN = {
    "Inisiatif": TahapanInovasi.INISIATIF,
    "Uji Coba": TahapanInovasi.UJI_COBA,
    "Penerapan": TahapanInovasi.PENERAPAN,
}
STATUS_ADUAN = {
    "Belum Diverifikasi": StatusAduan.BELUM_DIVERIFIKASI,
    "Diverifikasi": StatusAduan.DIVERIFIKASI,
    "Didisposisikan": StatusAduan.DIDISPOSISIKAN,
    "Ditindaklanjuti": StatusAduan.DITINDAKLANJUTI,
    "Selesai": StatusAduan.SELESAI,
    "Diarsipkan": StatusAduan.DIARSIPKAN,
}

SLA_DISPOSISI_HARI_KERJA = 3
SLA_TINDAK_LANJUT_HARI_KERJA = 5

OPD_FRESH, OPD_STALE = 86_400, 30 * 86_400
OPD = cache_control(max_age=OPD_FRESH, stale_if_error=OPD_STALE)
"""The OPD registry changes by regulation: a day fresh, a month to stand in while the
service or this subgraph is down."""
KATALOG_FRESH, KATALOG_STALE = 6 * 3600, 7 * 86_400
KATALOG = cache_control(max_age=KATALOG_FRESH, stale_if_error=KATALOG_STALE)
"""Applications and innovations are catalogued by the odd new entry or status: six hours
fresh, a week to stand in."""
ADUAN_FRESH, ADUAN_STALE = 60, 86_400
ADUAN = cache_control(max_age=ADUAN_FRESH, stale_if_error=ADUAN_STALE)
"""A complaint is verified, forwarded and followed up by the hour: a minute fresh, so that
a busy page does not reach LAPOR! on every view; a day to stand in, marked stale."""


# -- types ------------------------------------------------------------------------------


@strawberry.type(description="An urusan pemerintahan (Permendagri 90/2019).")
class UrusanPemerintahan:
    kode: str = strawberry.field(description="Urusan code, e.g. 2.16.")
    nama: str


# A kecamatan (owned by dukcapil), by its Kemendagri code. No description here: clients see
# the owner's.
@strawberry.federation.type(keys=[Key(fields=FieldSet("kode"), resolvable=False)])
class Kecamatan:
    kode: str


# A kelurahan (owned by dukcapil): its LAPOR! complaints.
# No description here: clients see the owner's.
@strawberry.federation.type(keys=["kode"])
class Kelurahan:
    kode: str = strawberry.field(description="Kemendagri code, 61.71.xx.1xxx.")

    @classmethod
    async def resolve_reference(cls, info: Info, kode: str) -> Kelurahan:
        return cls(kode=kode)

    @described(
        "LAPOR! complaints about this kelurahan.",
        directives=paged(10),  # the 182 seeded complaints put at most 9 in one kelurahan
        metadata=ADUAN,
    )
    async def aduan(
        self,
        info: Info,
        status: StatusAduan | None = None,
        tahun: int | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Aduan] | None:
        check_page(batas, lewati)
        found = _aduan_where(await aduan_by_kelurahan.load(info, self.kode), status, tahun)
        return page(found, batas, lewati)


@entity_cache_control(max_age=OPD_FRESH, stale_if_error=OPD_STALE)
@strawberry.federation.type(
    keys=["kode"], description="A perangkat daerah, from Diskominfo's OPD registry."
)
class Opd:
    kode: str = strawberry.field(description="Kode SKPD (Permendagri 90/2019).")
    nama: str
    singkatan: str
    jenis: JenisOpd
    urusan: UrusanPemerintahan = strawberry.field(description="Main urusan.")
    urusan_lain: list[UrusanPemerintahan] = strawberry.field(
        description="Other urusan the OPD also serves."
    )
    kecamatan: Kecamatan | None = strawberry.field(
        description="The kecamatan a kecamatan office serves."
    )
    alamat: str | None
    situs_web: str | None
    sumber: str
    diperbarui: str | None = strawberry.field(description="Last update, ISO date.")

    @classmethod
    def from_record(cls, record: JsonObject) -> Opd:
        return _mapped("kominfo-katalog", record, _opd)

    @classmethod
    async def resolve_reference(cls, info: Info, kode: str) -> Opd | None:
        return await opd_by_kode.load(info, kode)

    @described(
        "Applications this OPD runs (SPBE catalogue).",
        directives=paged(5),  # the 75 seeded applications give an OPD at most 5
        metadata=KATALOG,
    )
    async def aplikasi(
        self,
        info: Info,
        jenis: JenisAplikasi | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Aplikasi] | None:
        check_page(batas, lewati)
        found = await aplikasi_by_opd.load(info, self.kode) or []
        chosen = [item for item in found if jenis is None or item.jenis == jenis]
        return page(chosen, batas, lewati)

    @described(
        "Regional innovations of this OPD.",
        directives=paged(5),  # the 55 seeded innovations give an OPD at most 4
        metadata=KATALOG,
    )
    async def inovasi(
        self,
        info: Info,
        jenis: JenisInovasi | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Inovasi] | None:
        check_page(batas, lewati)
        found = await inovasi_by_opd.load(info, self.kode) or []
        chosen = [item for item in found if jenis is None or item.jenis == jenis]
        return page(chosen, batas, lewati)

    @described(
        "LAPOR! complaints addressed to this OPD.",
        directives=paged(20),  # the 182 seeded complaints address at most 18 to one OPD
        metadata=ADUAN,
    )
    async def aduan(
        self,
        info: Info,
        status: StatusAduan | None = None,
        tahun: int | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Aduan] | None:
        check_page(batas, lewati)
        found = _aduan_where(await aduan_by_opd.load(info, self.kode), status, tahun)
        return page(found, batas, lewati)


@entity_cache_control(max_age=KATALOG_FRESH, stale_if_error=KATALOG_STALE)
@strawberry.federation.type(keys=["id"], description="An application in the SPBE catalogue.")
class Aplikasi:
    id: str
    nama: str
    deskripsi: str | None
    jenis: JenisAplikasi
    platform: PlatformAplikasi
    status: StatusAplikasi
    terintegrasi: bool = strawberry.field(description="Connected to the SPBE integration layer.")
    tahun_pembuatan: int | None
    url: str | None
    kode_opd: strawberry.Private[str]
    sumber: str
    diperbarui: str | None

    @classmethod
    def from_record(cls, record: JsonObject) -> Aplikasi:
        return _mapped("kominfo-katalog", record, _aplikasi)

    @classmethod
    async def resolve_reference(cls, info: Info, id: str) -> Aplikasi | None:
        return await aplikasi_by_id.load(info, id)

    @described("The OPD that owns the application.")
    async def opd(self, info: Info) -> Opd | None:
        return await opd_by_kode.load(info, self.kode_opd)


@entity_cache_control(max_age=KATALOG_FRESH, stale_if_error=KATALOG_STALE)
@strawberry.federation.type(keys=["id"], description="A regional innovation.")
class Inovasi:
    id: str
    nama: str
    bentuk: BentukInovasi
    jenis: JenisInovasi
    inisiator: InisiatorInovasi
    tahapan: TahapanInovasi
    urusan: UrusanPemerintahan
    tahun: int | None = strawberry.field(description="Year it started.")
    kode_opd: strawberry.Private[str]
    sumber: str
    diperbarui: str | None

    @classmethod
    def from_record(cls, record: JsonObject) -> Inovasi:
        return _mapped("kominfo-katalog", record, _inovasi)

    @classmethod
    async def resolve_reference(cls, info: Info, id: str) -> Inovasi | None:
        return await inovasi_by_id.load(info, id)

    @described("The OPD behind the innovation.")
    async def opd(self, info: Info) -> Opd | None:
        return await opd_by_kode.load(info, self.kode_opd)


@entity_cache_control(max_age=ADUAN_FRESH, stale_if_error=ADUAN_STALE)
@strawberry.federation.type(
    keys=["trackingId"],
    description="A SP4N-LAPOR! complaint. The complainant and the text are never exposed.",
)
class Aduan:
    tracking_id: str = strawberry.field(description="LAPOR! tracking id.")
    topik: str = strawberry.field(description="LAPOR! category.")
    status: StatusAduan
    tanggal_lapor: str = strawberry.field(description="ISO date.")
    tanggal_disposisi: str | None = strawberry.field(description="Forwarded to the OPD.")
    tanggal_tindak_lanjut: str | None = strawberry.field(description="First follow-up.")
    disposisi_tepat_waktu: bool | None = strawberry.field(
        description=f"Forwarded within {SLA_DISPOSISI_HARI_KERJA} working days."
    )
    tindak_lanjut_tepat_waktu: bool | None = strawberry.field(
        description=f"Followed up within {SLA_TINDAK_LANJUT_HARI_KERJA} working days of "
        "being forwarded."
    )
    kode_opd: strawberry.Private[str | None]
    kode_kelurahan: strawberry.Private[str | None]
    sumber: str
    diperbarui: str | None

    @classmethod
    def from_record(cls, record: JsonObject) -> Aduan:
        return _mapped("lapor", record, _aduan)

    @classmethod
    async def resolve_reference(cls, info: Info, trackingId: str) -> Aduan | None:
        # strawberry passes the representation's fields by their graph names
        return await aduan_by_tracking_id.load(info, trackingId)

    @described("The OPD the complaint is addressed to.")
    async def opd(self, info: Info) -> Opd | None:
        return None if self.kode_opd is None else await opd_by_kode.load(info, self.kode_opd)

    @described("Where the complaint is about.")
    def kelurahan(self) -> Kelurahan | None:
        return None if self.kode_kelurahan is None else Kelurahan(kode=self.kode_kelurahan)


# -- mapping ----------------------------------------------------------------------------


def _mapped(upstream: str, record: JsonObject, build: Callable[[JsonObject], T]) -> T:
    """``build(record)``; a record missing a field or holding an unknown value is the
    upstream's fault, reported as a bad response rather than a crash."""
    try:
        return build(record)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise UpstreamBadResponse(upstream, f"unexpected record: {error!r}") from error


def _enum(table: dict[str, E], value: Any) -> E:
    if value not in table:
        raise ValueError(f"unknown value {value!r}")
    return table[value]


def _iso_date(value: Any) -> str | None:
    """``2025-03-04 10:22:13`` (the service's style) as the ISO date ``2025-03-04``."""
    if value is None:
        return None
    return date.fromisoformat(str(value)[:10]).isoformat()


def _opd(record: JsonObject) -> Opd:
    wilayah = record.get("kode_wilayah")
    return Opd(
        kode=str(record["kode_skpd"]),
        nama=str(record["nama_skpd"]),
        singkatan=str(record["singkatan"]),
        jenis=_enum(JENIS_OPD, record["jenis_perangkat"]),
        urusan=UrusanPemerintahan(kode=record["kode_urusan"], nama=record["nama_urusan"]),
        urusan_lain=[
            UrusanPemerintahan(kode=str(item["kode_urusan"]), nama=str(item["nama_urusan"]))
            for item in record.get("urusan_tambahan") or []
        ],
        kecamatan=Kecamatan(kode=str(wilayah)) if wilayah else None,
        alamat=record.get("alamat_kantor"),
        situs_web=record.get("website"),
        sumber=SUMBER_KATALOG,
        diperbarui=_iso_date(record.get("updated_at")),
    )


def _aplikasi(record: JsonObject) -> Aplikasi:
    tahun = record.get("tahun_pembuatan")
    return Aplikasi(
        id=str(record["id_aplikasi"]),
        nama=str(record["nama_aplikasi"]),
        deskripsi=record.get("deskripsi"),
        jenis=_enum(JENIS_APLIKASI, record["jenis_aplikasi"]),
        platform=_enum(PLATFORM, record["platform"]),
        status=_enum(STATUS_APLIKASI, record["status_aplikasi"]),
        terintegrasi=record["status_integrasi"] == "Terintegrasi",
        tahun_pembuatan=int(tahun) if tahun is not None else None,
        url=record.get("url"),
        kode_opd=str(record["kode_skpd_pemilik"]),
        sumber=SUMBER_KATALOG,
        diperbarui=_iso_date(record.get("tgl_update")),
    )


def _inovasi(record: JsonObject) -> Inovasi:
    tahun = record.get("tahun")
    return Inovasi(
        id=str(record["id_inovasi"]),
        nama=str(record["nama_inovasi"]),
        bentuk=_enum(BENTUK, record["bentuk_inovasi"]),
        jenis=_enum(JENIS_INOVASI, record["jenis_inovasi"]),
        inisiator=_enum(INISIATOR, record["inisiator"]),
        tahapan=_enum(TAHAPAN, record["tahapan"]),
        urusan=UrusanPemerintahan(
            kode=str(record["kode_urusan"]), nama=str(record["urusan_pemerintahan"])
        ),
        tahun=int(tahun) if tahun is not None else None,
        kode_opd=str(record["kode_skpd"]),
        sumber=SUMBER_KATALOG,
        diperbarui=_iso_date(record.get("tgl_update")),
    )


def _aduan(record: JsonObject) -> Aduan:
    # Only these fields are read: the complainant (pelapor), the text (isi_laporan) and
    # the free-text title stay in LAPOR!
    lapor = date.fromisoformat(str(record["tanggal_lapor"])[:10])
    disposisi_raw = _iso_date(record.get("tanggal_disposisi"))
    tindak_raw = _iso_date(record.get("tanggal_tindak_lanjut"))
    disposisi = date.fromisoformat(disposisi_raw) if disposisi_raw else None
    tindak = date.fromisoformat(tindak_raw) if tindak_raw else None
    kelurahan = record.get("kode_wilayah")
    return Aduan(
        tracking_id=str(record["tracking_id"]),
        topik=str(record["kategori"]),
        status=_enum(STATUS_ADUAN, record["status"]),
        tanggal_lapor=lapor.isoformat(),
        tanggal_disposisi=disposisi_raw,
        tanggal_tindak_lanjut=tindak_raw,
        disposisi_tepat_waktu=None
        if disposisi is None
        else working_days(lapor, disposisi) <= SLA_DISPOSISI_HARI_KERJA,
        tindak_lanjut_tepat_waktu=None
        if disposisi is None or tindak is None
        else working_days(disposisi, tindak) <= SLA_TINDAK_LANJUT_HARI_KERJA,
        kode_opd=kode_skpd_for_instansi(str(record.get("instansi_tujuan"))),
        kode_kelurahan=str(kelurahan) if kelurahan and KELURAHAN_KODE_RE.match(kelurahan) else None,
        sumber=SUMBER_LAPOR,
        diperbarui=_iso_date(record.get("updated_at")),
    )


def working_days(start: date, end: date) -> int:
    """Working days (Monday to Friday) after ``start`` up to and including ``end``."""
    days = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def _aduan_where(
    found: list[Aduan] | None, status: StatusAduan | None, tahun: int | None
) -> list[Aduan]:
    return [
        item
        for item in found or []
        if (status is None or item.status == status)
        and (tahun is None or item.tanggal_lapor.startswith(f"{tahun:04d}-"))
    ]


def _grouped(
    items: Iterable[T], key: Callable[[T], str | None], keys: list[str]
) -> dict[str, list[T]]:
    groups: dict[str, list[T]] = {k: [] for k in keys}
    for item in items:
        k = key(item)
        if k is not None and k in groups:
            groups[k].append(item)
    return groups


# -- batch loaders: one upstream walk per batch of keys -----------------------------------


@BatchLoader
async def opd_by_kode(context: SubgraphContext, kodes: list[str]) -> dict[str, Opd]:
    """OPDs by kode SKPD."""
    records = await source_of(context, KominfoApi).perangkat_daerah(kodes)
    found = (Opd.from_record(record) for record in records)
    return {opd.kode: opd for opd in found}


@BatchLoader
async def aplikasi_by_id(context: SubgraphContext, ids: list[str]) -> dict[str, Aplikasi]:
    """Applications by id."""
    records = await source_of(context, KominfoApi).aplikasi(ids=ids)
    return {item.id: item for item in map(Aplikasi.from_record, records)}


@BatchLoader
async def aplikasi_by_opd(context: SubgraphContext, kodes: list[str]) -> dict[str, list[Aplikasi]]:
    """Each OPD's applications."""
    records = await source_of(context, KominfoApi).aplikasi(kode_skpd=kodes)
    return _grouped(map(Aplikasi.from_record, records), lambda item: item.kode_opd, kodes)


@BatchLoader
async def inovasi_by_id(context: SubgraphContext, ids: list[str]) -> dict[str, Inovasi]:
    """Innovations by id."""
    records = await source_of(context, KominfoApi).inovasi(ids=ids)
    return {item.id: item for item in map(Inovasi.from_record, records)}


@BatchLoader
async def inovasi_by_opd(context: SubgraphContext, kodes: list[str]) -> dict[str, list[Inovasi]]:
    """Each OPD's innovations."""
    records = await source_of(context, KominfoApi).inovasi(kode_skpd=kodes)
    return _grouped(map(Inovasi.from_record, records), lambda item: item.kode_opd, kodes)


@BatchLoader
async def aduan_by_tracking_id(context: SubgraphContext, ids: list[str]) -> dict[str, Aduan]:
    """Complaints by tracking id."""
    records = await source_of(context, KominfoApi).laporan(tracking_id=ids)
    return {item.tracking_id: item for item in map(Aduan.from_record, records)}


@BatchLoader
async def aduan_by_kelurahan(context: SubgraphContext, kodes: list[str]) -> dict[str, list[Aduan]]:
    """Each kelurahan's complaints."""
    records = await source_of(context, KominfoApi).laporan(kode_wilayah=kodes)
    return _grouped(map(Aduan.from_record, records), lambda item: item.kode_kelurahan, kodes)


@BatchLoader
async def aduan_by_opd(context: SubgraphContext, kodes: list[str]) -> dict[str, list[Aduan]]:
    """Each OPD's complaints; LAPOR! knows OPDs by instansi name, not kode SKPD."""
    names: list[str] = []
    for kode in kodes:
        try:
            names.append(nama_instansi(opd_by_code(kode)))
        except UnknownCodeError:
            continue
    if not names:
        return {kode: [] for kode in kodes}
    records = await source_of(context, KominfoApi).laporan(instansi_tujuan=names)
    return _grouped(map(Aduan.from_record, records), lambda item: item.kode_opd, kodes)


# -- the access log ---------------------------------------------------------------------

RIWAYAT_POLICY = "kominfo.riwayat_pdp"
NIK_RE = re.compile(r"^\d{16}\Z", re.ASCII)


@strawberry.enum(description="What became of one processing.")
class HasilPemrosesan(Enum):
    DIPROSES = "answered"
    GAGAL = "failed"
    DITOLAK = "refused"


@strawberry.type(
    description="One processing of a resident's personal data, as the city's access log holds it."
)
class PemrosesanData:
    waktu: str = strawberry.field(description="When it began, ISO 8601 UTC.")
    hasil: HasilPemrosesan
    pencatat: str = strawberry.field(
        description="Who recorded it: gateway, or the OPD subgraph that processed the data itself."
    )
    aplikasi: str | None = strawberry.field(
        description="The client application the gateway verified."
    )
    petugas: str | None = strawberry.field(
        description="The acting officer's NIP, as the application stated it."
    )
    keperluan: str | None = strawberry.field(description="The stated purpose.")
    dasar_hukum: list[str] = strawberry.field(description="The legal bases of the grants used.")
    data: list[str] = strawberry.field(description="The personal fields processed (Type.field).")
    permintaan: str = strawberry.field(
        description="The request id, shared by the entries of one request."
    )
    catatan: str = strawberry.field(description="Where the entry lies in the log: chain #position.")

    @classmethod
    def from_processing(cls, found: Processing) -> PemrosesanData:
        entry = found.entry
        return cls(
            waktu=entry.time,
            hasil=HasilPemrosesan(entry.outcome),
            pencatat=entry.source,
            aplikasi=entry.client,
            petugas=entry.officer,
            keperluan=entry.purpose,
            dasar_hukum=list(entry.legal_basis),
            data=[f.field for f in entry.fields],
            permintaan=entry.request,
            catatan=f"{found.chain} #{found.seq}",
        )


async def _riwayat(info: Info, nik: str) -> list[PemrosesanData]:
    call = info.context.call
    if call is None or call.client is None:
        raise GraphQLError(
            "The processing history is served only to an application the gateway verified.",
            extensions={"code": SubgraphErrorCode.UNAUTHENTICATED.value},
        )
    if not NIK_RE.match(nik.strip()):
        raise bad_input("The NIK must be 16 digits.", pesan="NIK harus 16 digit angka.")
    record: AccessRecord | None = info.context.access_record
    if record is None:
        raise GraphQLError(
            "No access record is connected to this subgraph.",
            extensions={"code": SubgraphErrorCode.AUDIT_UNAVAILABLE.value},
        )
    history = await record.history(nik.strip(), refused=True)
    return [PemrosesanData.from_processing(p) for p in visible_to(call.client, history)]


# -- root fields ------------------------------------------------------------------------


def _check_kode_skpd(kode: str | None) -> None:
    if kode is not None and not KODE_SKPD_RE.match(kode):
        raise bad_input(
            "The kode SKPD must have the form U.BB.U.BB.U.BB.UU.SSSS "
            "(e.g. 2.16.2.20.2.21.01.0000).",
            pesan="Kode SKPD harus berbentuk U.BB.U.BB.U.BB.UU.SSSS (mis. 2.16.2.20.2.21.01.0000).",
        )


def _check_kelurahan(kode: str | None) -> None:
    if kode is not None and not KELURAHAN_KODE_RE.match(kode):
        raise bad_input(
            "The kelurahan code must have the form 61.71.xx.1xxx.",
            pesan="Kode kelurahan harus berbentuk 61.71.xx.1xxx.",
        )


@strawberry.type
class Query:
    @described(
        "Every OPD in the registry, optionally of one kind.",
        directives=sized(31),  # Kota Pontianak's 31 perangkat daerah
        metadata=OPD,
    )
    async def daftar_opd(self, info: Info, jenis: JenisOpd | None = None) -> list[Opd] | None:
        found = map(Opd.from_record, await source_of(info.context, KominfoApi).perangkat_daerah())
        return [opd for opd in found if jenis is None or opd.jenis == jenis]

    @described("One OPD by kode SKPD.", metadata=OPD)
    async def opd(self, info: Info, kode: str) -> Opd | None:
        _check_kode_skpd(kode)
        return await opd_by_kode.load(info, kode)

    @described(
        "Applications, optionally of one OPD (kode SKPD) or kind.",
        directives=paged(75),  # the SPBE catalogue's 75 seeded applications
        metadata=KATALOG,
    )
    async def daftar_aplikasi(
        self,
        info: Info,
        opd: str | None = None,
        jenis: JenisAplikasi | None = None,
        terintegrasi: bool | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Aplikasi] | None:
        _check_kode_skpd(opd)
        check_page(batas, lewati)
        if opd is not None:
            found = await aplikasi_by_opd.load(info, opd) or []
        else:
            found = [
                Aplikasi.from_record(record)
                for record in await source_of(info.context, KominfoApi).aplikasi()
            ]
        chosen = [
            item
            for item in found
            if (jenis is None or item.jenis == jenis)
            and (terintegrasi is None or item.terintegrasi == terintegrasi)
        ]
        return page(chosen, batas, lewati)

    @described("One application by id.", metadata=KATALOG)
    async def aplikasi(self, info: Info, id: str) -> Aplikasi | None:
        return await aplikasi_by_id.load(info, id)

    @described(
        "Innovations, optionally of one OPD (kode SKPD) or kind.",
        directives=paged(55),  # the 55 seeded innovations
        metadata=KATALOG,
    )
    async def daftar_inovasi(
        self,
        info: Info,
        opd: str | None = None,
        jenis: JenisInovasi | None = None,
        tahapan: TahapanInovasi | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Inovasi] | None:
        _check_kode_skpd(opd)
        check_page(batas, lewati)
        if opd is not None:
            found = await inovasi_by_opd.load(info, opd) or []
        else:
            found = [
                Inovasi.from_record(record)
                for record in await source_of(info.context, KominfoApi).inovasi()
            ]
        chosen = [
            item
            for item in found
            if (jenis is None or item.jenis == jenis)
            and (tahapan is None or item.tahapan == tahapan)
        ]
        return page(chosen, batas, lewati)

    @described("One innovation by id.", metadata=KATALOG)
    async def inovasi(self, info: Info, id: str) -> Inovasi | None:
        return await inovasi_by_id.load(info, id)

    @described(
        "LAPOR! complaints, optionally by OPD, kelurahan, status.",
        directives=paged(200),  # 182 seeded complaints
        metadata=ADUAN,
    )
    async def daftar_aduan(
        self,
        info: Info,
        opd: str | None = None,
        kelurahan: str | None = None,
        status: StatusAduan | None = None,
        tahun: int | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Aduan] | None:
        _check_kode_skpd(opd)
        _check_kelurahan(kelurahan)
        check_page(batas, lewati)
        if opd is not None:
            found = await aduan_by_opd.load(info, opd) or []
            if kelurahan is not None:
                found = [item for item in found if item.kode_kelurahan == kelurahan]
        elif kelurahan is not None:
            found = await aduan_by_kelurahan.load(info, kelurahan) or []
        else:
            found = [
                Aduan.from_record(record)
                for record in await source_of(info.context, KominfoApi).laporan()
            ]
        return page(_aduan_where(found, status, tahun), batas, lewati)

    @described("One complaint by its LAPOR! tracking id.", metadata=ADUAN)
    async def aduan(self, info: Info, tracking_id: str) -> Aduan | None:
        return await aduan_by_tracking_id.load(info, tracking_id)

    # No cache hint: a resident's personal data is never kept
    @strawberry.federation.field(  # type: ignore[untyped-decorator]
        description="Every processing of one resident's personal data on record (UU 27/2022: "
        "the data subject's right to know who processed their data, and why), refusals "
        "included. Diskominfo's data-protection officer sees all of it; an OPD's "
        "applications see the processing of their OPD's data only. Personal data: for "
        "applications granted kominfo.riwayat_pdp, stating a granted purpose.",
        directives=sized(1000),
        **personal_data(RIWAYAT_POLICY),
    )
    async def riwayat_pemrosesan(
        self, info: Info, nik: Annotated[str, data_subject("The resident's NIK (16 digits).")]
    ) -> list[PemrosesanData] | None:
        return await _riwayat(info, nik)


schema = subgraph_schema(Query, types=[Opd, Aplikasi, Inovasi, Aduan, Kelurahan, Kecamatan])


def make_app(
    source: KominfoApi,
    *,
    trust: GatewayTrust,
    limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
    access_record: AccessRecord | None = None,
) -> Starlette:
    """The subgraph as an ASGI app over ``source`` (:func:`~.source.connect`), serving the
    calls ``trust`` accepts, within ``limits``; ``riwayatPemrosesan`` reads the access log
    through ``access_record`` (``None``: it answers AUDIT_UNAVAILABLE)."""
    return create_app(
        schema, trust=trust, source=source, limits=limits, access_record=access_record
    )
