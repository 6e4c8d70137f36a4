"""The simulated Diskominfo service's data, drawn deterministically from the reference data.

Field names are the legacy system's own (``kode_skpd``, ``nama_aplikasi``,
``tanggal_lapor``...). Application and innovation names are SAMPLES shaped like the ones in
Pontianak's SPBE and innovation-index submissions; complaint texts and complainants are
synthetic. Complainants (name, NIK, phone) exist here because LAPOR! stores them; the
subgraph never reads them.

The catalogue is the one exported on the day the service starts (:func:`catalogue`'s
``today``, at 06:00): complaints run from the start of last year up to the day before,
each as far along LAPOR!'s steps as its age allows; catalogue records were updated within
the ten months before. Each year's complaints of a kelurahan are drawn whole and shown up
to the day before, so a later day keeps the earlier complaints and adds the new ones; the
same day always gives the same catalogue.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from subgraphs.reference import (
    Kelurahan,
    Opd,
    kelurahan_list,
    lapor_tracking_id,
    nik,
    opd_list,
    person_name,
    seeded_rng,
    street_address,
    urusan_by_code,
)

from ..instansi import nama_instansi

__all__ = ["Catalogue", "catalogue"]

Record = dict[str, Any]

# Aplikasi Umum (SPBE): shared applications, each administered by one OPD (by singkatan)
APLIKASI_UMUM: tuple[tuple[str, str, str, str], ...] = (
    ("SRIKANDI", "Sistem Informasi Kearsipan Dinamis Terintegrasi", "Dispusip", "Web"),
    ("SIPD-RI", "Perencanaan, penganggaran dan penatausahaan keuangan daerah", "BKD", "Web"),
    ("e-Kinerja BKN", "Pengelolaan kinerja Aparatur Sipil Negara", "BKPSDM", "Web"),
    ("SP4N-LAPOR!", "Pengelolaan pengaduan pelayanan publik nasional", "Diskominfo", "Web"),
    ("JDIH Kota Pontianak", "Jaringan dokumentasi dan informasi hukum", "Setda", "Web"),
    ("SPSE", "Pengadaan barang/jasa secara elektronik", "Setda", "Web"),
    ("OSS-RBA", "Perizinan berusaha berbasis risiko", "DPMPTSP", "Web"),
)

# Aplikasi Khusus of particular OPDs, by singkatan: (nama, deskripsi, platform)
APLIKASI_KHUSUS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Disdikbud": (
        ("PPDB Online Kota Pontianak", "Penerimaan peserta didik baru SD dan SMP", "Web"),
        ("Dapodik", "Data pokok pendidikan sekolah", "Desktop"),
    ),
    "Dinkes": (
        ("SIMPUS", "Sistem informasi manajemen puskesmas", "Web"),
        ("Pontianak Sehat", "Antrean dan informasi layanan puskesmas", "Mobile"),
    ),
    "Disdukcapil": (
        ("SIAK Terpusat", "Administrasi kependudukan", "Web"),
        ("Dukcapil Pontianak Online", "Permohonan dokumen kependudukan daring", "Mobile"),
    ),
    "Diskominfo": (
        ("Portal Satu Data Pontianak", "Katalog dan portal data sektoral kota", "Web"),
        ("Pontianak Command Center", "Dasbor kota cerdas dan CCTV", "Web"),
    ),
    "DPMPTSP": (("SiCantik Cloud", "Perizinan non-berusaha daerah", "Web"),),
    "BKD": (
        ("e-BPHTB", "Pelayanan BPHTB secara elektronik", "Web"),
        ("SIMPATDA", "Sistem informasi manajemen pendapatan daerah", "Web"),
    ),
    "Bappeda": (("e-Musrenbang", "Musyawarah perencanaan pembangunan daring", "Web"),),
    "Dishub": (("e-Parkir Pontianak", "Retribusi parkir non-tunai", "Mobile"),),
    "DLH": (("Bank Sampah Digital", "Pencatatan tabungan bank sampah", "Mobile"),),
    "BPBD": (("Info Bencana Pontianak", "Peringatan dini dan laporan kebencanaan", "Mobile"),),
    "BKPSDM": (("SIMPEG Pontianak", "Sistem informasi manajemen kepegawaian", "Web"),),
    "Dinsos": (("SIKS-NG Pontianak", "Pengelolaan data kesejahteraan sosial", "Web"),),
}

GENERIC_KHUSUS: tuple[tuple[str, str, str], ...] = (
    ("Sistem Informasi Pelayanan {s}", "Pelayanan dan pelacakan permohonan", "Web"),
    ("e-Office {s}", "Surat-menyurat dan disposisi internal", "Web"),
    ("Dasbor Kinerja {s}", "Pemantauan capaian kinerja", "Web"),
    ("{s} Mobile", "Informasi layanan untuk warga", "Mobile"),
)

BENTUK = (
    "Inovasi Pelayanan Publik",
    "Inovasi Tata Kelola Pemerintahan Daerah",
    "Inovasi Daerah Lainnya",
)
INISIATOR = ("Kepala Daerah", "Anggota DPRD", "OPD", "ASN", "Masyarakat")
TAHAPAN = ("Inisiatif", "Uji Coba", "Penerapan")

# Innovations of particular OPDs: (nama, bentuk index, digital)
INOVASI_KHUSUS: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "Dinkes": (("Posyandu Digital", 0, True), ("Puskesmas Ramah Lansia", 0, False)),
    "Disdikbud": (("Sekolah Tepian Kapuas", 2, False), ("Rapor Digital Terpadu", 0, True)),
    "Disdukcapil": (("Adminduk Jemput Bola", 0, False), ("Akta Lahir dari Rumah Sakit", 0, True)),
    "Diskominfo": (("Pontianak Satu Data", 1, True), ("Wi-Fi Publik Gang", 0, True)),
    "DPMPTSP": (("Izin Antar ke Rumah", 0, False), ("Klinik Investasi", 2, False)),
    "BKD": (("Pajak Daerah Non-Tunai", 1, True),),
}
GENERIC_INOVASI: tuple[tuple[str, int, bool], ...] = (
    ("Layanan {s} Keliling", 0, False),
    ("{s} Menyapa Warga", 0, False),
    ("Antrean Daring {s}", 0, True),
    ("Tanda Tangan Elektronik {s}", 1, True),
    ("Gerakan {s} Tertib Arsip", 1, False),
    ("Kanal Aduan Cepat {s}", 0, True),
)

# LAPOR! categories and the OPD (by singkatan) complaints in them go to; None: the
# kecamatan office of the complaint's kelurahan
KATEGORI: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("Infrastruktur", "PUPR", ("Jalan berlubang di {j}", "Drainase tersumbat di {j}")),
    ("Kesehatan", "Dinkes", ("Antrean puskesmas terlalu lama", "Fogging belum dilakukan")),
    ("Pendidikan", "Disdikbud", ("Pungutan di sekolah", "Zonasi PPDB tidak sesuai")),
    ("Administrasi Kependudukan", "Disdukcapil", ("KTP-el belum jadi", "Blangko KIA habis")),
    ("Lingkungan Hidup", "DLH", ("Sampah menumpuk di {j}", "Bau limbah di parit")),
    ("Ketenteraman dan Ketertiban Umum", "Satpol PP", ("PKL menutup trotoar di {j}",)),
    ("Perhubungan", "Dishub", ("Lampu lalu lintas mati", "Parkir liar di {j}")),
    ("Perizinan", "DPMPTSP", ("Izin PBG tidak kunjung terbit",)),
    ("Sosial", "Dinsos", ("Bansos tidak tepat sasaran",)),
    ("Komunikasi dan Informatika", "Diskominfo", ("Wi-Fi publik tidak berfungsi",)),
    ("Pajak Daerah", "BKD", ("Tagihan PBB tidak sesuai",)),
    ("Pelayanan Kelurahan", None, ("Surat pengantar dipersulit", "Lampu jalan padam di {j}")),
)

# Statuses in LAPOR!'s order; how far a complaint got
STATUS = (
    "Belum Diverifikasi",
    "Diverifikasi",
    "Didisposisikan",
    "Ditindaklanjuti",
    "Selesai",
    "Diarsipkan",
)

EXPORT_TIME = time(6, 0)
"""When, on the day the service starts, its catalogue was exported."""
LAPOR_YEARS = 2
"""Complaints on record: this year's and last year's."""
LAPOR_PER_YEAR = (2, 5)
"""How many complaints a kelurahan files in a year, at least and at most: about a hundred
for the city, so that the portal's whole-city list stays well within one page."""


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything the service holds."""

    perangkat_daerah: tuple[Record, ...]
    aplikasi: tuple[Record, ...]
    inovasi: tuple[Record, ...]
    laporan: tuple[Record, ...]


@functools.cache
def catalogue(today: date) -> Catalogue:
    """The catalogue exported on ``today``, the same for the same day on every machine."""
    opds = opd_list()
    snapshot = datetime.combine(today, EXPORT_TIME)
    return Catalogue(
        perangkat_daerah=tuple(_perangkat_daerah(opd, snapshot) for opd in opds),
        aplikasi=_aplikasi(opds, snapshot),
        inovasi=_inovasi(opds, snapshot),
        laporan=_laporan(opds, snapshot),
    )


def _slug(opd: Opd) -> str:
    return re.sub(r"[^a-z0-9]", "", opd.singkatan.lower())


def _stamp(rng: random.Random, snapshot: datetime) -> str:
    moment = snapshot - timedelta(days=rng.randint(1, 300), minutes=rng.randint(0, 1439))
    return _text(moment)


def _text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _perangkat_daerah(opd: Opd, snapshot: datetime) -> Record:
    rng = seeded_rng("kominfo", "perangkat-daerah", opd.kode)
    office = opd.kode_wilayah or rng.choice(("61.71.01", "61.71.05"))
    return {
        "kode_skpd": opd.kode,
        "nama_skpd": opd.nama,
        "singkatan": opd.singkatan,
        "jenis_perangkat": opd.jenis.capitalize(),
        "kode_urusan": opd.urusan_kode,
        "nama_urusan": opd.urusan_nama,
        "urusan_tambahan": [
            {"kode_urusan": kode, "nama_urusan": urusan_by_code(kode).nama}
            for kode in opd.urusan_lain
        ],
        "kode_wilayah": opd.kode_wilayah,
        "alamat_kantor": street_address(rng, office),
        "website": f"https://{_slug(opd)}.pontianakkota.go.id",
        "updated_at": _stamp(rng, snapshot),
    }


def _aplikasi(opds: tuple[Opd, ...], snapshot: datetime) -> tuple[Record, ...]:
    by_singkatan = {opd.singkatan: opd for opd in opds}
    rows: list[Record] = []

    def add(opd: Opd, nama: str, deskripsi: str, jenis: str, platform: str) -> None:
        rng = seeded_rng("kominfo", "aplikasi", opd.kode, nama)
        umum = jenis == "Aplikasi Umum"
        path = re.sub(r"[^a-z0-9]+", "-", nama.lower()).strip("-")
        rows.append(
            {
                "id_aplikasi": 1001 + len(rows),
                "nama_aplikasi": nama,
                "deskripsi": deskripsi,
                "jenis_aplikasi": jenis,
                "kode_skpd_pemilik": opd.kode,
                "platform": platform,
                "url": f"https://{_slug(opd)}.pontianakkota.go.id/{path}"
                if platform == "Web"
                else None,
                "status_integrasi": "Terintegrasi"
                if umum or rng.random() < 0.55
                else "Belum Terintegrasi",
                "status_aplikasi": "Aktif" if rng.random() < 0.9 else "Tidak Aktif",
                "tahun_pembuatan": rng.randint(2012, snapshot.year - 1),
                "tgl_update": _stamp(rng, snapshot),
            }
        )

    for nama, deskripsi, singkatan, platform in APLIKASI_UMUM:
        add(by_singkatan[singkatan], nama, deskripsi, "Aplikasi Umum", platform)
    for opd in opds:
        rng = seeded_rng("kominfo", "aplikasi", opd.kode)
        add(
            opd,
            f"Website Resmi {opd.singkatan}",
            f"Situs resmi {opd.nama}",
            "Aplikasi Khusus",
            "Web",
        )
        specific = APLIKASI_KHUSUS.get(opd.singkatan, ())
        extra = rng.sample(GENERIC_KHUSUS, k=rng.randint(0, 2)) if not specific else []
        for nama, deskripsi, platform in (*specific, *extra):
            add(opd, nama.format(s=opd.singkatan), deskripsi, "Aplikasi Khusus", platform)
    return tuple(rows)


def _inovasi(opds: tuple[Opd, ...], snapshot: datetime) -> tuple[Record, ...]:
    rows: list[Record] = []
    for opd in opds:
        rng = seeded_rng("kominfo", "inovasi", opd.kode)
        specific = INOVASI_KHUSUS.get(opd.singkatan, ())
        generic = rng.sample(GENERIC_INOVASI, k=rng.randint(0 if specific else 1, 2))
        for nama, bentuk, digital in (*specific, *generic):
            urusan = rng.choice((opd.urusan_kode, *opd.urusan_lain))
            tahapan = rng.choices(TAHAPAN, weights=(2, 3, 5))[0]
            rows.append(
                {
                    "id_inovasi": 501 + len(rows),
                    "nama_inovasi": nama.format(s=opd.singkatan),
                    "bentuk_inovasi": BENTUK[bentuk],
                    "jenis_inovasi": "Digital" if digital else "Non Digital",
                    "inisiator": rng.choices(INISIATOR, weights=(2, 1, 5, 3, 1))[0],
                    "tahapan": tahapan,
                    "kode_urusan": urusan,
                    "urusan_pemerintahan": urusan_by_code(urusan).nama,
                    "kode_skpd": opd.kode,
                    "tahun": rng.randint(2019, snapshot.year),
                    "tgl_update": _stamp(rng, snapshot),
                }
            )
    return tuple(rows)


def _laporan(opds: tuple[Opd, ...], snapshot: datetime) -> tuple[Record, ...]:
    by_singkatan = {opd.singkatan: opd for opd in opds}
    kecamatan_office = {opd.kode_wilayah: opd for opd in opds if opd.kode_wilayah}
    taken: set[str] = set()
    rows: list[Record] = []
    for tahun in range(snapshot.year - LAPOR_YEARS + 1, snapshot.year + 1):
        for kelurahan in kelurahan_list():
            count = seeded_rng("kominfo", "lapor", kelurahan.kode, tahun).randint(*LAPOR_PER_YEAR)
            for nomor in range(count):
                # One generator per complaint: whether the others are shown yet, or how far
                # they got, never changes this one
                rng = seeded_rng("kominfo", "lapor", kelurahan.kode, tahun, nomor)
                lapor = _moment_in(rng, tahun)
                if lapor.date() >= snapshot.date():
                    continue  # not filed yet
                kategori = rng.choice(KATEGORI)
                singkatan = kategori[1]
                target = (
                    by_singkatan[singkatan]
                    if singkatan is not None
                    else kecamatan_office[kelurahan.kecamatan_kode]
                )
                rows.append(_complaint(rng, kelurahan, kategori, target, lapor, snapshot, taken))
    rows.sort(key=lambda row: str(row["tanggal_lapor"]))
    return tuple(rows)


def _moment_in(rng: random.Random, tahun: int) -> datetime:
    """A moment in ``tahun``, between 06:00 and 22:00 of its day."""
    first = date(tahun, 1, 1)
    day = first + timedelta(days=rng.randint(0, (date(tahun, 12, 31) - first).days))
    return datetime.combine(day, time()) + timedelta(minutes=rng.randint(6 * 60, 22 * 60))


def _complaint(
    rng: random.Random,
    kelurahan: Kelurahan,
    kategori: tuple[str, str | None, tuple[str, ...]],
    target: Opd,
    lapor: datetime,
    snapshot: datetime,
    taken: set[str],
) -> Record:
    disposisi = lapor + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
    tindak = disposisi + timedelta(days=rng.randint(1, 8), hours=rng.randint(0, 8))
    perempuan = rng.random() < 0.45
    lahir = date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28))
    street = street_address(rng, kelurahan.kecamatan_kode)
    tracking = lapor_tracking_id(rng)
    while tracking in taken:
        tracking = lapor_tracking_id(rng)
    taken.add(tracking)
    judul = rng.choice(kategori[2]).format(j=street.split(" No.")[0])
    anonim, rahasia = rng.random() < 0.2, rng.random() < 0.1
    pelapor = {
        "nama": person_name(rng, perempuan=perempuan),
        "nik": nik(rng, kelurahan.kecamatan_kode, lahir, perempuan=perempuan),
        "no_hp": f"08{rng.choice((11, 12, 13, 21, 52, 57, 95))}{rng.randrange(10**7, 10**8)}",
    }
    # How far it got depends on the day of the export: drawn last, so that nothing else
    # about the complaint changes from one day to the next
    age = (snapshot - lapor).days
    if age > 60:
        status = rng.choices((2, 3, 4, 5), weights=(1, 2, 6, 1))[0]
    else:
        furthest = min(len(STATUS) - 2, age // 4)
        status = rng.randint(min(2, furthest), furthest)
    # A step is on record only once its moment has passed
    if status >= 3 and tindak >= snapshot:
        status = 2
    if status >= 2 and disposisi >= snapshot:
        status = 1
    return {
        "tracking_id": tracking,
        "judul": judul,
        "isi_laporan": f"Mohon ditindaklanjuti, lokasi {street}, Kelurahan {kelurahan.nama}.",
        "kategori": kategori[0],
        "status": STATUS[status],
        "instansi_tujuan": nama_instansi(target),
        "kode_wilayah": kelurahan.kode,
        "tanggal_lapor": _text(lapor),
        "tanggal_disposisi": _text(disposisi) if status >= 2 else None,
        "tanggal_tindak_lanjut": _text(tindak) if status >= 3 else None,
        "anonim": anonim,
        "rahasia": rahasia,
        "pelapor": pelapor,
        "updated_at": _text(max(lapor, tindak if status >= 3 else lapor)),
    }
