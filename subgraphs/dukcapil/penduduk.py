"""Population aggregates: SIAK's grouped counts folded into kelurahan, kecamatan and city
totals by sex and five-year age group.

The registry's summary holds the counts (per wilayah, sex and age group, kept with the
registry: :mod:`.legacy.agregat`); this module only adds them up to the level asked for.
Ages are counted on the data's cut-off day, so the same registry always gives the same
answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "KELOMPOK_UMUR",
    "Agregat",
    "KelompokUmurSpec",
    "batas_lahir",
    "years_before",
]


@dataclass(frozen=True, slots=True)
class KelompokUmurSpec:
    """An age group: ``umur_min`` to ``umur_maks`` years (``None``: and older)."""

    umur_min: int
    umur_maks: int | None

    @property
    def label(self) -> str:
        """``0-4`` ... ``70-74``, ``75+``."""
        if self.umur_maks is None:
            return f"{self.umur_min}+"
        return f"{self.umur_min}-{self.umur_maks}"


KELOMPOK_UMUR = (
    *(KelompokUmurSpec(low, low + 4) for low in range(0, 75, 5)),
    KelompokUmurSpec(75, None),
)
"""The sixteen groups BPS and Dukcapil publish: 0-4 to 70-74, then 75+."""


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def batas_lahir(tanggal_data: date) -> tuple[date, ...]:
    """For each group after the first, the latest birth date of its youngest member: who
    was born after ``batas[i]`` is younger than group ``i + 1`` on ``tanggal_data``."""
    return tuple(years_before(tanggal_data, spec.umur_min) for spec in KELOMPOK_UMUR[1:])


@dataclass(slots=True)
class Agregat:
    """Counts being added up for one wilayah: per age group, men and women."""

    laki_laki: list[int] = field(default_factory=lambda: [0] * len(KELOMPOK_UMUR))
    perempuan: list[int] = field(default_factory=lambda: [0] * len(KELOMPOK_UMUR))
    kepala_keluarga: int = 0
    diperbarui: date | None = None

    def add(
        self, kelompok: int, perempuan: bool, jumlah: int, kepala: int, diperbarui: date | None
    ) -> None:
        """One grouped row of the registry."""
        (self.perempuan if perempuan else self.laki_laki)[kelompok] += jumlah
        self.kepala_keluarga += kepala
        if diperbarui is not None and (self.diperbarui is None or diperbarui > self.diperbarui):
            self.diperbarui = diperbarui

    def merge(self, others: Iterable[Agregat]) -> Agregat:
        """This total plus ``others`` (a kecamatan from its kelurahan)."""
        for other in others:
            for index in range(len(KELOMPOK_UMUR)):
                self.laki_laki[index] += other.laki_laki[index]
                self.perempuan[index] += other.perempuan[index]
            self.kepala_keluarga += other.kepala_keluarga
            if other.diperbarui is not None and (
                self.diperbarui is None or other.diperbarui > self.diperbarui
            ):
                self.diperbarui = other.diperbarui
        return self
