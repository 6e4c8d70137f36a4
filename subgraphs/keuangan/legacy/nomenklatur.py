"""Program, kegiatan and sub-kegiatan nomenclature in the style of Permendagri 90/2019.

Codes nest: program ``2.16.03`` (bidang urusan + program), kegiatan ``2.16.03.2.02``,
sub-kegiatan ``2.16.03.2.02.0005``. The ``.01`` support program and its kegiatan exist for
every bidang urusan, as in SIPD, with the BLUD kegiatan for the urusan whose services run
as BLUD (health: the RSUD and the puskesmas). Names follow the regulation's wording (REAL);
the selection and the sub-kegiatan numbers are SAMPLES, and the programs generated for
urusan without an entry in :data:`PROGRAM_URUSAN` are SAMPLES shaped like the real ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Belanja", "Giat", "Program", "SubGiat", "programs_for"]

Belanja = Literal["pegawai", "blud", "program"]
"""What a sub-kegiatan's money is for: salaries and allowances of the OPD's ASN, the
operations of a BLUD (paid from its own revenue), or the OPD's programs."""


@dataclass(frozen=True, slots=True)
class SubGiat:
    kode: str
    nama: str
    belanja: Belanja = "program"


@dataclass(frozen=True, slots=True)
class Giat:
    kode: str
    nama: str
    sub: tuple[SubGiat, ...]


@dataclass(frozen=True, slots=True)
class Program:
    kode: str
    nama: str
    bidang_urusan: str
    giat: tuple[Giat, ...]


Spec = tuple[str, str, tuple[tuple[str, str, tuple[str, ...]], ...]]

PENUNJANG: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "2.01",
        "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
        (
            ("0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah"),
            ("0007", "Evaluasi Kinerja Perangkat Daerah"),
        ),
    ),
    (
        "2.02",
        "Administrasi Keuangan Perangkat Daerah",
        (
            ("0001", "Penyediaan Gaji dan Tunjangan ASN"),
            ("0002", "Penyediaan Administrasi Pelaksanaan Tugas ASN"),
        ),
    ),
    (
        "2.06",
        "Administrasi Umum Perangkat Daerah",
        (
            ("0002", "Penyediaan Peralatan dan Perlengkapan Kantor"),
            ("0004", "Penyediaan Bahan Logistik Kantor"),
        ),
    ),
    (
        "2.08",
        "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah",
        (("0004", "Penyediaan Jasa Pelayanan Umum Kantor"),),
    ),
)

BLUD: tuple[str, str, tuple[tuple[str, str], ...]] = (
    "2.10",
    "Peningkatan Pelayanan BLUD",
    (("0001", "Pelayanan dan Penunjang Pelayanan BLUD"),),
)
URUSAN_BLUD = frozenset({"1.02"})
"""Urusan whose services run as BLUD: their support program has the BLUD kegiatan."""

