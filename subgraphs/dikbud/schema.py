"""Dinas Pendidikan dan Kebudayaan's part of the city graph: schools from Dapodik.

Owns ``Sekolah`` (key ``npsn``) and adds ``sekolah`` and ``ringkasanPendidikan`` to
dukcapil's ``Kelurahan``. School fields come from ``getSekolah``; student and staff counts
from Dapodik's rekap endpoints, each through its own :class:`BatchLoader`, so a broken rekap
nulls the counts alone and a hundred schools cost one request per endpoint and page.
Children's and teachers' records are never read: the graph carries counts only.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from starlette.applications import Starlette
from strawberry import Info

from subgraphs.reference import KECAMATAN_KODE_RE, KELURAHAN_KODE_RE, NPSN_RE
from subgraphs.toolkit import (
    GatewayTrust,
    SubgraphLimits,
    bad_input,
    cache_control,
    create_app,
    described,
    entity_cache_control,
    source_of,
    subgraph_schema,
)
from subgraphs.toolkit.pages import BATAS, LEWATI, PAGE_SIZE, check_page, page, paged

from .reads import (
    gtk_by_npsn,
    peserta_didik_by_npsn,
    sekolah_by_kelurahan,
    sekolah_by_npsn,
    sekolah_where,
)
from .records import (
    SUMBER,
    AkreditasiSekolah,
    BentukPendidikan,
    PesertaDidikTingkat,
    RekapGtk,
    RekapPesertaDidik,
    SekolahRecord,
    StatusSekolah,
)
from .source import DapodikApi

__all__ = [
    "AkreditasiSekolah",
    "BentukPendidikan",
    "Kelurahan",
    "PesertaDidikTingkat",
    "Query",
    "RekapGtk",
    "RekapPesertaDidik",
    "RingkasanPendidikan",
    "Sekolah",
    "StatusSekolah",
    "make_app",
    "schema",
]

SEKOLAH_FRESH, SEKOLAH_STALE = 6 * 3600, 7 * 86_400
SEKOLAH = cache_control(max_age=SEKOLAH_FRESH, stale_if_error=SEKOLAH_STALE)
"""A school's name, address and accreditation change rarely; its row at most once a day, at
its Dapodik sync: six hours fresh, a week to stand in while Dapodik or this subgraph is
down."""
REKAP = cache_control(max_age=1800, stale_if_error=7 * 86_400)
"""Student and staff counts move with each school's daily sync in a semester's first months:
half an hour fresh, a week to stand in (last week's counts still tell a kelurahan's size)."""


@entity_cache_control(max_age=SEKOLAH_FRESH, stale_if_error=SEKOLAH_STALE)
@strawberry.federation.type(keys=["npsn"], description="A school, as Dapodik registers it.")
class Sekolah:
    npsn: str = strawberry.field(description="Nomor Pokok Sekolah Nasional, 8 digits.")
    nama: str
    bentuk_pendidikan: BentukPendidikan
    status: StatusSekolah
    alamat: str | None = strawberry.field(description="Street address.")
    akreditasi: AkreditasiSekolah | None
    lintang: float | None = strawberry.field(description="Latitude (WGS 84).")
    bujur: float | None = strawberry.field(description="Longitude (WGS 84).")
    sumber: str
    diperbarui: str | None = strawberry.field(description="Last Dapodik sync, ISO 8601 date-time.")
    kode_kelurahan: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, record: SekolahRecord) -> Sekolah:
        return cls(
            npsn=record.npsn,
            nama=record.nama,
            bentuk_pendidikan=record.bentuk,
            status=record.status,
            alamat=record.alamat,
            akreditasi=record.akreditasi,
            lintang=record.lintang,
            bujur=record.bujur,
            sumber=SUMBER,
            diperbarui=record.diperbarui,
            kode_kelurahan=record.kelurahan,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, npsn: str) -> Sekolah | None:
        return await _sekolah(info, npsn)

    @described("The kelurahan the school is in (Kemendagri code, crosswalked from Dapodik's).")
    def kelurahan(self) -> Kelurahan | None:
        return None if self.kode_kelurahan is None else Kelurahan(kode=self.kode_kelurahan)

    @described("Students of this school: counts per tingkat, no records.", metadata=REKAP)
    async def peserta_didik(self, info: Info) -> RekapPesertaDidik | None:
        return await peserta_didik_by_npsn.load(info, self.npsn)

    @described("Teachers and education staff of this school: counts.", metadata=REKAP)
    async def gtk(self, info: Info) -> RekapGtk | None:
        return await gtk_by_npsn.load(info, self.npsn)


@strawberry.type(description="Schools of a kelurahan in numbers.")
class RingkasanPendidikan:
    jumlah_sekolah: int
    npsn: strawberry.Private[list[str]]

    @described("Students of all its schools.")
    async def peserta_didik(self, info: Info) -> int | None:
        found = await peserta_didik_by_npsn.load_many(info, self.npsn)
        return sum(rekap.jumlah for rekap in found if rekap is not None)

    @described("Teachers (guru) of all its schools.")
    async def guru(self, info: Info) -> int | None:
        found = await gtk_by_npsn.load_many(info, self.npsn)
        return sum(rekap.guru for rekap in found if rekap is not None)

    @described("Education staff (tendik) of all its schools.")
    async def tendik(self, info: Info) -> int | None:
        found = await gtk_by_npsn.load_many(info, self.npsn)
        return sum(rekap.tendik for rekap in found if rekap is not None)


# A kelurahan (owned by dukcapil): its schools.
# No description here: clients see the owner's.
@strawberry.federation.type(keys=["kode"])
class Kelurahan:
    kode: str = strawberry.field(description="Kemendagri code, 61.71.xx.1xxx.")

    @classmethod
    async def resolve_reference(cls, info: Info, kode: str) -> Kelurahan:
        return cls(kode=kode)

    @described(
        "Schools in this kelurahan, optionally of one bentuk or status.",
        directives=paged(15),  # the 294 seeded schools put at most 13 in one kelurahan
        metadata=SEKOLAH,
    )
    async def sekolah(
        self,
        info: Info,
        bentuk: BentukPendidikan | None = None,
        status: StatusSekolah | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Sekolah] | None:
        check_page(batas, lewati)
        found = await sekolah_by_kelurahan.load(info, self.kode) or []
        chosen = [
            record
            for record in found
            if (bentuk is None or record.bentuk == bentuk)
            and (status is None or record.status == status)
        ]
        return [Sekolah.from_record(record) for record in page(chosen, batas, lewati)]

    @described("How many schools, students, teachers and staff this kelurahan has.", metadata=REKAP)
    async def ringkasan_pendidikan(self, info: Info) -> RingkasanPendidikan | None:
        found = await sekolah_by_kelurahan.load(info, self.kode) or []
        return RingkasanPendidikan(
            jumlah_sekolah=len(found), npsn=[record.npsn for record in found]
        )


async def _sekolah(info: Info, npsn: str) -> Sekolah | None:
    record = await sekolah_by_npsn.load(info, npsn)
    return None if record is None else Sekolah.from_record(record)


@strawberry.type
class Query:
    @described("One school by NPSN; null when Dapodik does not know it.", metadata=SEKOLAH)
    async def sekolah(self, info: Info, npsn: str) -> Sekolah | None:
        if not NPSN_RE.match(npsn):
            raise bad_input("The NPSN must be 8 digits.", pesan="NPSN harus 8 digit.")
        return await _sekolah(info, npsn)

    @described(
        "Schools, optionally of one kelurahan or kecamatan (Kemendagri codes), bentuk, status.",
        directives=paged(300),  # 294 seeded schools
        metadata=SEKOLAH,
    )
    async def daftar_sekolah(
        self,
        info: Info,
        kelurahan: str | None = None,
        kecamatan: str | None = None,
        bentuk: BentukPendidikan | None = None,
        status: StatusSekolah | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Sekolah] | None:
        if kelurahan is not None and not KELURAHAN_KODE_RE.match(kelurahan):
            raise bad_input(
                "The kelurahan code must have the form 61.71.xx.1xxx.",
                pesan="Kode kelurahan harus berbentuk 61.71.xx.1xxx.",
            )
        if kecamatan is not None and not KECAMATAN_KODE_RE.match(kecamatan):
            raise bad_input(
                "The kecamatan code must have the form 61.71.xx.",
                pesan="Kode kecamatan harus berbentuk 61.71.xx.",
            )
        check_page(batas, lewati)
        found = await sekolah_where(
            source_of(info.context, DapodikApi),
            kelurahan=kelurahan,
            kecamatan=kecamatan,
            bentuk=bentuk,
            status=status,
        )
        return [Sekolah.from_record(record) for record in page(found, batas, lewati)]


schema = subgraph_schema(Query, types=[Sekolah, Kelurahan])


def make_app(
    source: DapodikApi,
    *,
    trust: GatewayTrust,
    limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
) -> Starlette:
    """The subgraph as an ASGI app over ``source`` (:func:`~.source.connect`), serving the
    calls ``trust`` accepts, within ``limits``."""
    return create_app(schema, trust=trust, source=source, limits=limits)
