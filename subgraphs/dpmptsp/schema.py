"""DPMPTSP's part of the city graph: permits and businesses in the graph's names.

Owns ``Izin`` (key ``nomor``) and ``Usaha`` (key ``nib``); adds ``izin``, ``usaha`` and
``rekapIzin`` to dukcapil's ``Kelurahan``. Reads go through :mod:`.reads`, batched per
request. No applicant or person in charge crosses the graph: permits carry their type,
status, dates, kelurahan and business, businesses their name, scale and sectors.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from starlette.applications import Starlette
from strawberry import Info

from subgraphs.reference import (
    KECAMATAN_KODE_RE,
    KELURAHAN_KODE_RE,
    NIB_RE,
    NOMOR_IZIN_RE,
    UnknownCodeError,
    kbli_by_code,
    kecamatan_by_code,
    kelurahan_by_code,
)
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
from subgraphs.toolkit.pages import BATAS, LEWATI, PAGE_SIZE, check_page, page, paged, sized

from . import records
from .perizinan import JENIS_IZIN, jenis_by_kode
from .perizinan import JenisIzin as JenisIzinData
from .reads import (
    izin_by_kelurahan,
    izin_by_nib,
    izin_by_nomor,
    izin_where,
    usaha_by_kelurahan,
    usaha_by_nib,
    usaha_where,
)
from .rekap import RekapBaris, rekap
from .source import DpmptspApi

__all__ = [
    "Izin",
    "JenisIzin",
    "KbliUsaha",
    "Kelurahan",
    "Query",
    "RekapIzinBulanan",
    "SkalaUsaha",
    "StatusIzin",
    "Usaha",
    "make_app",
    "schema",
]


StatusIzin = strawberry.enum(
    records.Status,
    name="StatusIzin",
    description="Where a permit stands: in process, issued, refused or revoked.",
)
SkalaUsaha = strawberry.enum(
    records.Skala, name="SkalaUsaha", description="Business scale as registered in OSS-RBA."
)

REKAP_ROWS = 12 * len(JENIS_IZIN)
"""The most rows a year's permit summary has: one per month and permit type."""

IZIN_FRESH, IZIN_STALE = 600, 86_400
IZIN = cache_control(max_age=IZIN_FRESH, stale_if_error=IZIN_STALE)
"""Permits move as applications are received, processed and issued during office hours, and
the year's summaries with them: ten minutes fresh, a day to stand in while SiCantik, OSS-RBA
or this subgraph is down."""
USAHA_FRESH, USAHA_STALE = 6 * 3600, 7 * 86_400
USAHA = cache_control(max_age=USAHA_FRESH, stale_if_error=USAHA_STALE)
"""A registered business's name, scale and sectors change rarely: six hours fresh, a week
to stand in."""
JENIS = cache_control(max_age=86_400, stale_if_error=30 * 86_400)
"""The permit types change by regulation: a day fresh, a month to stand in."""


@strawberry.type(description="A permit type DPMPTSP issues.")
class JenisIzin:
    kode: str = strawberry.field(description="Short code, as inside the permit number (PBG).")
    nama: str
    sumber: str = strawberry.field(description="The system that issues it.")

    @classmethod
    def from_data(cls, jenis: JenisIzinData) -> JenisIzin:
        return cls(kode=jenis.kode, nama=jenis.nama, sumber=_sumber(jenis))


@strawberry.type(description="A KBLI 2020 sector of a business or permit.")
class KbliUsaha:
    kode: str = strawberry.field(description="Five-digit KBLI 2020 code.")
    judul: str | None


@strawberry.type(description="Permits of one type in one month.")
class RekapIzinBulanan:
    bulan: int = strawberry.field(description="Month, 1-12.")
    kode_jenis: str
    jenis: str
    terbit: int = strawberry.field(description="Issued this month (including later revoked).")
    proses: int = strawberry.field(description="Applied for this month, still in process.")
    ditolak: int = strawberry.field(description="Applied for this month and refused.")

    @classmethod
    def from_row(cls, row: RekapBaris) -> RekapIzinBulanan:
        return cls(
            bulan=row.bulan,
            kode_jenis=row.jenis.kode,
            jenis=row.jenis.nama,
            terbit=row.terbit,
            proses=row.proses,
            ditolak=row.ditolak,
        )


