"""Disdukcapil's part of the city graph: the wilayah and their population.

Owns ``Kecamatan`` and ``Kelurahan`` (key ``kode``, the Kemendagri code): their names come
from SIAK's master wilayah, their ``penduduk`` from the registry's counts. Adds
``pendudukKota`` and the mutation ``verifikasiPenduduk``, which answers SESUAI or
TIDAK_SESUAI and nothing else: personal data (``personal_data("dukcapil.verifikasi")``),
which the gateway opens only to granted client applications, for a granted purpose, one
verification per operation and a few dozen a minute. Reads go through
:class:`BatchLoader`: the master wilayah is read once per request, and every population
figure of one request in one grouped query per tick, so all 29 kelurahan with their
population cost two statements.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from graphql import GraphQLError
from starlette.applications import Starlette
from strawberry import Info

from subgraphs.reference import (
    KECAMATAN_KODE_RE,
    KELURAHAN_KODE_RE,
    UnknownCodeError,
    kemendagri_to_bps,
)
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
    record_processing,
    source_of,
    subgraph_schema,
)
from subgraphs.toolkit.adapters import Row
from subgraphs.toolkit.pages import sized

from .legacy.siak import LAKI_LAKI, PEREMPUAN
from .penduduk import KELOMPOK_UMUR, Agregat
from .source import SiakDatabase
from .verifikasi import InvalidInput, nama_sama, permintaan
from .wilayah import KOTA, Master, build_master, kode_kecamatan, kode_kelurahan

__all__ = [
    "HasilVerifikasi",
    "Kecamatan",
    "KelompokUmur",
    "Kelurahan",
    "Mutation",
    "Penduduk",
    "Query",
    "VerifikasiPenduduk",
    "make_app",
    "schema",
]

SUMBER = "Disdukcapil Kota Pontianak: SIAK (Data Konsolidasi Bersih)"
VERIFIKASI_POLICY = "dukcapil.verifikasi"

# The master wilayah changes by regulation, not by the day: a day fresh, a month to stand
# in for a registry that is down
WILAYAH_FRESH, WILAYAH_STALE = 86_400, 30 * 86_400
WILAYAH = cache_control(max_age=WILAYAH_FRESH, stale_if_error=WILAYAH_STALE)
PENDUDUK = cache_control(max_age=1800, stale_if_error=7 * 86_400)
"""The counts change with the semester's data: half an hour fresh (a correction shows
soon), a week to stand in while the registry or this subgraph is down."""


# -- population ---------------------------------------------------------------------------


@strawberry.type(description="Residents of one five-year age group.")
class KelompokUmur:
    kelompok: str = strawberry.field(description="0-4, 5-9, ... 70-74, 75+.")
    umur_min: int
    umur_maks: int | None = strawberry.field(description="Null for the last, open group.")
    laki_laki: int
    perempuan: int
    jumlah: int


@strawberry.type(description="Living registered residents of a wilayah, counted by SIAK.")
class Penduduk:
    jumlah: int
    laki_laki: int
    perempuan: int
    jumlah_kepala_keluarga: int = strawberry.field(description="Family cards (KK) = heads.")
    per_kelompok_umur: list[KelompokUmur] = strawberry.field(directives=sized(len(KELOMPOK_UMUR)))
    tanggal_data: str = strawberry.field(description="The day ages are counted on, ISO date.")
    sumber: str
    diperbarui: str | None = strawberry.field(description="Latest record change, ISO date.")

    @classmethod
    def from_agregat(cls, agregat: Agregat, tanggal_data: date) -> Penduduk:
        groups = [
            KelompokUmur(
                kelompok=spec.label,
                umur_min=spec.umur_min,
                umur_maks=spec.umur_maks,
                laki_laki=men,
                perempuan=women,
                jumlah=men + women,
            )
            for spec, men, women in zip(
                KELOMPOK_UMUR, agregat.laki_laki, agregat.perempuan, strict=True
            )
        ]
        men, women = sum(agregat.laki_laki), sum(agregat.perempuan)
        return cls(
            jumlah=men + women,
            laki_laki=men,
            perempuan=women,
            jumlah_kepala_keluarga=agregat.kepala_keluarga,
            per_kelompok_umur=groups,
            tanggal_data=tanggal_data.isoformat(),
            sumber=SUMBER,
            diperbarui=agregat.diperbarui.isoformat() if agregat.diperbarui else None,
        )


def _agregat_rows(rows: list[Row]) -> dict[tuple[int, int], Agregat]:
    per_kelurahan: dict[tuple[int, int], Agregat] = {}
    for row in rows:
        sex, kelompok = int(row["JENIS_KLMIN"]), int(row["KELOMPOK"])
        if sex not in (LAKI_LAKI, PEREMPUAN) or not 0 <= kelompok < len(KELOMPOK_UMUR):
            raise ValueError(f"JENIS_KLMIN {sex}, KELOMPOK {kelompok}")
        stamp = row["DIPERBARUI"]
        updated = date.fromisoformat(str(stamp)[:10]) if stamp is not None else None
        per_kelurahan.setdefault((int(row["NO_KEC"]), int(row["NO_KEL"])), Agregat()).add(
            kelompok, sex == PEREMPUAN, int(row["JUMLAH"]), int(row["KEPALA"] or 0), updated
        )
    return per_kelurahan


@BatchLoader
async def penduduk_by_kode(context: SubgraphContext, kodes: list[str]) -> dict[str, Penduduk]:
    """Population of the city (``61.71``), kecamatan and kelurahan by code: one grouped
    query for the whole batch, narrowed to the kecamatan (or kelurahan) asked for."""
    db = source_of(context, SiakDatabase)
    kelurahan = [kode for kode in kodes if KELURAHAN_KODE_RE.match(kode)]
    kecamatan = [kode for kode in kodes if KECAMATAN_KODE_RE.match(kode)]
    if KOTA in kodes:
        rows = await db.penduduk()
    elif kecamatan:
        wanted = {int(k.split(".")[2]) for k in [*kecamatan, *kelurahan]}
        rows = await db.penduduk(no_kec=sorted(wanted))
    else:
        rows = await db.penduduk(
            no_kec=sorted({int(k.split(".")[2]) for k in kelurahan}),
            no_kel=sorted({int(k.split(".")[3]) for k in kelurahan}),
        )
    try:
        per_kelurahan = _agregat_rows(rows)
    except (KeyError, TypeError, ValueError) as error:
        raise UpstreamBadResponse("siak", f"unexpected row: {error!r}") from error
    found: dict[str, Penduduk] = {}
    for kode in kodes:
        parts = [
            agregat
            for (no_kec, no_kel), agregat in per_kelurahan.items()
            if kode == KOTA
            or kode == kode_kecamatan(no_kec)
            or kode == kode_kelurahan(no_kec, no_kel)
        ]
        found[kode] = Penduduk.from_agregat(Agregat().merge(parts), db.tanggal_data)
    return found


# -- wilayah -------------------------------------------------------------------------------


@BatchLoader
async def master_wilayah(context: SubgraphContext, keys: list[str]) -> dict[str, Master]:
    """SIAK's master wilayah of the city, read once per request whatever asks for it."""
    rows = await source_of(context, SiakDatabase).wilayah()
    try:
        master = build_master(rows)
    except (KeyError, TypeError, ValueError) as error:
        raise UpstreamBadResponse("siak", f"unexpected row: {error!r}") from error
    return dict.fromkeys(keys, master)