PROGRAM_URUSAN: dict[str, tuple[Spec, ...]] = {
    "1.01": (
        (
            "02",
            "PROGRAM PENGELOLAAN PENDIDIKAN",
            (
                (
                    "2.01",
                    "Pengelolaan Pendidikan Sekolah Dasar",
                    ("Pembangunan Ruang Kelas Baru", "Pengadaan Perlengkapan Sekolah"),
                ),
                (
                    "2.02",
                    "Pengelolaan Pendidikan Sekolah Menengah Pertama",
                    ("Rehabilitasi Sedang/Berat Ruang Kelas Sekolah",),
                ),
            ),
        ),
        (
            "04",
            "PROGRAM PENDIDIK DAN TENAGA KEPENDIDIKAN",
            (
                (
                    "2.01",
                    "Pemerataan Kuantitas dan Kualitas Pendidik dan Tenaga Kependidikan",
                    ("Perhitungan dan Pemetaan Pendidik dan Tenaga Kependidikan",),
                ),
            ),
        ),
    ),
    "1.02": (
        (
            "02",
            "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN MASYARAKAT",
            (
                (
                    "2.01",
                    "Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Kewenangan "
                    "Daerah Kabupaten/Kota",
                    (
                        "Pembangunan Puskesmas",
                        "Pengadaan Alat Kesehatan/Alat Penunjang Medik Fasilitas Pelayanan "
                        "Kesehatan",
                    ),
                ),
                (
                    "2.02",
                    "Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah "
                    "Kabupaten/Kota",
                    (
                        "Pengelolaan Pelayanan Kesehatan Ibu Hamil",
                        "Pengelolaan Pelayanan Kesehatan Balita",
                    ),
                ),
            ),
        ),
        (
            "03",
            "PROGRAM PENINGKATAN KAPASITAS SUMBER DAYA MANUSIA KESEHATAN",
            (
                (
                    "2.02",
                    "Perencanaan Kebutuhan dan Pendayagunaan Sumber Daya Manusia Kesehatan",
                    ("Pemenuhan Kebutuhan Sumber Daya Manusia Kesehatan sesuai Standar",),
                ),
            ),
        ),
    ),
    "1.03": (
        (
            "06",
            "PROGRAM PENGELOLAAN DAN PENGEMBANGAN SISTEM DRAINASE",
            (
                (
                    "2.01",
                    "Pengelolaan dan Pengembangan Sistem Drainase yang Terhubung Langsung "
                    "dengan Sungai dalam Daerah Kabupaten/Kota",
                    (
                        "Pembangunan Sistem Drainase Perkotaan",
                        "Operasi dan Pemeliharaan Sistem Drainase Perkotaan",
                    ),
                ),
            ),
        ),
        (
            "10",
            "PROGRAM PENYELENGGARAAN JALAN",
            (
                (
                    "2.01",
                    "Penyelenggaraan Jalan Kabupaten/Kota",
                    (
                        "Rekonstruksi Jalan",
                        "Rehabilitasi Jalan",
                        "Pemeliharaan Rutin Jalan",
                        "Pembangunan Jembatan",
                    ),
                ),
            ),
        ),
    ),
    "2.12": (
        (
            "02",
            "PROGRAM PENDAFTARAN PENDUDUK",
            (
                (
                    "2.01",
                    "Pelayanan Pendaftaran Penduduk",
                    ("Penerbitan Dokumen Pendaftaran Penduduk",),
                ),
            ),
        ),
        (
            "03",
            "PROGRAM PENCATATAN SIPIL",
            (("2.01", "Pelayanan Pencatatan Sipil", ("Penerbitan Dokumen Pencatatan Sipil",)),),
        ),
        (
            "04",
            "PROGRAM PENGELOLAAN INFORMASI ADMINISTRASI KEPENDUDUKAN",
            (
                (
                    "2.01",
                    "Pengumpulan Data Kependudukan dan Pemanfaatan dan Penyajian Database "
                    "Kependudukan",
                    ("Penyediaan Data Kependudukan Kabupaten/Kota",),
                ),
            ),
        ),
    ),
    "2.16": (
        (
            "02",
            "PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK",
            (
                (
                    "2.01",
                    "Pengelolaan Informasi dan Komunikasi Publik Pemerintah Daerah Kabupaten/Kota",
                    (
                        "Pengelolaan Konten dan Perencanaan Media Komunikasi Publik",
                        "Pelayanan Informasi Publik",
                    ),
                ),
            ),
        ),
        (
            "03",
            "PROGRAM APLIKASI INFORMATIKA",
            (
                (
                    "2.02",
                    "Pengelolaan e-Government di Lingkup Pemerintah Daerah Kabupaten/Kota",
                    (
                        "Pengelolaan Pusat Data Pemerintahan Daerah",
                        "Penyelenggaraan Sistem Jaringan Intra Pemerintah Daerah",
                        "Pengembangan Aplikasi dan Proses Bisnis Pemerintahan Berbasis Elektronik",
                    ),
                ),
            ),
        ),
    ),
    "2.18": (
        (
            "02",
            "PROGRAM PENGEMBANGAN IKLIM PENANAMAN MODAL",
            (
                (
                    "2.01",
                    "Penetapan Pemberian Fasilitas/Insentif di Bidang Penanaman Modal",
                    ("Pemberian Insentif dan Kemudahan Penanaman Modal",),
                ),
            ),
        ),
        (
            "04",
            "PROGRAM PELAYANAN PENANAMAN MODAL",
            (
                (
                    "2.01",
                    "Pelayanan Perizinan dan Nonperizinan secara Terpadu Satu Pintu",
                    (
                        "Penyediaan Pelayanan Perizinan Berusaha melalui Sistem Perizinan "
                        "Berusaha Terintegrasi secara Elektronik",
                        "Pemberian Fasilitas/Insentif Perizinan",
                    ),
                ),
            ),
        ),
    ),
    "5.02": (
        (
            "02",
            "PROGRAM PENGELOLAAN KEUANGAN DAERAH",
            (
                (
                    "2.01",
                    "Perencanaan Anggaran Daerah",
                    (
                        "Koordinasi, Penyusunan dan Verifikasi RKA-SKPD",
                        "Penyusunan Rancangan Perda APBD",
                    ),
                ),
                (
                    "2.02",
                    "Koordinasi dan Penyusunan Laporan Keuangan Daerah",
                    ("Penyusunan Laporan Keuangan Pemerintah Daerah",),
                ),
            ),
        ),
        (
            "04",
            "PROGRAM PENGELOLAAN PENDAPATAN DAERAH",
            (
                (
                    "2.01",
                    "Perencanaan Pengelolaan Pendapatan Daerah",
                    ("Penyusunan Kebijakan Pengelolaan Pendapatan Daerah",),
                ),
            ),
        ),
    ),
    "7.01": (
        (
            "02",
            "PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK",
            (
                (
                    "2.01",
                    "Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan",
                    ("Koordinasi Penyelenggaraan Pelayanan Publik di Tingkat Kecamatan",),
                ),
            ),
        ),
        (
            "03",
            "PROGRAM PEMBERDAYAAN MASYARAKAT DESA DAN KELURAHAN",
            (
                (
                    "2.01",
                    "Pemberdayaan Masyarakat di Tingkat Kelurahan",
                    ("Pembangunan Sarana dan Prasarana Kelurahan",),
                ),
            ),
        ),
    ),
}


