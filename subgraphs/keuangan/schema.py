"""Badan Keuangan Daerah's part of the city graph: ``Opd.anggaran(tahun:)``.

Extends kominfo's ``Opd`` with only its key and the budget. A budget is SIPD's rows for one
SKPD and year, summed: pagu and realisation in total, per month (with running totals) and
per program → kegiatan → sub-kegiatan. Every budget in one request is read through one
:class:`BatchLoader`, so a list of OPDs asking for their budgets costs one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import strawberry
from starlette.applications import Starlette
from strawberry import Info

from subgraphs.reference import KODE_SKPD_RE
from subgraphs.toolkit import (
    BatchLoader,
    GatewayTrust,
    SubgraphContext,
    SubgraphLimits,
    UpstreamBadResponse,
    bad_input,
    cache_control,
    create_app,
    described,
    source_of,
    subgraph_schema,
)
from subgraphs.toolkit.adapters import Row
from subgraphs.toolkit.pages import sized

from .source import SipdDatabase

__all__ = [
    "Anggaran",
    "AnggaranKegiatan",
    "AnggaranProgram",
    "AnggaranSubKegiatan",
    "Opd",
    "Query",
    "RealisasiBulanan",
    "make_app",
    "schema",
]

SUMBER = "Badan Keuangan Daerah Kota Pontianak: SIPD"


def persentase(bagian: float, total: float) -> float:
    """``bagian`` as a percentage of ``total``, two decimals; 0 when ``total`` is 0."""
    return round(100 * bagian / total, 2) if total else 0.0


@strawberry.type(description="Spending in one month of the budget year.")
class RealisasiBulanan:
    bulan: int = strawberry.field(description="1 to 12.")
    realisasi: float = strawberry.field(description="Spent in this month, rupiah.")
    realisasi_kumulatif: float = strawberry.field(description="Spent up to this month.")
    persentase_kumulatif: float = strawberry.field(description="Of the pagu, in percent.")


@strawberry.type(description="A sub-kegiatan's budget.")
class AnggaranSubKegiatan:
    kode: str
    nama: str
    pagu: float
    realisasi: float
    persentase: float


@strawberry.type(description="A kegiatan's budget, with its sub-kegiatan.")
class AnggaranKegiatan:
    kode: str
    nama: str
    pagu: float
    realisasi: float
    persentase: float
    sub_kegiatan: list[AnggaranSubKegiatan]


@strawberry.type(description="A program's budget, with its kegiatan.")
class AnggaranProgram:
    kode: str = strawberry.field(description="Program code (Permendagri 90/2019).")
    nama: str
    pagu: float
    realisasi: float
    persentase: float
    kegiatan: list[AnggaranKegiatan]


@strawberry.type(description="An OPD's budget (APBD) for one year, from SIPD.")
class Anggaran:
    tahun: int
    pagu: float = strawberry.field(description="Budget ceiling, rupiah.")
    realisasi: float = strawberry.field(description="Spent so far, rupiah.")
    persentase: float = strawberry.field(description="Realisasi as a percentage of pagu.")
    sisa: float = strawberry.field(description="Pagu not yet spent.")
    per_bulan: list[RealisasiBulanan] = strawberry.field(
        description="Months with spending.", directives=sized(12)
    )
    per_program: list[AnggaranProgram]
    sumber: str
    diperbarui: str | None = strawberry.field(description="Last budget change, ISO date.")


@dataclass
class _Node:
    kode: str
    nama: str
    pagu: float = 0.0
    realisasi: float = 0.0
    children: dict[str, _Node] = field(default_factory=dict)


def build_anggaran(tahun: int, rows: Iterable[Row]) -> Anggaran | None:
    """One SKPD's budget for ``tahun`` from its rows (one per sub-kegiatan and month)."""
    programs: dict[str, _Node] = {}
    months: dict[int, float] = {}
    counted: set[str] = set()
    updated: str | None = None
    for row in rows:
        program = programs.setdefault(
            str(row["kode_program"]), _Node(str(row["kode_program"]), str(row["nama_program"]))
        )
        giat = program.children.setdefault(
            str(row["kode_giat"]), _Node(str(row["kode_giat"]), str(row["nama_giat"]))
        )
        sub = giat.children.setdefault(
            str(row["kode_sub_giat"]), _Node(str(row["kode_sub_giat"]), str(row["nama_sub_giat"]))
        )
        if sub.kode not in counted:  # pagu repeats on each month's row
            counted.add(sub.kode)
            pagu = float(row["pagu"])
            for node in (program, giat, sub):
                node.pagu += pagu
            stamp = str(row["tgl_update"])[:10] if row["tgl_update"] is not None else None
            if stamp is not None and (updated is None or stamp > updated):
                updated = stamp
        if row["bulan"] is not None:
            spent = float(row["realisasi"])
            bulan = int(row["bulan"])
            if not 1 <= bulan <= 12:
                raise ValueError(f"bulan {bulan}")
            months[bulan] = months.get(bulan, 0.0) + spent
            for node in (program, giat, sub):
                node.realisasi += spent
    if not programs:
        return None
    pagu = sum(node.pagu for node in programs.values())
    realisasi = sum(months.values())
    running = 0.0
    per_bulan = []
    for bulan in sorted(months):
        running += months[bulan]
        per_bulan.append(
            RealisasiBulanan(
                bulan=bulan,
                realisasi=months[bulan],
                realisasi_kumulatif=running,
                persentase_kumulatif=persentase(running, pagu),
            )
        )
    return Anggaran(
        tahun=tahun,
        pagu=pagu,
        realisasi=realisasi,
        persentase=persentase(realisasi, pagu),
        sisa=pagu - realisasi,
        per_bulan=per_bulan,
        per_program=[_program(node) for _, node in sorted(programs.items())],
        sumber=SUMBER,
        diperbarui=updated,
    )