async def _master(info: Info) -> Master:
    master = await master_wilayah.load(info, KOTA)
    assert master is not None  # the loader answers every key
    return master


def _kode_bps(kode: str) -> str | None:
    try:
        return kemendagri_to_bps(kode)
    except UnknownCodeError:
        return None


async def _kecamatan(info: Info, kode: str) -> Kecamatan | None:
    found = (await _master(info)).kecamatan.get(kode)
    if found is None:
        return None
    return Kecamatan(kode=found.kode, nama=found.nama, kode_bps=_kode_bps(found.kode))


async def _kelurahan(info: Info, kode: str) -> Kelurahan | None:
    found = (await _master(info)).kelurahan.get(kode)
    if found is None:
        return None
    return Kelurahan(
        kode=found.kode,
        nama=found.nama,
        kode_bps=_kode_bps(found.kode),
        kecamatan_kode=found.kecamatan,
    )


@entity_cache_control(max_age=WILAYAH_FRESH, stale_if_error=WILAYAH_STALE)
@strawberry.federation.type(
    keys=["kode"], description="A kecamatan of Kota Pontianak, from SIAK's master wilayah."
)
class Kecamatan:
    kode: str = strawberry.field(description="Kemendagri code, 61.71.xx.")
    nama: str
    kode_bps: str | None = strawberry.field(description="BPS code, 6171xxx.")

    @classmethod
    async def resolve_reference(cls, info: Info, kode: str) -> Kecamatan | None:
        return await _kecamatan(info, kode)

    @described(
        "Its kelurahan, in code order.",
        directives=sized(7),  # Pontianak Timur has the most kelurahan: 7 of the city's 29
    )
    async def kelurahan(self, info: Info) -> list[Kelurahan]:
        master = await _master(info)
        found = master.kecamatan.get(self.kode)
        codes = found.kelurahan if found is not None else ()
        return [k for k in [await _kelurahan(info, kode) for kode in codes] if k is not None]

    @described(
        "Living registered residents; null if the registry cannot be read.", metadata=PENDUDUK
    )
    async def penduduk(self, info: Info) -> Penduduk | None:
        return await penduduk_by_kode.load(info, self.kode)


