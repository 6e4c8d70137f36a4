"""How the city's budget (APBD belanja) divides among its perangkat daerah.

REAL, as public orders of magnitude: Kota Pontianak's belanja daerah is about Rp 2.0 to
2.3 trillion a year in recent APBDs and grows by a few percent a year; education is the
largest urusan (a quarter to 30 %, teachers' salaries included), health with the city's
RSUD next (15 to 20 %), public works (PUPR) third; a small dinas such as Diskominfo spends
Rp 15 to 30 billion. Belanja pegawai is a third or more of the whole, most of it teachers'.

SYNTHETIC: every figure here. The 2024 total, the growth, each OPD's share of the total
and the shares of its pagu for salaries and for a BLUD are chosen to follow that
structure; none is copied from an APBD. Dinkes' share includes the BLUD of RSUD Sultan
Syarif Mohamad Alkadrie and of the puskesmas, which the OPD registry does not list as units
of their own. A year's total is a function of the year alone, so a year keeps its budget
whatever day the simulator starts on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from subgraphs.reference import Opd, kelurahan_list, opd_list, seeded_rng

__all__ = ["BELANJA_2024", "PERTUMBUHAN", "Porsi", "belanja_daerah", "pagu_opd", "porsi"]

BELANJA_2024 = 2_050e9
"""The city's belanja in 2024, in rupiah (SYNTHETIC, of the real order)."""

PERTUMBUHAN = 0.035
"""Nominal growth of the belanja a year; each year's total strays from it by up to 1.5 %."""


@dataclass(frozen=True, slots=True)
class Porsi:
    """An OPD's part of the budget: ``belanja``, its share of the city's belanja in
    percent (before the shares are scaled to add up to 100); ``pegawai`` and ``blud``, the
    parts of its own pagu for its ASN's salaries and for the BLUD it runs."""

    belanja: float
    pegawai: float
    blud: float = 0.0


PORSI: dict[str, Porsi] = {
    "Setda": Porsi(4.6, 0.30),
    "Setwan": Porsi(3.0, 0.20),
    "Inspektorat": Porsi(0.7, 0.55),
    "Bappeda": Porsi(0.9, 0.45),
    "BKD": Porsi(2.2, 0.35),
    "BKPSDM": Porsi(1.0, 0.45),
    "Kesbangpol": Porsi(0.4, 0.40),
    "BPBD": Porsi(1.3, 0.45),  # with the fire brigade
    "Disdikbud": Porsi(28.5, 0.62),  # teachers' salaries
    "Dinkes": Porsi(17.5, 0.28, blud=0.42),  # the RSUD and puskesmas BLUD
    "PUPR": Porsi(11.5, 0.08),
    "Disperkim": Porsi(3.8, 0.10),
    "Satpol PP": Porsi(1.3, 0.50),
    "Dinsos": Porsi(1.4, 0.25),
    "Disnakerin": Porsi(0.6, 0.45),
    "DP2KBP3A": Porsi(0.9, 0.40),
    "DKP3": Porsi(1.1, 0.40),
    "DLH": Porsi(3.8, 0.22),  # waste collection and the landfill
    "Disdukcapil": Porsi(0.8, 0.45),
    "Dishub": Porsi(1.9, 0.35),
    "Diskominfo": Porsi(1.1, 0.30),
    "Diskumdag": Porsi(1.1, 0.35),
    "DPMPTSP": Porsi(0.5, 0.50),
    "Disporapar": Porsi(1.1, 0.30),
    "Dispusip": Porsi(0.6, 0.50),
}
"""Each OPD's part, by singkatan; kecamatan and OPDs not listed take :func:`porsi`'s."""

PER_KELURAHAN = 0.25
"""A kecamatan office's share of the belanja, in percent, per kelurahan it serves (its
kelurahan offices and their staff are sub-units of it)."""
PORSI_KECAMATAN_PEGAWAI = 0.45
PORSI_LAIN = Porsi(0.6, 0.40)
"""The part of an OPD the table does not list."""


def porsi(opd: Opd) -> Porsi:
    """``opd``'s part of the budget."""
    if opd.jenis == "kecamatan" and opd.kode_wilayah is not None:
        kelurahan = len(kelurahan_list(opd.kode_wilayah))
        return Porsi(PER_KELURAHAN * kelurahan, PORSI_KECAMATAN_PEGAWAI)
    return PORSI.get(opd.singkatan, PORSI_LAIN)


def belanja_daerah(tahun: int) -> float:
    """The city's belanja in ``tahun``, in rupiah."""
    trend = BELANJA_2024 * (1 + PERTUMBUHAN) ** (tahun - 2024)
    return trend * (1 + seeded_rng("keuangan", "belanja", tahun).uniform(-0.015, 0.015))


@functools.cache
def pagu_opd(tahun: int) -> dict[str, float]:
    """Each OPD's pagu in ``tahun`` by kode SKPD, adding up to :func:`belanja_daerah`:
    its share, moved by up to 5 % from one year to the next."""
    weights = {
        opd.kode: porsi(opd).belanja
        * (1 + seeded_rng("keuangan", "porsi", opd.kode, tahun).uniform(-0.05, 0.05))
        for opd in opd_list()
    }
    scale = belanja_daerah(tahun) / sum(weights.values())
    return {kode: weight * scale for kode, weight in weights.items()}
