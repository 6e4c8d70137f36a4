"""The simulated Dapodik's schools, drawn deterministically from the reference data.

Every kelurahan has SD (and often an MI); SMP, MTs, SMA, SMK and MA are spread across the
city, about 300 schools in all. Public SD are numbered within their kecamatan, other public
schools across the city, as Pontianak names them. Field names are Dapodik's own
(``sekolah_id``, ``bentuk_pendidikan``, ``kode_wilayah``...); ``kode_wilayah`` is Dapodik's
region code, padded to 8 characters as Dapodik stores it, not the Kemendagri code.

SYNTHETIC DATA. Student and staff numbers are aggregates (per tingkat, per school): the
simulator holds no child's or teacher's record, as the subgraph may only ever show counts.
The one personal field is the principal's name on each school row (Dapodik's
``kepala_sekolah``), drawn from the reference name lists, so that tests can prove the
subgraph never passes it on.

The rows are those of the Dapodik semester under way on the day the simulator starts
(:func:`semester`): its ``semester_id``, and each school's latest sync on one of the
semester's first 120 days, spread over the days that have passed, up to the day before.
The schools and their counts do not depend on the day; the same day gives the same rows.
"""

from __future__ import annotations

import functools
import math
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from subgraphs.reference import (
    BentukSekolah,
    Kecamatan,
    Kelurahan,
    kecamatan_by_code,
    kelurahan_list,
    npsn,
    person_name,
    school_name,
    seeded_rng,
    street_address,
)

__all__ = ["TINGKAT", "Dataset", "Sekolah", "Semester", "dataset", "semester"]

Record = dict[str, Any]

MADRASAH: frozenset[str] = frozenset({"MI", "MTs", "MA"})

TINGKAT: dict[str, tuple[int, ...]] = {
    "SD": (1, 2, 3, 4, 5, 6),
    "MI": (1, 2, 3, 4, 5, 6),
    "SMP": (7, 8, 9),
    "MTs": (7, 8, 9),
    "SMA": (10, 11, 12),
    "SMK": (10, 11, 12),
    "MA": (10, 11, 12),
}
"""Dapodik's ``tingkat_pendidikan_id`` per bentuk pendidikan."""

# Students per tingkat (low, high), public and private
PER_TINGKAT: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "SD": ((28, 96), (14, 64)),
    "MI": ((24, 60), (10, 40)),
    "SMP": ((190, 320), (24, 130)),
    "MTs": ((120, 220), (20, 90)),
    "SMA": ((280, 400), (30, 140)),
    "SMK": ((220, 380), (30, 160)),
    "MA": ((110, 200), (15, 70)),
}

# The most students one rombel (class) may hold (Permendikbud 17/2017), per bentuk
ROMBEL_MAKS: dict[str, int] = {
    "SD": 28,
    "MI": 28,
    "SMP": 32,
    "MTs": 32,
    "SMA": 36,
    "SMK": 36,
    "MA": 36,
}

SINKRON_HARI = 120
"""Schools sync Dapodik during the first this many days of a semester."""


@dataclass(frozen=True, slots=True)
class Semester:
    """A Dapodik semester as seen on a day: ``semester_id`` (``20261``: the 2026/2027
    school year, semester 1, ganjil; ``20262`` its genap), the day its first sync ran, and
    how many of its sync days have passed (1 to :data:`SINKRON_HARI`)."""

    semester_id: str
    sinkron_awal: date
    hari: int


def semester(today: date) -> Semester:
    """The semester under way on ``today``: ganjil from the first sync on 14 July, genap
    from 14 January; before a semester's first sync, the one before it."""
    ganjil, genap = date(today.year, 7, 14), date(today.year, 1, 14)
    if today > ganjil:
        semester_id, awal = f"{today.year}1", ganjil
    elif today > genap:
        semester_id, awal = f"{today.year - 1}2", genap
    else:
        semester_id, awal = f"{today.year - 1}1", date(today.year - 1, 7, 14)
    return Semester(semester_id, awal, min(SINKRON_HARI, (today - awal).days))