@entity_cache_control(max_age=WILAYAH_FRESH, stale_if_error=WILAYAH_STALE)
@strawberry.federation.type(
    keys=["kode"], description="A kelurahan of Kota Pontianak, from SIAK's master wilayah."
)
class Kelurahan:
    kode: str = strawberry.field(description="Kemendagri code, 61.71.xx.1xxx.")
    nama: str
    kode_bps: str | None = strawberry.field(description="BPS code, 6171xxxyyy.")
    kecamatan_kode: strawberry.Private[str]

    @classmethod
    async def resolve_reference(cls, info: Info, kode: str) -> Kelurahan | None:
        return await _kelurahan(info, kode)

    @strawberry.field
    async def kecamatan(self, info: Info) -> Kecamatan:
        found = await _kecamatan(info, self.kecamatan_kode)
        if found is None:
            raise UpstreamBadResponse("siak", "kelurahan without its kecamatan in SETUP_KEC")
        return found

    @described(
        "Living registered residents; null if the registry cannot be read.", metadata=PENDUDUK
    )
    async def penduduk(self, info: Info) -> Penduduk | None:
        return await penduduk_by_kode.load(info, self.kode)


# -- verification ----------------------------------------------------------------------------


@strawberry.enum(description="The registry's answer to a verification.")
class HasilVerifikasi(Enum):
    SESUAI = "SESUAI"
    TIDAK_SESUAI = "TIDAK_SESUAI"


@strawberry.type(description="A verification's answer: nothing about the person.")
class VerifikasiPenduduk:
    hasil: HasilVerifikasi
    diperiksa: str = strawberry.field(description="When the registry checked, ISO UTC.")
    sumber: str


async def _verifikasi(info: Info, nik: str, nama: str, tanggal_lahir: str) -> VerifikasiPenduduk:
    call = info.context.call
    if call is None or call.client is None or call.purpose is None:
        # the gateway opens this field only to a granted application with a purpose; a
        # call without both did not come through it, whatever the port allowed
        raise GraphQLError(
            "Verification is served only to an application the gateway verified, with a "
            "stated purpose.",
            extensions={"code": SubgraphErrorCode.UNAUTHENTICATED.value},
        )
    try:
        asked = permintaan(nik, nama, tanggal_lahir, call.purpose)
    except InvalidInput as error:
        raise bad_input(error.message, pesan=error.pesan) from None
    db = source_of(info.context, SiakDatabase)
    registered = await db.nama_terdaftar(asked.nik, asked.tanggal_lahir)
    sesuai = any(nama_sama(asked.nama, name) for name in registered)
    hasil = HasilVerifikasi.SESUAI if sesuai else HasilVerifikasi.TIDAK_SESUAI
    waktu = datetime.now(UTC).replace(microsecond=0)
    # No record, no answer: an unlogged processing of personal data must not happen
    await record_processing(
        info,
        fields=["Mutation.verifikasiPenduduk"],
        subjects=[asked.nik],
        detail={"hasil": hasil.value},
    )
    return VerifikasiPenduduk(
        hasil=hasil, diperiksa=waktu.isoformat().replace("+00:00", "Z"), sumber=SUMBER
    )