def _penunjang(urusan: str) -> Program:
    kode = f"{urusan}.01"
    kegiatan = (*PENUNJANG, BLUD) if urusan in URUSAN_BLUD else PENUNJANG
    return Program(
        kode=kode,
        nama="PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
        bidang_urusan=urusan,
        giat=tuple(
            Giat(
                kode=f"{kode}.{giat}",
                nama=nama,
                sub=tuple(
                    SubGiat(
                        kode=f"{kode}.{giat}.{sub}",
                        nama=sub_nama,
                        belanja=_belanja(giat, sub_nama),
                    )
                    for sub, sub_nama in subs
                ),
            )
            for giat, nama, subs in kegiatan
        ),
    )


def _belanja(giat: str, nama: str) -> Belanja:
    if giat == BLUD[0]:
        return "blud"
    return "pegawai" if nama.startswith("Penyediaan Gaji") else "program"


def _from_spec(urusan: str, spec: Spec) -> Program:
    number, nama, giat_specs = spec
    kode = f"{urusan}.{number}"
    return Program(
        kode=kode,
        nama=nama,
        bidang_urusan=urusan,
        giat=tuple(
            Giat(
                kode=f"{kode}.{giat}",
                nama=giat_nama,
                sub=tuple(
                    SubGiat(kode=f"{kode}.{giat}.{index:04d}", nama=sub_nama)
                    for index, sub_nama in enumerate(subs, start=1)
                ),
            )
            for giat, giat_nama, subs in giat_specs
        ),
    )


def _generic(urusan: str, nama_urusan: str) -> tuple[Program, ...]:
    spec: Spec = (
        "02",
        f"PROGRAM PENYELENGGARAAN URUSAN {nama_urusan.upper()}",
        (
            (
                "2.01",
                f"Pelaksanaan Kebijakan Urusan {nama_urusan}",
                (
                    f"Koordinasi dan Sinkronisasi Urusan {nama_urusan}",
                    f"Pelayanan Urusan {nama_urusan} kepada Masyarakat",
                ),
            ),
        ),
    )
    return (_from_spec(urusan, spec),)


def programs_for(main: str, main_nama: str, others: dict[str, str]) -> tuple[Program, ...]:
    """The programs of an OPD whose main urusan is ``main`` and which also serves
    ``others`` (code to name): the support program of its main urusan, then each urusan's
    own programs."""
    programs = [_penunjang(main)]
    for urusan, nama in {main: main_nama, **others}.items():
        specs = PROGRAM_URUSAN.get(urusan)
        if specs is None:
            programs.extend(_generic(urusan, nama))
        else:
            programs.extend(_from_spec(urusan, spec) for spec in specs)
    return tuple(programs)
