"""The city's perangkat daerah (OPD) as SIPD knows them, and the urusan that classify them.

An OPD's key across the graph is its kode SKPD, written in the Permendagri 90/2019 style
``U.BB.U.BB.U.BB.UU.SSSS``: up to three urusan the unit serves (``1.01`` pendidikan,
``2.22`` kebudayaan; ``0.00`` fills an unused slot), the unit number and the sub-unit
number (``0000`` for the unit itself). Dinas Pendidikan dan Kebudayaan is
``1.01.2.22.0.00.01.0000``.

The urusan codes are real (Permendagri 90/2019 as updated by Kepmendagri 050-5889/2021);
the unit numbers and the OPD list are samples shaped like a typical kota's. The registry
holds no money: each OPD's budget is the SIPD simulator's, synthetic amounts in proportion
to the city's APBD (:mod:`subgraphs.keuangan.legacy.apbd`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from .datafiles import read_csv
from .errors import ReferenceDataError, UnknownCodeError

__all__ = [
    "KODE_SKPD_RE",
    "PROJECT_SUBGRAPHS",
    "URUSAN_KODE_RE",
    "JenisOpd",
    "KodeSkpd",
    "Opd",
    "Urusan",
    "opd_by_code",
    "opd_for_subgraph",
    "opd_list",
    "parse_kode_skpd",
    "project_opds",
    "urusan_by_code",
    "urusan_list",
]

KODE_SKPD_RE = re.compile(r"^(\d\.\d{2})\.(\d\.\d{2})\.(\d\.\d{2})\.(\d{2})\.(\d{4})\Z", re.ASCII)
"""A kode SKPD: three urusan slots, the unit and the sub-unit (``1.01.2.22.0.00.01.0000``)."""

URUSAN_KODE_RE = re.compile(r"^[1-8]\.\d{2}\Z", re.ASCII)
"""An urusan or unsur code: group digit, dot, two-digit bidang (``2.16``)."""

PROJECT_SUBGRAPHS = ("dukcapil", "kominfo", "keuangan", "dikbud", "dinkes", "dpmptsp")
"""The subgraphs of this project, one per OPD whose system it wraps."""

JenisOpd = Literal["sekretariat", "inspektorat", "badan", "dinas", "satuan", "kecamatan"]

_JENIS: dict[str, JenisOpd] = {
    "sekretariat": "sekretariat",
    "inspektorat": "inspektorat",
    "badan": "badan",
    "dinas": "dinas",
    "satuan": "satuan",
    "kecamatan": "kecamatan",
}

_KELOMPOK = {
    1: "Urusan Pemerintahan Wajib yang Berkaitan dengan Pelayanan Dasar",
    2: "Urusan Pemerintahan Wajib yang Tidak Berkaitan dengan Pelayanan Dasar",
    3: "Urusan Pemerintahan Pilihan",
    4: "Unsur Pendukung Urusan Pemerintahan",
    5: "Unsur Penunjang Urusan Pemerintahan",
    6: "Unsur Pengawasan Urusan Pemerintahan",
    7: "Unsur Kewilayahan",
    8: "Unsur Pemerintahan Umum",
}

_EMPTY_SLOT = "0.00"


@dataclass(frozen=True, slots=True, kw_only=True)
class Urusan:
    """An urusan pemerintahan (or unsur) of Permendagri 90/2019."""

    kode: str
    nama: str

    @property
    def kelompok(self) -> int:
        """The group digit: 1 to 3 urusan, 4 to 8 unsur."""
        return int(self.kode[0])

    @property
    def kelompok_nama(self) -> str:
        """The group's name, e.g. "Urusan Pemerintahan Pilihan"."""
        return _KELOMPOK[self.kelompok]


@dataclass(frozen=True, slots=True, kw_only=True)
class KodeSkpd:
    """The parts of a kode SKPD."""

    urusan: tuple[str, ...]
    unit: int
    sub_unit: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Opd:
    """A perangkat daerah, keyed by its kode SKPD.

    ``urusan_kode`` and ``urusan_nama`` are its main urusan (the first slot of the code);
    ``urusan_lain`` the other urusan it also serves. ``subgraph`` names the project
    subgraph for the six OPDs whose systems this project wraps, else ``None``.
    """

    kode: str
    nama: str
    singkatan: str
    jenis: JenisOpd
    urusan_kode: str
    urusan_nama: str
    urusan_lain: tuple[str, ...]
    unit: int
    sub_unit: int
    kode_wilayah: str | None
    subgraph: str | None

    @property
    def is_project_opd(self) -> bool:
        """Whether this OPD is one of the six this project builds a subgraph for."""
        return self.subgraph is not None