# A kelurahan (owned by dukcapil): its permits and businesses.
# No description here: clients see the owner's.
@strawberry.federation.type(keys=["kode"])
class Kelurahan:
    kode: str = strawberry.field(description="Kemendagri code, 61.71.xx.1xxx.")

    @classmethod
    async def resolve_reference(cls, info: Info, kode: str) -> Kelurahan:
        return cls(kode=kode)

    @described(
        "Permits located in this kelurahan; tahun is the year of issue, or of application "
        "for permits not issued.",
        # The seeded 3,321 permits put at most 147 in one kelurahan (all years; 36 in one)
        directives=paged(150),
        metadata=IZIN,
    )
    async def izin(
        self,
        info: Info,
        tahun: int | None = None,
        status: records.Status | None = None,
        jenis: str | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Izin] | None:
        _check_tahun(tahun)
        wanted = _jenis(jenis)
        check_page(batas, lewati)
        found = await izin_by_kelurahan.load(info, (self.kode, tahun)) or []
        chosen = [
            item
            for item in found
            if (status is None or item.status == status)
            and (wanted is None or item.jenis == wanted)
        ]
        return [Izin.from_record(item) for item in page(chosen, batas, lewati)]

    @described(
        "Businesses registered (OSS-RBA) in this kelurahan.",
        # The seeded 697 businesses put at most 32 in one kelurahan
        directives=paged(35),
        metadata=USAHA,
    )
    async def usaha(
        self,
        info: Info,
        skala: records.Skala | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Usaha] | None:
        check_page(batas, lewati)
        found = await usaha_by_kelurahan.load(info, self.kode) or []
        chosen = [item for item in found if skala is None or item.skala == skala]
        return [Usaha.from_record(item) for item in page(chosen, batas, lewati)]

    @described(
        "Permits in this kelurahan per type and month of one year.",
        # Of the 132 possible rows, a kelurahan's seeded year fills at most 31
        directives=sized(32),
        metadata=IZIN,
    )
    async def rekap_izin(self, info: Info, tahun: int) -> list[RekapIzinBulanan] | None:
        _check_tahun(tahun)
        found = await izin_by_kelurahan.load(info, (self.kode, tahun)) or []
        return [RekapIzinBulanan.from_row(row) for row in rekap(found)]


@entity_cache_control(max_age=IZIN_FRESH, stale_if_error=IZIN_STALE)
@strawberry.federation.type(
    keys=["nomor"],
    description="A permit from SiCantik or OSS-RBA, or an application for one. The "
    "applicant is never exposed.",
)
class Izin:
    nomor: str = strawberry.field(
        description="Permit number (503/0042/PBG/DPMPTSP/2024); while not issued, the "
        "application number."
    )
    nomor_permohonan: str = strawberry.field(
        description="Application number in the issuing system."
    )
    kode_jenis: str = strawberry.field(description="Permit type code (PBG, SLF, TDUP...).")
    jenis: str = strawberry.field(description="Permit type name.")
    status: records.Status
    tanggal_permohonan: str = strawberry.field(description="Applied for, ISO date.")
    tanggal_terbit: str | None = strawberry.field(description="Issued, ISO date.")
    berlaku_sampai: str | None = strawberry.field(
        description="Valid until, ISO date; null for permits without an end."
    )
    kbli: KbliUsaha | None = strawberry.field(description="The sector a business permit is for.")
    sumber: str
    diperbarui: str | None = strawberry.field(description="Last update, ISO date.")
    kode_kelurahan: strawberry.Private[str | None]
    nib: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, izin: records.Izin) -> Izin:
        return cls(
            nomor=izin.nomor,
            nomor_permohonan=izin.nomor_permohonan,
            kode_jenis=izin.jenis.kode,
            jenis=izin.jenis.nama,
            status=izin.status,
            tanggal_permohonan=izin.tanggal_permohonan,
            tanggal_terbit=izin.tanggal_terbit,
            berlaku_sampai=izin.berlaku_sampai,
            kbli=None if izin.kbli is None else _kbli(izin.kbli),
            sumber=izin.sumber,
            diperbarui=izin.diperbarui,
            kode_kelurahan=izin.kelurahan,
            nib=izin.nib,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, nomor: str) -> Izin | None:
        found = await izin_by_nomor.load(info, nomor)
        return None if found is None else cls.from_record(found)

    @described("Where the permit is located.")
    def kelurahan(self) -> Kelurahan | None:
        return None if self.kode_kelurahan is None else Kelurahan(kode=self.kode_kelurahan)

    @described("The business holding the permit (OSS-RBA permits).")
    async def usaha(self, info: Info) -> Usaha | None:
        if self.nib is None:
            return None
        found = await usaha_by_nib.load(info, self.nib)
        return None if found is None else Usaha.from_record(found)


