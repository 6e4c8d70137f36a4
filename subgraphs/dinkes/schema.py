"""Dinas Kesehatan's part of the city graph: the city's health facilities.

Owns ``FasilitasKesehatan`` (key ``kode``, the Kemenkes facility code) and adds
``fasilitasKesehatan`` to dukcapil's ``Kelurahan``. Facilities come from two exports in a
shared folder, joined by :mod:`.katalog`; every read goes through a :class:`BatchLoader`,
so an ``_entities`` call with every facility, or the 29 kelurahan each asking for theirs,
reads each file once (and parses it only when it changed).

When an export is missing, malformed or lacks required fields, the facility fields fail
with ``UPSTREAM_UNAVAILABLE`` or ``UPSTREAM_BAD_RESPONSE`` (``extensions.upstream``
``satusehat`` or ``registri-faskes``) and nothing else does; the last good copy is not
served (see :mod:`.source`). A file replaced in place is picked up on the next request.
There is no patient data in either export, and a facility's head, whom SATUSEHAT lists as
its contact, is never read.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Annotated, Any

import strawberry
from starlette.applications import Starlette
from strawberry import Info

from subgraphs.reference import FASYANKES_RE, KECAMATAN_KODE_RE, KELURAHAN_KODE_RE
from subgraphs.toolkit import (
    BatchLoader,
    GatewayTrust,
    SubgraphContext,
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

from .katalog import Fasilitas
from .source import DinkesExports

__all__ = [
    "FasilitasKesehatan",
    "JenisFasilitasKesehatan",
    "Kelurahan",
    "KepemilikanFasilitasKesehatan",
    "Query",
    "make_app",
    "schema",
]

FASYANKES_FRESH, FASYANKES_STALE = 6 * 3600, 7 * 86_400
FASYANKES = cache_control(max_age=FASYANKES_FRESH, stale_if_error=FASYANKES_STALE)
"""The facility registry changes by the odd new facility or service, exported once a day:
six hours fresh (a morning's export shows the same day), a week to stand in while this
subgraph is down; the gateway marks such answers stale, where the adapter refuses to serve
an old export unmarked."""


@strawberry.enum(description="Kind of health facility (fasilitas pelayanan kesehatan).")
class JenisFasilitasKesehatan(Enum):
    PUSKESMAS = "PUSKESMAS"
    PUSKESMAS_PEMBANTU = "PUSKESMAS_PEMBANTU"
    RUMAH_SAKIT = "RUMAH_SAKIT"
    KLINIK = "KLINIK"
    LABORATORIUM = "LABORATORIUM"


@strawberry.enum(description="Who owns a health facility.")
class KepemilikanFasilitasKesehatan(Enum):
    PEMERINTAH = "PEMERINTAH"
    SWASTA = "SWASTA"


# A kelurahan (owned by dukcapil): its health facilities.
# No description here: clients see the owner's.
@strawberry.federation.type(keys=["kode"])
class Kelurahan:
    kode: str = strawberry.field(description="Kemendagri code, 61.71.xx.1xxx.")

    @classmethod
    async def resolve_reference(cls, info: Info, kode: str) -> Kelurahan:
        return cls(kode=kode)

    @described(
        "Health facilities in this kelurahan, optionally of one kind.",
        directives=paged(6),  # the 61 seeded facilities put at most 6 in one kelurahan
        metadata=FASYANKES,
    )
    async def fasilitas_kesehatan(
        self,
        info: Info,
        jenis: JenisFasilitasKesehatan | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[FasilitasKesehatan] | None:
        check_page(batas, lewati)
        found = await fasilitas_by_kelurahan.load(info, self.kode) or []
        chosen = [item for item in found if jenis is None or item.jenis == jenis]
        return page(chosen, batas, lewati)


@entity_cache_control(max_age=FASYANKES_FRESH, stale_if_error=FASYANKES_STALE)
@strawberry.federation.type(
    keys=["kode"],
    description="A puskesmas, puskesmas pembantu, hospital, clinic or laboratory, from "
    "SATUSEHAT and the Dinkes facility registry. Master data only: no patient data.",
)
class FasilitasKesehatan:
    kode: str = strawberry.field(description="Kemenkes facility code (kode fasyankes).")
    nama: str
    jenis: JenisFasilitasKesehatan
    kepemilikan: KepemilikanFasilitasKesehatan | None
    alamat: str | None = strawberry.field(description="Street address.")
    kode_kelurahan: strawberry.Private[str | None]
    layanan: list[str] = strawberry.field(
        description="Services offered, as the registry names them (empty when unknown)."
    )
    jam_buka: str | None = strawberry.field(
        description="Opening hours, as the registry words them."
    )
    rawat_inap: bool | None = strawberry.field(description="Has inpatient care (rawat inap).")
    telepon: str | None = strawberry.field(description="The facility's own telephone number.")
    lintang: float | None = strawberry.field(description="Latitude, WGS84.")
    bujur: float | None = strawberry.field(description="Longitude, WGS84.")
    sumber: str = strawberry.field(description="The exports this record was joined from.")
    diperbarui: str | None = strawberry.field(description="Last update in either export, ISO date.")

    @classmethod
    def from_fasilitas(cls, item: Fasilitas) -> FasilitasKesehatan:
        return cls(
            kode=item.kode,
            nama=item.nama,
            jenis=JenisFasilitasKesehatan(item.jenis),
            kepemilikan=KepemilikanFasilitasKesehatan(item.kepemilikan)
            if item.kepemilikan
            else None,
            alamat=item.alamat,
            kode_kelurahan=item.kelurahan,
            layanan=list(item.layanan),
            jam_buka=item.jam_buka,
            rawat_inap=item.rawat_inap,
            telepon=item.telepon,
            lintang=item.lintang,
            bujur=item.bujur,
            sumber="; ".join(item.sumber),
            diperbarui=item.diperbarui.isoformat() if item.diperbarui else None,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, kode: str) -> FasilitasKesehatan | None:
        return await fasilitas_by_kode.load(info, kode)

    @described("The kelurahan the facility is in.")
    def kelurahan(self) -> Kelurahan | None:
        return None if self.kode_kelurahan is None else Kelurahan(kode=self.kode_kelurahan)


# -- batch loaders: one read of each export per batch ------------------------------------


def _graph(items: Iterable[Fasilitas]) -> list[FasilitasKesehatan]:
    return [FasilitasKesehatan.from_fasilitas(item) for item in items]


@BatchLoader
async def fasilitas_by_kode(
    context: SubgraphContext, kodes: list[str]
) -> dict[str, FasilitasKesehatan]:
    """Facilities by code."""
    katalog = await source_of(context, DinkesExports).katalog()
    return {
        kode: FasilitasKesehatan.from_fasilitas(katalog.by_kode[kode])
        for kode in kodes
        if kode in katalog.by_kode
    }


@BatchLoader
async def fasilitas_by_kelurahan(
    context: SubgraphContext, kodes: list[str]
) -> dict[str, list[FasilitasKesehatan]]:
    """Each kelurahan's facilities (an empty list for a kelurahan without any)."""
    katalog = await source_of(context, DinkesExports).katalog()
    return {kode: _graph(katalog.by_kelurahan.get(kode, ())) for kode in kodes}


# -- root fields ------------------------------------------------------------------------


def _check(kode: str | None, pattern: Any, message: str, pesan: str) -> None:
    if kode is not None and not pattern.match(kode):
        raise bad_input(message, pesan=pesan)


@strawberry.type
class Query:
    @described("One health facility by its Kemenkes code.", metadata=FASYANKES)
    async def fasilitas_kesehatan(self, info: Info, kode: str) -> FasilitasKesehatan | None:
        _check(
            kode,
            FASYANKES_RE,
            "The fasyankes code must be P or K followed by 10 digits, or 7 digits for a hospital.",
            "Kode fasyankes harus P atau K diikuti 10 angka, atau 7 angka untuk rumah sakit.",
        )
        return await fasilitas_by_kode.load(info, kode)

    @described(
        "Health facilities, optionally of one kind, kecamatan or kelurahan.",
        directives=paged(61),  # the 61 seeded facilities
        metadata=FASYANKES,
    )
    async def daftar_fasilitas_kesehatan(
        self,
        info: Info,
        jenis: JenisFasilitasKesehatan | None = None,
        kecamatan: str | None = None,
        kelurahan: str | None = None,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[FasilitasKesehatan] | None:
        _check(
            kecamatan,
            KECAMATAN_KODE_RE,
            "The kecamatan code must have the form 61.71.xx.",
            "Kode kecamatan harus berbentuk 61.71.xx.",
        )
        _check(
            kelurahan,
            KELURAHAN_KODE_RE,
            "The kelurahan code must have the form 61.71.xx.1xxx.",
            "Kode kelurahan harus berbentuk 61.71.xx.1xxx.",
        )
        check_page(batas, lewati)
        katalog = await source_of(info.context, DinkesExports).katalog()
        chosen = [
            item
            for item in katalog.fasilitas
            if (jenis is None or item.jenis == jenis.value)
            and (kecamatan is None or item.kecamatan == kecamatan)
            and (kelurahan is None or item.kelurahan == kelurahan)
        ]
        return _graph(page(chosen, batas, lewati))


schema = subgraph_schema(Query, types=[FasilitasKesehatan, Kelurahan])


def make_app(
    source: DinkesExports,
    *,
    trust: GatewayTrust,
    limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
) -> Starlette:
    """The subgraph as an ASGI app over ``source`` (:func:`~.source.connect`), serving the
    calls ``trust`` accepts, within ``limits``."""
    return create_app(schema, trust=trust, source=source, limits=limits)