def parse_kode_skpd(kode: str) -> KodeSkpd:
    """Split a kode SKPD into its urusan (empty slots dropped), unit and sub-unit.

    Raises :class:`ValueError` when ``kode`` is not in the ``U.BB.U.BB.U.BB.UU.SSSS`` form
    or its first urusan slot is empty.
    """
    match = KODE_SKPD_RE.match(kode)
    if match is None:
        raise ValueError(f"not a kode SKPD: {kode!r}")
    first, second, third, unit, sub_unit = match.groups()
    if first == _EMPTY_SLOT:
        raise ValueError(f"kode SKPD without a main urusan: {kode!r}")
    urusan = tuple(u for u in (first, second, third) if u != _EMPTY_SLOT)
    return KodeSkpd(urusan=urusan, unit=int(unit), sub_unit=int(sub_unit))


def urusan_list() -> tuple[Urusan, ...]:
    """Every urusan and unsur code, in code order."""
    return tuple(_urusan_index().values())


def urusan_by_code(kode: str) -> Urusan:
    """The urusan with code ``kode`` (``2.16``); :class:`UnknownCodeError` if none."""
    found = _urusan_index().get(kode)
    if found is None:
        raise UnknownCodeError("urusan", kode)
    return found


def opd_list() -> tuple[Opd, ...]:
    """Every OPD in the registry, in the order of the data file (SIPD's listing order)."""
    return tuple(_opd_index().values())


def opd_by_code(kode: str) -> Opd:
    """The OPD with kode SKPD ``kode``; :class:`UnknownCodeError` if none."""
    found = _opd_index().get(kode)
    if found is None:
        raise UnknownCodeError("SKPD", kode)
    return found


def project_opds() -> tuple[Opd, ...]:
    """The six OPDs of this project, in :data:`PROJECT_SUBGRAPHS` order."""
    return tuple(opd_for_subgraph(name) for name in PROJECT_SUBGRAPHS)


def opd_for_subgraph(subgraph: str) -> Opd:
    """The OPD whose system subgraph ``subgraph`` wraps (``"dikbud"`` → Disdikbud)."""
    for opd in _opd_index().values():
        if opd.subgraph == subgraph:
            return opd
    raise UnknownCodeError("subgraph", subgraph)


@functools.cache
def _urusan_index() -> dict[str, Urusan]:
    result: dict[str, Urusan] = {}
    for row in read_csv("urusan.csv", ("kode", "nama")):
        kode = row["kode"]
        if not URUSAN_KODE_RE.match(kode) or kode in result:
            raise ReferenceDataError(f"urusan.csv: bad or repeated code {kode!r}")
        result[kode] = Urusan(kode=kode, nama=row["nama"])
    return dict(sorted(result.items()))


@functools.cache
def _opd_index() -> dict[str, Opd]:
    columns = ("kode", "nama", "singkatan", "jenis", "kode_wilayah", "subgraph")
    urusan = _urusan_index()
    result: dict[str, Opd] = {}
    for row in read_csv("opd.csv", columns):
        kode = row["kode"]
        try:
            parts = parse_kode_skpd(kode)
        except ValueError as error:
            raise ReferenceDataError(f"opd.csv: {error}") from None
        unknown = [u for u in parts.urusan if u not in urusan]
        jenis = _JENIS.get(row["jenis"])
        subgraph = row["subgraph"] or None
        if kode in result or unknown or jenis is None:
            raise ReferenceDataError(f"opd.csv: {kode}: repeated, unknown urusan or jenis")
        if subgraph is not None and subgraph not in PROJECT_SUBGRAPHS:
            raise ReferenceDataError(f"opd.csv: {kode}: unknown subgraph {subgraph!r}")
        main = urusan[parts.urusan[0]]
        result[kode] = Opd(
            kode=kode,
            nama=row["nama"],
            singkatan=row["singkatan"],
            jenis=jenis,
            urusan_kode=main.kode,
            urusan_nama=main.nama,
            urusan_lain=parts.urusan[1:],
            unit=parts.unit,
            sub_unit=parts.sub_unit,
            kode_wilayah=row["kode_wilayah"] or None,
            subgraph=subgraph,
        )
    return result
