"""The population summary kept next to the registry: living residents counted per
kelurahan, sex and age group on the data's day (``SIM_AGREGAT_PENDUDUK``).

Counting 680,000 records on every request took seconds; the counts change only when the
registry does. So the installer builds the summary with the seed, in the same transaction,
and whatever changes the registry refreshes it in the transaction of the change
(:func:`refresh_agregat`): a count then reads about a thousand rows. The subgraph reads
the summary when it holds the data day it counts on, and counts the registry itself
otherwise (:meth:`~subgraphs.dukcapil.source.SiakDatabase.penduduk`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Date, Select, bindparam, case, delete, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ..penduduk import batas_lahir
from .siak import HIDUP, KEPALA_KELUARGA, NO_KAB, NO_PROP, siak_tables

__all__ = ["counted_penduduk", "refresh_agregat"]


def counted_penduduk(
    prefix: str,
    tanggal_data: date,
    no_kec: Sequence[int] | None = None,
    no_kel: Sequence[int] | None = None,
) -> Select[tuple[object, ...]]:
    """The registry's living residents counted per ``NO_KEC``, ``NO_KEL``,
    ``JENIS_KLMIN`` and age group (``KELOMPOK``) on ``tanggal_data``, with ``JUMLAH``,
    ``KEPALA`` (heads of family) and ``DIPERBARUI`` (latest update); ``no_kec``/``no_kel``
    narrow the wilayah. A scan of the registry: what the summary holds."""
    b = siak_tables(prefix).biodata_wni
    bounds = batas_lahir(tanggal_data)
    kelompok = case(
        *(
            (b.c["TGL_LHR"] > bindparam(f"batas{index}", bound, type_=Date), index)
            for index, bound in enumerate(bounds)
        ),
        else_=len(bounds),
    )
    conditions = [b.c.STAT_HIDUP == HIDUP, b.c.NO_PROP == NO_PROP, b.c.NO_KAB == NO_KAB]
    if no_kec is not None:
        conditions.append(b.c.NO_KEC.in_(sorted(set(no_kec))))
    if no_kel is not None:
        conditions.append(b.c.NO_KEL.in_(sorted(set(no_kel))))
    rows = (
        select(
            b.c.NO_KEC,
            b.c.NO_KEL,
            b.c.JENIS_KLMIN,
            kelompok.label("KELOMPOK"),
            b.c.STAT_HBKEL,
            b.c.TGL_UPDATION,
        )
        .where(*conditions)
        .subquery("warga")
    )
    # Grouping over a subquery's column: PostgreSQL would not match a CASE with bound
    # dates in GROUP BY to the same CASE in SELECT
    return select(
        rows.c.NO_KEC,
        rows.c.NO_KEL,
        rows.c.JENIS_KLMIN,
        rows.c.KELOMPOK,
        func.count().label("JUMLAH"),
        func.sum(case((rows.c.STAT_HBKEL == KEPALA_KELUARGA, 1), else_=0)).label("KEPALA"),
        func.max(rows.c.TGL_UPDATION).label("DIPERBARUI"),
    ).group_by(rows.c.NO_KEC, rows.c.NO_KEL, rows.c.JENIS_KLMIN, rows.c.KELOMPOK)


async def refresh_agregat(connection: AsyncConnection, prefix: str, tanggal_data: date) -> None:
    """Count the registry into the summary for ``tanggal_data``, replacing what it held,
    in ``connection``'s transaction (readers see the old counts or the new, never none)."""
    tables = siak_tables(prefix)
    summary = tables.agregat_penduduk
    await connection.run_sync(
        lambda sync: summary.create(sync, checkfirst=True)  # a registry installed before it
    )
    counted = counted_penduduk(prefix, tanggal_data).subquery("hitungan")
    await connection.execute(delete(summary))
    await connection.execute(
        summary.insert().from_select(
            [*(c.name for c in counted.c), "TANGGAL_DATA"],
            select(*counted.c, literal(tanggal_data, Date).label("TANGGAL_DATA")),
        )
    )