@entity_cache_control(max_age=USAHA_FRESH, stale_if_error=USAHA_STALE)
@strawberry.federation.type(
    keys=["nib"], description="A business registered in OSS-RBA. Its owner is never exposed."
)
class Usaha:
    nib: str = strawberry.field(description="Nomor Induk Berusaha, 13 digits.")
    nama: str
    bentuk: str = strawberry.field(description="Legal form: PT, CV, UD or Perorangan.")
    skala: records.Skala
    kbli: list[KbliUsaha] = strawberry.field(description="Sectors, the main one first.")
    tanggal_terbit_nib: str | None = strawberry.field(description="NIB issued, ISO date.")
    sumber: str
    diperbarui: str | None = strawberry.field(description="Last update, ISO date.")
    kode_kelurahan: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, usaha: records.Usaha) -> Usaha:
        return cls(
            nib=usaha.nib,
            nama=usaha.nama,
            bentuk=usaha.bentuk,
            skala=usaha.skala,
            kbli=[KbliUsaha(kode=k.kode, judul=k.judul) for k in usaha.kbli],
            tanggal_terbit_nib=usaha.tanggal_terbit_nib,
            sumber=records.SUMBER_OSS,
            diperbarui=usaha.diperbarui,
            kode_kelurahan=usaha.kelurahan,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, nib: str) -> Usaha | None:
        found = await usaha_by_nib.load(info, nib)
        return None if found is None else cls.from_record(found)

    @described("Where the business is located.")
    def kelurahan(self) -> Kelurahan | None:
        return None if self.kode_kelurahan is None else Kelurahan(kode=self.kode_kelurahan)

    @described(
        "The business's permits (OSS-RBA).",
        directives=paged(5),  # the seeded businesses hold at most 2 OSS permits each
        metadata=IZIN,
    )
    async def izin(
        self,
        info: Info,
        status: records.Status | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Izin] | None:
        check_page(batas, lewati)
        found = await izin_by_nib.load(info, self.nib) or []
        chosen = [item for item in found if status is None or item.status == status]
        return [Izin.from_record(item) for item in page(chosen, batas, lewati)]


# -- helpers ------------------------------------------------------------------------------


def _sumber(jenis: JenisIzinData) -> str:
    return records.SUMBER_OSS if jenis.sistem == "OSS-RBA" else records.SUMBER_SICANTIK


def _kbli(kode: str) -> KbliUsaha:
    try:
        judul: str | None = kbli_by_code(kode).judul
    except UnknownCodeError:
        judul = None
    return KbliUsaha(kode=kode, judul=judul)


def _check_tahun(tahun: int | None) -> None:
    if tahun is not None and not 1900 <= tahun <= 2100:
        raise bad_input(
            "The year must have four digits, 1900 to 2100 (e.g. 2025).",
            pesan="Tahun harus empat digit (mis. 2025).",
        )


def _check_nib(nib: str) -> None:
    if not NIB_RE.match(nib):
        raise bad_input("The NIB must be 13 digits.", pesan="NIB harus 13 digit.")


def _jenis(kode: str | None) -> JenisIzinData | None:
    if kode is None:
        return None
    found = jenis_by_kode(kode)
    if found is None:
        known = ", ".join(jenis.kode for jenis in JENIS_IZIN)
        raise bad_input(
            f"Unknown permit type; use one of: {known}.",
            pesan=f"Jenis izin tidak dikenal; pilih salah satu: {known}.",
        )
    return found


def _wilayah_known(kecamatan: str | None, kelurahan: str | None) -> bool:
    """Check the codes' format (the client's error) and whether the city has them."""
    if kecamatan is not None and not KECAMATAN_KODE_RE.match(kecamatan):
        raise bad_input(
            "The kecamatan code must have the form 61.71.xx.",
            pesan="Kode kecamatan harus berbentuk 61.71.xx.",
        )
    if kelurahan is not None and not KELURAHAN_KODE_RE.match(kelurahan):
        raise bad_input(
            "The kelurahan code must have the form 61.71.xx.1xxx.",
            pesan="Kode kelurahan harus berbentuk 61.71.xx.1xxx.",
        )
    try:
        if kecamatan is not None:
            kecamatan_by_code(kecamatan)
        if kelurahan is not None:
            kelurahan_by_code(kelurahan)
    except UnknownCodeError:
        return False
    return True


