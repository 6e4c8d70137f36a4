"""The health facilities of Kota Pontianak as Dinkes' systems know them: SYNTHETIC data.

The kinds and volumes are plausible for the city: 23 puskesmas, each named after its
kelurahan; a puskesmas pembantu (pustu) in every kelurahan without a puskesmas and in a few
others, so that every one of the 29 kelurahan has at least one facility; RSUD Sultan Syarif
Mohamad Alkadrie (city-owned) and RSUD dr. Soedarso (provincial), both real names, placed
where they stand (sample addresses); private hospitals, primary clinics and clinical
laboratories with generated names. Facility codes follow the sample layouts of
:func:`subgraphs.reference.fasyankes_code` (a pustu and a laboratory get a puskesmas- and a
clinic-style code respectively); telephone numbers, services, hours and the heads' names
are synthetic. No patient appears anywhere: the systems exported here hold master data.

The exports are dated from the day they are taken (:func:`fasilitas`' ``today``): each
facility's record was last updated on a day of the year before it, up to the day before.

A few facilities are in one export only, as happens between SATUSEHAT and a city registry:
new clinics registered with Dinkes and not yet in SATUSEHAT (:attr:`Faskes.di_satusehat`
false), and facilities SATUSEHAT knows that the city registry has not caught up with
(:attr:`Faskes.di_registri` false).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from subgraphs.reference import (
    RSUD_KOTA,
    JenisFasyankes,
    Kelurahan,
    clinic_name,
    distinct,
    fasyankes_code,
    hospital_name,
    kecamatan_list,
    kelurahan_by_name,
    kelurahan_list,
    person_name,
    puskesmas_name,
    seeded_rng,
    street_address,
)

__all__ = [
    "JUMLAH_PUSKESMAS",
    "Faskes",
    "Jenis",
    "Kepemilikan",
    "fasilitas",
]

Jenis = Literal["puskesmas", "pustu", "rumah_sakit", "klinik", "laboratorium"]
Kepemilikan = Literal["Pemerintah Kota", "Pemerintah Provinsi", "Swasta"]

JUMLAH_PUSKESMAS = 23
RSUD_PROVINSI = "RSUD dr. Soedarso"
LABKESDA = "UPT Laboratorium Kesehatan Daerah Kota Pontianak"

_LAYANAN_PUSKESMAS = (
    "Pemeriksaan Umum",
    "Kesehatan Ibu dan Anak",
    "Keluarga Berencana",
    "Imunisasi",
    "Gizi",
    "Kesehatan Gigi dan Mulut",
    "Laboratorium",
    "Farmasi",
)
_LAYANAN_PUSKESMAS_PILIHAN = ("TB-DOTS", "Kesehatan Jiwa", "Kesehatan Lansia", "Konseling Remaja")
_LAYANAN_PUSTU = ("Pemeriksaan Umum", "Kesehatan Ibu dan Anak", "Imunisasi")
_LAYANAN_RS = (
    "Instalasi Gawat Darurat",
    "Rawat Jalan",
    "Rawat Inap",
    "Penyakit Dalam",
    "Anak",
    "Kebidanan dan Kandungan",
    "Bedah",
    "Radiologi",
    "Laboratorium",
    "Farmasi",
)
_LAYANAN_RS_PILIHAN = (
    "Jantung",
    "Saraf",
    "Mata",
    "THT",
    "Hemodialisa",
    "ICU",
    "Rehabilitasi Medik",
)
_LAYANAN_RSIA = (
    "Instalasi Gawat Darurat",
    "Rawat Jalan",
    "Rawat Inap",
    "Anak",
    "Kebidanan dan Kandungan",
    "Perinatologi",
    "Laboratorium",
    "Farmasi",
)
_LAYANAN_KLINIK = (
    "Pemeriksaan Umum",
    "Kesehatan Gigi dan Mulut",
    "Kesehatan Ibu dan Anak",
    "Laboratorium",
    "Farmasi",
    "Khitan",
)
_LAYANAN_LAB = ("Hematologi", "Kimia Klinik", "Imunoserologi", "Mikrobiologi", "Urinalisis")

_JAM_KANTOR = "Senin-Kamis 07.30-14.00; Jumat 07.30-11.00; Sabtu 07.30-12.30"
_JAM_24 = "24 jam"
_JAM_KLINIK = "Senin-Sabtu 08.00-21.00"
_JAM_LAB = "Senin-Sabtu 07.00-20.00; Minggu 07.00-12.00"


@dataclass(frozen=True, slots=True, kw_only=True)
class Faskes:
    """One facility, before either export renders it in its own format."""

    kode: str
    nama: str
    jenis: Jenis
    kepemilikan: Kepemilikan
    kelurahan: Kelurahan
    alamat: str
    lintang: float
    bujur: float
    telepon: str
    layanan: tuple[str, ...]
    jam_buka: str
    rawat_inap: bool
    kepala: str
    """The head of the facility: a person's name, in the FHIR export's ``contact`` only."""
    diperbarui: date
    di_satusehat: bool = True
    di_registri: bool = True


@dataclass(frozen=True, slots=True)
class _Export:
    """The export being drawn: the facility codes given so far, and its day."""

    codes: set[str]
    day: date


@functools.cache
def fasilitas(today: date) -> tuple[Faskes, ...]:
    """Every facility as exported on ``today``, puskesmas first, the same for the same
    day."""
    export = _Export(codes=set(), day=today)
    found = [
        *_puskesmas(export),
        *_pustu(export),
        *_rumah_sakit(export),
        *_klinik(export),
        *_laboratorium(export),
    ]
    return tuple(found)


def _puskesmas(export: _Export) -> list[Faskes]:
    chosen = _kelurahan_puskesmas()
    rawat_inap = set(seeded_rng("dinkes:rawat-inap").sample([k.kode for k in chosen], 4))
    result = []
    for kelurahan in chosen:
        own = seeded_rng("dinkes:puskesmas", kelurahan.kode)
        inap = kelurahan.kode in rawat_inap
        layanan = _LAYANAN_PUSKESMAS + tuple(own.sample(_LAYANAN_PUSKESMAS_PILIHAN, 2))
        if inap:
            layanan += ("Rawat Inap", "Persalinan (PONED)", "Unit Gawat Darurat")
        result.append(
            _faskes(
                own,
                export,
                jenis="puskesmas",
                nama=puskesmas_name(kelurahan),
                kepemilikan="Pemerintah Kota",
                kelurahan=kelurahan,
                layanan=layanan,
                jam_buka=_JAM_24 if inap else _JAM_KANTOR,
                rawat_inap=inap,
            )
        )
    return result


def _kelurahan_puskesmas() -> list[Kelurahan]:
    """The kelurahan that have a puskesmas, in code order."""
    chosen = seeded_rng("dinkes:puskesmas").sample(kelurahan_list(), JUMLAH_PUSKESMAS)
    return sorted(chosen, key=lambda k: k.kode)


def _pustu(export: _Export) -> list[Faskes]:
    rng = seeded_rng("dinkes:pustu")
    with_puskesmas = {k.kode for k in _kelurahan_puskesmas()}
    without = [k for k in kelurahan_list() if k.kode not in with_puskesmas]
    extra = rng.sample([k for k in kelurahan_list() if k.kode in with_puskesmas], 6)
    result = []
    for kelurahan in sorted([*without, *extra], key=lambda k: k.kode):
        own = seeded_rng("dinkes:pustu", kelurahan.kode)
        result.append(
            _faskes(
                own,
                export,
                jenis="pustu",
                nama=f"Puskesmas Pembantu {kelurahan.nama}",
                kepemilikan="Pemerintah Kota",
                kelurahan=kelurahan,
                layanan=_LAYANAN_PUSTU,
                jam_buka=_JAM_KANTOR,
                rawat_inap=False,
            )
        )
    return result


def _rumah_sakit(export: _Export) -> list[Faskes]:
    rng = seeded_rng("dinkes:rumah-sakit")
    result = [
        # Sample placements of the two public hospitals, near where they stand
        _faskes(
            seeded_rng("dinkes:rumah-sakit", RSUD_KOTA),
            export,
            jenis="rumah_sakit",
            nama=RSUD_KOTA,
            kepemilikan="Pemerintah Kota",
            kelurahan=kelurahan_by_name("Sungai Jawi Luar"),
            layanan=_LAYANAN_RS + _LAYANAN_RS_PILIHAN[:5],
            jam_buka=_JAM_24,
            rawat_inap=True,
            alamat="Jl. Komodor Yos Sudarso No. 1",
        ),
        _faskes(
            seeded_rng("dinkes:rumah-sakit", RSUD_PROVINSI),
            export,
            jenis="rumah_sakit",
            nama=RSUD_PROVINSI,
            kepemilikan="Pemerintah Provinsi",
            kelurahan=kelurahan_by_name("Bangka Belitung Laut"),
            layanan=_LAYANAN_RS + _LAYANAN_RS_PILIHAN,
            jam_buka=_JAM_24,
            rawat_inap=True,
            alamat="Jl. dr. Soedarso No. 1",
        ),
    ]
    names = distinct(hospital_name, rng, 7)
    for index, nama in enumerate(names):
        kelurahan = rng.choice(kelurahan_list())
        own = seeded_rng("dinkes:rumah-sakit", nama)
        anak = nama.startswith("RSIA")
        layanan = _LAYANAN_RSIA if anak else _LAYANAN_RS + tuple(own.sample(_LAYANAN_RS_PILIHAN, 3))
        result.append(
            _faskes(
                own,
                export,
                jenis="rumah_sakit",
                nama=nama,
                kepemilikan="Swasta",
                kelurahan=kelurahan,
                layanan=layanan,
                jam_buka=_JAM_24,
                rawat_inap=True,
                # The newest private hospital is in SATUSEHAT, not yet in the city registry
                di_registri=index != len(names) - 1,
            )
        )
    return result


def _klinik(export: _Export) -> list[Faskes]:
    rng = seeded_rng("dinkes:klinik")
    result = []
    per_kecamatan = [(kecamatan, rng.randint(2, 3)) for kecamatan in kecamatan_list()]
    names = distinct(clinic_name, rng, sum(count for _, count in per_kecamatan))
    for kecamatan, count in per_kecamatan:
        for index in range(count):
            nama = names.pop(0)
            kelurahan = rng.choice(kelurahan_list(kecamatan.kode))
            own = seeded_rng("dinkes:klinik", nama)
            # Two new clinics are registered with Dinkes but not yet in SATUSEHAT
            baru = index == count - 1 and kecamatan.kode in ("61.71.02", "61.71.05")
            result.append(
                _faskes(
                    own,
                    export,
                    jenis="klinik",
                    nama=nama,
                    kepemilikan="Swasta",
                    kelurahan=kelurahan,
                    layanan=tuple(sorted(own.sample(_LAYANAN_KLINIK, own.randint(2, 5)))),
                    jam_buka=_JAM_KLINIK,
                    rawat_inap=False,
                    di_satusehat=not baru,
                )
            )
    return result


def _laboratorium(export: _Export) -> list[Faskes]:
    rng = seeded_rng("dinkes:laboratorium")
    swasta = f"Laboratorium Klinik {rng.choice(['Kapuas', 'Khatulistiwa', 'Borneo'])} Medika"
    result = []
    owners: tuple[tuple[str, Kepemilikan], ...] = (
        (LABKESDA, "Pemerintah Kota"),
        (swasta, "Swasta"),
    )
    for nama, kepemilikan in owners:
        own = seeded_rng("dinkes:laboratorium", nama)
        result.append(
            _faskes(
                own,
                export,
                jenis="laboratorium",
                nama=nama,
                kepemilikan=kepemilikan,
                kelurahan=rng.choice(kelurahan_list()),
                layanan=_LAYANAN_LAB,
                jam_buka=_JAM_LAB,
                rawat_inap=False,
            )
        )
    return result


_CODE_KIND: dict[Jenis, JenisFasyankes] = {
    "puskesmas": "puskesmas",
    "pustu": "puskesmas",
    "rumah_sakit": "rumah_sakit",
    "klinik": "klinik",
    "laboratorium": "klinik",
}


def _faskes(
    rng: random.Random,
    export: _Export,
    *,
    jenis: Jenis,
    nama: str,
    kepemilikan: Kepemilikan,
    kelurahan: Kelurahan,
    layanan: tuple[str, ...],
    jam_buka: str,
    rawat_inap: bool,
    alamat: str | None = None,
    di_satusehat: bool = True,
    di_registri: bool = True,
) -> Faskes:
    kind = _CODE_KIND[jenis]
    (kode,) = distinct(
        lambda r: fasyankes_code(r, kind, kelurahan.kecamatan_kode), rng, 1, taken=export.codes
    )
    return Faskes(
        kode=kode,
        nama=nama,
        jenis=jenis,
        kepemilikan=kepemilikan,
        kelurahan=kelurahan,
        alamat=alamat or street_address(rng, kelurahan.kecamatan_kode),
        lintang=round(kelurahan.lintang + rng.uniform(-0.004, 0.004), 5),
        bujur=round(kelurahan.bujur + rng.uniform(-0.004, 0.004), 5),
        telepon=f"(0561) {rng.randint(730_000, 789_999)}",
        layanan=layanan,
        jam_buka=jam_buka,
        rawat_inap=rawat_inap,
        kepala=person_name(rng, perempuan=rng.random() < 0.5),
        diperbarui=export.day - timedelta(days=rng.randint(1, 365)),
        di_satusehat=di_satusehat,
        di_registri=di_registri,
    )
