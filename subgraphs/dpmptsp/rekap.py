"""The portal's monthly recap: permits issued, in process and refused, per type and month.

A permit counts in the month of its issue when it was issued (even if revoked later), else
in the month it was applied for: the same date the ``tahun`` filters use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .perizinan import JenisIzin
from .records import Izin, Status

__all__ = ["RekapBaris", "rekap"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RekapBaris:
    """One row: a permit type in one month."""

    bulan: int
    jenis: JenisIzin
    terbit: int
    proses: int
    ditolak: int


COUNTED = {
    Status.TERBIT: "terbit",
    Status.DICABUT: "terbit",
    Status.PROSES: "proses",
    Status.DITOLAK: "ditolak",
}


def rekap(izin: Iterable[Izin]) -> list[RekapBaris]:
    """Counts per (month, type) for ``izin``, by month then type code; empty cells omitted."""
    counts: Counter[tuple[int, str, str]] = Counter()
    types: dict[str, JenisIzin] = {}
    for item in izin:
        bulan = int(item.tanggal_acuan[5:7])
        types[item.jenis.kode] = item.jenis
        counts[(bulan, item.jenis.kode, COUNTED[item.status])] += 1
    cells = sorted({(bulan, kode) for bulan, kode, _ in counts})
    return [
        RekapBaris(
            bulan=bulan,
            jenis=types[kode],
            terbit=counts[(bulan, kode, "terbit")],
            proses=counts[(bulan, kode, "proses")],
            ditolak=counts[(bulan, kode, "ditolak")],
        )
        for bulan, kode in cells
    ]