def _check_kecamatan(kode: str) -> None:
    if not KECAMATAN_KODE_RE.match(kode):
        raise bad_input(
            "The kecamatan code must have the form 61.71.xx (e.g. 61.71.01).",
            pesan="Kode kecamatan harus berbentuk 61.71.xx (mis. 61.71.01).",
        )


# -- root -----------------------------------------------------------------------------------


@strawberry.type
class Query:
    @described(
        "The city's kecamatan, in code order; null if the registry cannot be read.",
        directives=sized(6),
        metadata=WILAYAH,
    )
    async def daftar_kecamatan(self, info: Info) -> list[Kecamatan] | None:
        master = await _master(info)
        return [k for k in [await _kecamatan(info, kode) for kode in master.kecamatan] if k]

    @described(
        "A kecamatan by Kemendagri code (61.71.xx); null if unknown.",
        metadata=WILAYAH,
    )
    async def kecamatan(self, info: Info, kode: str) -> Kecamatan | None:
        _check_kecamatan(kode)
        return await _kecamatan(info, kode)

    @described(
        "A kelurahan by Kemendagri code (61.71.xx.1xxx); null if unknown.",
        metadata=WILAYAH,
    )
    async def kelurahan(self, info: Info, kode: str) -> Kelurahan | None:
        if not KELURAHAN_KODE_RE.match(kode):
            raise bad_input(
                "The kelurahan code must have the form 61.71.xx.1xxx (e.g. 61.71.01.1002).",
                pesan="Kode kelurahan harus berbentuk 61.71.xx.1xxx (mis. 61.71.01.1002).",
            )
        return await _kelurahan(info, kode)

    @described(
        "The city's kelurahan, or one kecamatan's (by code), in code order.",
        directives=sized(29),
        metadata=WILAYAH,
    )
    async def daftar_kelurahan(
        self, info: Info, kecamatan: str | None = None
    ) -> list[Kelurahan] | None:
        if kecamatan is not None:
            _check_kecamatan(kecamatan)
        master = await _master(info)
        codes = [
            kode
            for kode, kelurahan in master.kelurahan.items()
            if kecamatan is None or kelurahan.kecamatan == kecamatan
        ]
        return [k for k in [await _kelurahan(info, kode) for kode in codes] if k]

    @described(
        "Living registered residents of the whole city (Kota Pontianak, 61.71).",
        metadata=PENDUDUK,
    )
    async def penduduk_kota(self, info: Info) -> Penduduk | None:
        return await penduduk_by_kode.load(info, KOTA)


@strawberry.type
class Mutation:
    @strawberry.federation.mutation(  # type: ignore[untyped-decorator]
        description="Whether a NIK, full name and birth date (YYYY-MM-DD) match one living "
        "resident: SESUAI or TIDAK_SESUAI, nothing else. Personal data: only for client "
        "applications granted dukcapil.verifikasi, stating a granted purpose (simpul-purpose "
        "header); each check is recorded with the application and purpose the gateway "
        "verified.",
        **personal_data(VERIFIKASI_POLICY),
    )
    async def verifikasi_penduduk(
        self,
        info: Info,
        nik: Annotated[str, data_subject("The resident's NIK (16 digits).")],
        nama: str,
        tanggal_lahir: str,
    ) -> VerifikasiPenduduk | None:
        return await _verifikasi(info, nik, nama, tanggal_lahir)


schema = subgraph_schema(Query, mutation=Mutation, types=[Kecamatan, Kelurahan])


def make_app(
    source: SiakDatabase,
    *,
    trust: GatewayTrust,
    access_record: AccessRecord | None,
    limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
) -> Starlette:
    """The subgraph as an ASGI app over ``source`` (:func:`~.source.connect`), serving the
    calls ``trust`` accepts, within ``limits``, recording each verification in
    ``access_record`` (``None``: verifications are refused with ``AUDIT_UNAVAILABLE``)."""
    return create_app(
        schema, trust=trust, source=source, limits=limits, access_record=access_record
    )
