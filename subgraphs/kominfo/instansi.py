"""How SP4N-LAPOR! names the city's OPDs, and back to kode SKPD.

LAPOR! is a national system: it knows a complaint's target by its *instansi* name, not by
kode SKPD. Kecamatan offices keep their own name ("Kecamatan Pontianak Timur"); every other
OPD is suffixed with the city ("Dinas Kesehatan Kota Pontianak").
"""

from __future__ import annotations

import functools

from subgraphs.reference import Opd, opd_list

__all__ = ["INSTANSI_SEPARATOR", "kode_skpd_for_instansi", "nama_instansi"]

INSTANSI_SEPARATOR = ";"
"""Separates several instansi names in one ``instansi_tujuan`` filter (names hold commas)."""

CITY = "Kota Pontianak"


def nama_instansi(opd: Opd) -> str:
    """The instansi name LAPOR! uses for ``opd``."""
    if opd.jenis == "kecamatan":
        return opd.nama
    return f"{opd.nama} {CITY}"


def kode_skpd_for_instansi(nama: str) -> str | None:
    """The kode SKPD of the instansi named ``nama``; ``None`` for one outside the city."""
    return _by_name().get(nama)


@functools.cache
def _by_name() -> dict[str, str]:
    return {nama_instansi(opd): opd.kode for opd in opd_list()}