def _program(node: _Node) -> AnggaranProgram:
    return AnggaranProgram(
        kode=node.kode,
        nama=node.nama,
        pagu=node.pagu,
        realisasi=node.realisasi,
        persentase=persentase(node.realisasi, node.pagu),
        kegiatan=[
            AnggaranKegiatan(
                kode=giat.kode,
                nama=giat.nama,
                pagu=giat.pagu,
                realisasi=giat.realisasi,
                persentase=persentase(giat.realisasi, giat.pagu),
                sub_kegiatan=[
                    AnggaranSubKegiatan(
                        kode=sub.kode,
                        nama=sub.nama,
                        pagu=sub.pagu,
                        realisasi=sub.realisasi,
                        persentase=persentase(sub.realisasi, sub.pagu),
                    )
                    for _, sub in sorted(giat.children.items())
                ],
            )
            for _, giat in sorted(node.children.items())
        ],
    )


@BatchLoader
async def anggaran_by_opd_tahun(
    context: SubgraphContext, keys: list[tuple[str, int]]
) -> dict[tuple[str, int], Anggaran]:
    """Budgets by (kode SKPD, year): every key of the batch in one query."""
    kodes = sorted({kode for kode, _ in keys})
    years = sorted({tahun for _, tahun in keys})
    rows = await source_of(context, SipdDatabase).anggaran(kodes, years)
    grouped: dict[tuple[str, int], list[Row]] = {}
    for row in rows:
        grouped.setdefault((str(row["kode_skpd"]), int(row["tahun"])), []).append(row)
    found: dict[tuple[str, int], Anggaran] = {}
    for key, group in grouped.items():
        try:
            built = build_anggaran(key[1], group)
        except (KeyError, TypeError, ValueError) as error:
            raise UpstreamBadResponse("sipd", f"unexpected row: {error!r}") from error
        if built is not None:
            found[key] = built
    return found


def _check_tahun(tahun: int) -> None:
    if not 2000 <= tahun <= 2100:
        raise bad_input(
            "The budget year must be between 2000 and 2100.",
            pesan="Tahun anggaran harus antara 2000 dan 2100.",
        )


ANGGARAN = cache_control(max_age=300, stale_if_error=86_400)
"""Realisation moves during the day: five minutes fresh, a day to stand in while SIPD is
down."""


# A perangkat daerah (owned by kominfo): its budget. No description here: clients see the
# owner's.
@strawberry.federation.type(keys=["kode"])
class Opd:
    kode: str = strawberry.field(description="Kode SKPD (Permendagri 90/2019).")

    @classmethod
    def resolve_reference(cls, kode: str) -> Opd:
        return cls(kode=kode)

    @described(
        "The OPD's budget and its realisation in that year; null if none.", metadata=ANGGARAN
    )
    async def anggaran(self, info: Info, tahun: int) -> Anggaran | None:
        _check_tahun(tahun)
        return await anggaran_by_opd_tahun.load(info, (self.kode, tahun))


@strawberry.type
class Query:
    @described("One OPD's budget for a year, by kode SKPD.", metadata=ANGGARAN)
    async def anggaran_opd(self, info: Info, kode: str, tahun: int) -> Anggaran | None:
        if not KODE_SKPD_RE.match(kode):
            raise bad_input(
                "The kode SKPD must have the form U.BB.U.BB.U.BB.UU.SSSS "
                "(e.g. 5.02.0.00.0.00.01.0000).",
                pesan="Kode SKPD harus berbentuk U.BB.U.BB.U.BB.UU.SSSS "
                "(mis. 5.02.0.00.0.00.01.0000).",
            )
        _check_tahun(tahun)
        return await anggaran_by_opd_tahun.load(info, (kode, tahun))

    @described("The budget years SIPD holds.", metadata=ANGGARAN)
    async def tahun_anggaran(self, info: Info) -> list[int] | None:
        return await source_of(info.context, SipdDatabase).tahun()


schema = subgraph_schema(Query, types=[Opd])


def make_app(
    source: SipdDatabase,
    *,
    trust: GatewayTrust,
    limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
) -> Starlette:
    """The subgraph as an ASGI app over ``source`` (:func:`~.source.connect`), serving the
    calls ``trust`` accepts, within ``limits``."""
    return create_app(schema, trust=trust, source=source, limits=limits)