def _check_nomor(nomor: str) -> None:
    if not (
        NOMOR_IZIN_RE.match(nomor)
        or records.NOMOR_PERMOHONAN_RE.match(nomor)
        or records.OSS_ID_IZIN_RE.match(nomor)
    ):
        raise bad_input(
            "The number must be a permit number (503/0001/JENIS/DPMPTSP/2025), an "
            "application number (PMH/2025/…) or an OSS permit id (I-…).",
            pesan="Nomor izin harus berbentuk 503/0001/JENIS/DPMPTSP/2025, nomor permohonan "
            "PMH/2025/… atau id izin OSS I-…",
        )


# -- root fields --------------------------------------------------------------------------


@strawberry.type
class Query:
    @described("One permit by its number (or application number while not issued).", metadata=IZIN)
    async def izin(self, info: Info, nomor: str) -> Izin | None:
        _check_nomor(nomor)
        found = await izin_by_nomor.load(info, nomor)
        return None if found is None else Izin.from_record(found)

    @described("One business by NIB.", metadata=USAHA)
    async def usaha(self, info: Info, nib: str) -> Usaha | None:
        _check_nib(nib)
        found = await usaha_by_nib.load(info, nib)
        return None if found is None else Usaha.from_record(found)

    @described(
        "Permits, filtered, by date and number; tahun is the year of issue, or of "
        "application for permits not issued; kecamatan and kelurahan are Kemendagri codes; "
        "jenis a type code.",
        directives=paged(),  # 3,321 seeded permits, 552-759 a year: a full page
        metadata=IZIN,
    )
    async def daftar_izin(
        self,
        info: Info,
        tahun: int | None = None,
        kecamatan: str | None = None,
        kelurahan: str | None = None,
        status: records.Status | None = None,
        jenis: str | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Izin] | None:
        _check_tahun(tahun)
        wanted = _jenis(jenis)
        check_page(batas, lewati)
        if not _wilayah_known(kecamatan, kelurahan):
            return []
        found = await izin_where(
            source_of(info.context, DpmptspApi),
            tahun=tahun,
            kecamatan=kecamatan,
            kelurahan_kodes=None if kelurahan is None else [kelurahan],
            status=status,
            jenis=wanted,
        )
        return [Izin.from_record(item) for item in page(found, batas, lewati)]

    @described(
        "Businesses, optionally of one kecamatan or kelurahan (Kemendagri codes).",
        directives=paged(),  # 697 seeded businesses: a full page
        metadata=USAHA,
    )
    async def daftar_usaha(
        self,
        info: Info,
        kecamatan: str | None = None,
        kelurahan: str | None = None,
        skala: records.Skala | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Usaha] | None:
        check_page(batas, lewati)
        if not _wilayah_known(kecamatan, kelurahan):
            return []
        found = await usaha_where(
            source_of(info.context, DpmptspApi), kecamatan=kecamatan, kelurahan=kelurahan
        )
        chosen = [item for item in found if skala is None or item.skala == skala]
        return [Usaha.from_record(item) for item in page(chosen, batas, lewati)]

    @described(
        "Permits per type and month of one year, city-wide or for one kecamatan.",
        directives=sized(REKAP_ROWS),
        metadata=IZIN,
    )
    async def rekap_izin(
        self, info: Info, tahun: int, kecamatan: str | None = None
    ) -> list[RekapIzinBulanan] | None:
        _check_tahun(tahun)
        if not _wilayah_known(kecamatan, None):
            return []
        found = await izin_where(
            source_of(info.context, DpmptspApi), tahun=tahun, kecamatan=kecamatan
        )
        return [RekapIzinBulanan.from_row(row) for row in rekap(found)]

    @described(
        "The permit types DPMPTSP issues.", directives=sized(len(JENIS_IZIN)), metadata=JENIS
    )
    def daftar_jenis_izin(self) -> list[JenisIzin]:
        return [JenisIzin.from_data(jenis) for jenis in JENIS_IZIN]


schema = subgraph_schema(Query, types=[Izin, Usaha, Kelurahan])


def make_app(
    source: DpmptspApi,
    *,
    trust: GatewayTrust,
    limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
) -> Starlette:
    """The subgraph as an ASGI app over ``source`` (:func:`~.source.connect`), serving the
    calls ``trust`` accepts, within ``limits``."""
    return create_app(schema, trust=trust, source=source, limits=limits)