@dataclass(frozen=True, slots=True, kw_only=True)
class Sekolah:
    """One school: its getSekolah row, its students per tingkat and its GTK counts."""

    row: Record
    peserta_didik: tuple[tuple[int, int, int], ...]
    """(tingkat_pendidikan_id, laki_laki, perempuan) per tingkat."""
    guru: int
    tendik: int
    semester_id: str

    @property
    def npsn(self) -> str:
        return str(self.row["npsn"])

    @property
    def sekolah_id(self) -> str:
        return str(self.row["sekolah_id"])

    def rekap_peserta_didik(self) -> Record:
        """This school's getRekapPesertaDidik row."""
        maks = ROMBEL_MAKS[str(self.row["bentuk_pendidikan"])]
        tingkat = [
            {
                "tingkat_pendidikan_id": nomor,
                "jumlah_rombel": math.ceil((laki + perempuan) / maks),
                "laki_laki": laki,
                "perempuan": perempuan,
                "jumlah": laki + perempuan,
            }
            for nomor, laki, perempuan in self.peserta_didik
        ]
        return {
            "sekolah_id": self.sekolah_id,
            "npsn": self.npsn,
            "semester_id": self.semester_id,
            "jumlah_rombel": sum(t["jumlah_rombel"] for t in tingkat),
            "laki_laki": sum(t["laki_laki"] for t in tingkat),
            "perempuan": sum(t["perempuan"] for t in tingkat),
            "jumlah": sum(t["jumlah"] for t in tingkat),
            "tingkat": tingkat,
        }


@dataclass(frozen=True, slots=True)
class Dataset:
    """Every school in Dapodik's order (by kode_wilayah, then name)."""

    sekolah: tuple[Sekolah, ...]

    def rekap_peserta_didik(self) -> list[Record]:
        """getRekapPesertaDidik's rows: one per school, its tingkat nested (rombel counts)."""
        return [s.rekap_peserta_didik() for s in self.sekolah]

    def rekap_gtk(self) -> list[Record]:
        """getRekapGtk's rows: one per school."""
        return [
            {
                "sekolah_id": s.sekolah_id,
                "npsn": s.npsn,
                "semester_id": s.semester_id,
                "guru": s.guru,
                "tendik": s.tendik,
                "jumlah": s.guru + s.tendik,
            }
            for s in self.sekolah
        ]


@dataclass
class _Counters:
    """Numbers already given: public schools' numbers, and every name and NPSN."""

    negeri: Counter[str]
    swasta: Counter[str]
    names: set[str]
    npsn: set[str]


def _plan(rng: random.Random) -> list[tuple[BentukSekolah, bool]]:
    """Which schools one kelurahan has: (bentuk, negeri)."""
    plan: list[tuple[BentukSekolah, bool]] = []
    plan += [("SD", True)] * rng.randint(3, 5)
    plan += [("SD", False)] * rng.randint(0, 2)
    plan += [("MI", False)] * rng.choice((0, 0, 0, 1, 1))
    plan += [("SMP", True)] * rng.choice((0, 1, 1, 1, 2))
    plan += [("SMP", False)] * rng.randint(0, 2)
    plan += [("MTs", rng.random() < 0.2)] * rng.choice((0, 0, 1))
    plan += [("SMA", True)] * rng.choice((0, 0, 1))
    plan += [("SMA", False)] * rng.choice((0, 1, 1))
    plan += [("SMK", True)] * rng.choice((0, 0, 1))
    plan += [("SMK", False)] * rng.choice((0, 1, 1))
    plan += [("MA", rng.random() < 0.2)] * rng.choice((0, 0, 0, 1))
    return plan


def _name(
    rng: random.Random,
    bentuk: BentukSekolah,
    negeri: bool,
    kecamatan: Kecamatan,
    kelurahan: Kelurahan,
    counters: _Counters,
) -> str:
    if negeri:
        # SD Negeri are numbered per kecamatan, the others across the city
        scope = f"{bentuk}:{kecamatan.kode}" if bentuk == "SD" else bentuk
        counters.negeri[scope] += 1
        nama = school_name(
            rng, bentuk, negeri=True, nomor=counters.negeri[scope], kecamatan=kecamatan
        )
    else:
        counters.swasta[bentuk] += 1
        for _ in range(20):
            nama = school_name(rng, bentuk, negeri=False, nomor=counters.swasta[bentuk])
            if nama not in counters.names:
                break
        else:
            # Foundations reuse names across the city; Dapodik tells them apart by place
            base, nomor = f"{nama} {kelurahan.nama}", 1
            nama = base
            while nama in counters.names:
                nomor += 1
                nama = f"{base} {nomor}"
    counters.names.add(nama)
    return nama


def _akreditasi(rng: random.Random, negeri: bool) -> str:
    options = ("A", "B", "C", "Belum Terakreditasi")
    weights = (6, 3, 0.5, 0.2) if negeri else (3, 4, 2, 1)
    return rng.choices(options, weights=weights)[0]


def _sekolah(
    rng: random.Random,
    bentuk: BentukSekolah,
    negeri: bool,
    kelurahan: Kelurahan,
    counters: _Counters,
    now: Semester,
) -> Sekolah:
    kecamatan = kecamatan_by_code(kelurahan.kecamatan_kode)
    nama = _name(rng, bentuk, negeri, kecamatan, kelurahan, counters)
    while True:
        nomor = npsn(rng, madrasah=bentuk in MADRASAH)
        if nomor not in counters.npsn:
            counters.npsn.add(nomor)
            break
    low, high = PER_TINGKAT[bentuk][0 if negeri else 1]
    peserta: list[tuple[int, int, int]] = []
    for tingkat in TINGKAT[bentuk]:
        jumlah = rng.randint(low, high)
        laki = round(jumlah * rng.uniform(0.44, 0.56))
        peserta.append((tingkat, laki, jumlah - laki))
    siswa = sum(laki + perempuan for _, laki, perempuan in peserta)
    guru = max(6, round(siswa / rng.uniform(14, 22)))
    tendik = max(1, round(guru * rng.uniform(0.12, 0.3)))
    # The nth of the semester's sync days, spread over those that have passed
    nth = rng.randrange(SINKRON_HARI) * now.hari // SINKRON_HARI
    sinkron = now.sinkron_awal + timedelta(days=nth, seconds=rng.randrange(86_400))
    row: Record = {
        "sekolah_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "npsn": nomor,
        "nama": nama,
        "bentuk_pendidikan": bentuk,
        "status_sekolah": "Negeri" if negeri else "Swasta",
        "alamat_jalan": street_address(rng, kelurahan.kecamatan_kode),
        "rt": str(rng.randint(1, 8)),
        "rw": str(rng.randint(1, 20)),
        "kode_pos": f"7811{rng.randint(1, 9)}",
        # Dapodik keeps region codes as char(8): its 6 digits and two spaces
        "kode_wilayah": f"{kelurahan.kode_dapodik:<8}",
        "desa_kelurahan": kelurahan.nama_dapodik,
        "kecamatan": kecamatan.nama_dapodik,
        "kabupaten_kota": "Kota Pontianak",
        "propinsi": "Prov. Kalimantan Barat",
        "akreditasi": _akreditasi(rng, negeri),
        # Dapodik sends coordinates as strings
        "lintang": f"{kelurahan.lintang + rng.uniform(-0.004, 0.004):.6f}",
        "bujur": f"{kelurahan.bujur + rng.uniform(-0.004, 0.004):.6f}",
        "last_update": f"{sinkron:%Y-%m-%d} {timedelta(seconds=rng.randrange(86_400))}",
        "soft_delete": "0",
        # Personal data the wrapper must never read
        "kepala_sekolah": person_name(rng, perempuan=rng.random() < 0.5),
    }
    return Sekolah(
        row=row,
        peserta_didik=tuple(peserta),
        guru=guru,
        tendik=tendik,
        semester_id=now.semester_id,
    )


@functools.cache
def dataset(today: date) -> Dataset:
    """The city's schools as Dapodik holds them on ``today``, the same for the same day."""
    now = semester(today)
    counters = _Counters(Counter(), Counter(), set(), set())
    schools: list[Sekolah] = []
    for kelurahan in kelurahan_list():
        rng = seeded_rng("dikbud", "sekolah", kelurahan.kode)
        for bentuk, negeri in _plan(rng):
            schools.append(_sekolah(rng, bentuk, negeri, kelurahan, counters, now))
    schools.sort(key=lambda s: (s.row["kode_wilayah"], s.row["nama"]))
    return Dataset(tuple(schools))
