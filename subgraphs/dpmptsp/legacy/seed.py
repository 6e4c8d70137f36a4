"""The simulated DPMPTSP systems' data, drawn deterministically from the reference data.

SYNTHETIC DATA. Field names are the systems' own: SiCantik's ``pendaftaran_id``,
``n_perizinan``, ``no_surat``, ``d_terima_berkas``...; OSS-RBA's ``nib``, ``id_izin``,
``kd_izin``, ``kd_daerah``, ``nomor_izin``, ``tgl_terbit_izin``... Volumes are plausible for
Kota Pontianak (a few thousand regional permits over five years, several hundred
businesses), every kelurahan has both. Applicants and persons in charge (name, NIK, phone)
exist here because both systems store them; the subgraph never reads them.

Both systems are exported on the day the simulator starts (:func:`perizinan`'s ``today``,
at 06:00): SiCantik's applications of this year and the four before, OSS-RBA's businesses
since mid-2019, up to the day before; a permit is as far along as its age allows. Each
year's applications and businesses of a kelurahan are drawn whole and shown up to the day
before, so a later day keeps what an earlier one showed and adds what came since; the same
day always gives the same data.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from subgraphs.reference import (
    Kelurahan,
    business_name,
    distinct,
    kbli_list,
    kecamatan_by_code,
    kelurahan_list,
    nib,
    nik,
    nomor_izin,
    person_name,
    seeded_rng,
    street_address,
)

from ..perizinan import JenisIzin, jenis_by_kd_izin, jenis_by_kode

__all__ = ["Perizinan", "Record", "first_year", "perizinan", "snapshot"]

Record = dict[str, Any]

EXPORT_TIME = time(6, 0)
"""When, on the day the simulator starts, both systems were exported."""
TAHUN_SICANTIK = 5
"""SiCantik's applications on record: this year's and the four years' before."""
OSS_SEJAK = date(2019, 6, 1)
"""The first NIB in the OSS-RBA records."""

# SiCantik permit types and how often they are asked for
SICANTIK_BOBOT: dict[str, int] = {
    "PBG": 6,
    "SLF": 2,
    "REKLAME": 4,
    "SIP": 2,
    "SIPB": 1,
    "SIPP": 2,
    "SIPA": 1,
}
# SiCantik's steps before a permit is signed, in order
TAHAPAN_PROSES = (
    "Verifikasi Berkas",
    "Peninjauan Lapangan",
    "Menunggu Pembayaran Retribusi",
    "Penandatanganan",
)
SKALA = ("Usaha Mikro", "Usaha Kecil", "Usaha Menengah", "Usaha Besar")
FOOD_KBLI = ("10710", "10750", "10794")
TOURISM_KBLI = ("55120", "56101", "56102", "56103", "56210", "56303", "79111")


@dataclass(frozen=True, slots=True)
class Perizinan:
    """Everything the two systems hold."""

    permohonan: tuple[Record, ...]
    """SiCantik applications, issued or not, in order of receipt."""
    usaha: tuple[Record, ...]
    """OSS-RBA businesses (one per NIB), each with its ``kbli`` list."""
    izin_usaha: tuple[Record, ...]
    """OSS-RBA business permits."""


def snapshot(today: date) -> datetime:
    """When the data the simulator serves from ``today`` on was exported."""
    return datetime.combine(today, EXPORT_TIME)


def first_year(today: date) -> int:
    """The first year of SiCantik's applications on record on ``today``."""
    return today.year - TAHUN_SICANTIK + 1


@functools.cache
def perizinan(today: date) -> Perizinan:
    """The data exported on ``today``, the same for the same day on every machine."""
    export = snapshot(today)
    permohonan = [row for kel in kelurahan_list() for row in _permohonan(kel, export)]
    permohonan.sort(key=lambda row: (row["d_terima_berkas"], row["pendaftaran_id"]))
    taken: set[str] = set()
    usaha = [row for kel in kelurahan_list() for row in _usaha(kel, export, taken)]
    izin_usaha = [row for row in usaha for row in _izin_usaha(row, export)]
    _number(permohonan, "no_surat", "d_terbit", lambda row: str(row["kd_perizinan"]))
    _number(izin_usaha, "nomor_izin", "tgl_terbit_izin", _kode_of)
    izin_usaha.sort(key=lambda row: str(row["tgl_permohonan"]))
    for index, row in enumerate(izin_usaha, start=1):
        row["id_izin"] = f"I-{str(row['tgl_permohonan'])[:4]}{index:07d}"
    return Perizinan(permohonan=tuple(permohonan), usaha=tuple(usaha), izin_usaha=tuple(izin_usaha))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _moment(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(hour=rng.randint(7, 15), minute=rng.randint(0, 59)))


def _day_in(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _berlaku(jenis: JenisIzin, terbit: date) -> str | None:
    if jenis.berlaku_tahun is None:
        return None
    year = terbit.year + jenis.berlaku_tahun
    # A permit issued on 29 February runs to 28 February
    return terbit.replace(
        year=year, day=min(terbit.day, 28 if terbit.month == 2 else 31)
    ).isoformat()


def _pemohon(rng: random.Random, kel: Kelurahan) -> Record:
    perempuan = rng.random() < 0.45
    lahir = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "nama": person_name(rng, perempuan=perempuan),
        "nik": nik(rng, kel.kecamatan_kode, lahir, perempuan=perempuan),
        "no_hp": f"08{rng.choice((11, 12, 13, 52, 57))}{rng.randrange(10**7, 10**8)}",
        "alamat": f"{street_address(rng, kel.kecamatan_kode)}, Kelurahan {kel.nama}",
    }


def _permohonan(kel: Kelurahan, export: datetime) -> list[Record]:
    kecamatan = kecamatan_by_code(kel.kecamatan_kode).nama
    kodes = list(SICANTIK_BOBOT)
    weights = list(SICANTIK_BOBOT.values())
    rows: list[Record] = []
    for tahun in range(first_year(export.date()), export.year + 1):
        count = seeded_rng("dpmptsp", "sicantik", kel.kode, tahun).randint(10, 24)
        for nomor in range(count):
            # One generator per application: whether the others are shown yet, or how far
            # they got, never changes this one
            rng = seeded_rng("dpmptsp", "sicantik", kel.kode, tahun, nomor)
            jenis = jenis_by_kode(rng.choices(kodes, weights=weights)[0])
            assert jenis is not None
            terima = _moment(rng, _day_in(rng, date(tahun, 1, 2), date(tahun, 12, 31)))
            if terima.date() >= export.date():
                continue  # not received yet
            selesai = terima + timedelta(days=rng.randint(3, 45), hours=rng.randint(0, 6))
            pemohon = _pemohon(rng, kel)
            # Registration ids: year, kelurahan, sequence (unique across the city)
            pendaftaran = f"{tahun % 100:02d}{kel.digits[4:]}{nomor:04d}"
            row: Record = {
                "pendaftaran_id": pendaftaran,
                "no_permohonan": f"PMH/{tahun}/{pendaftaran}",
                "kd_perizinan": jenis.kode,
                "n_perizinan": jenis.nama,
                "no_surat": None,
                "d_terima_berkas": _stamp(terima),
                "d_terbit": None,
                "d_berlaku_sampai": None,
                "status": "",
                "kd_kelurahan": kel.kode_bps,
                "n_kelurahan": kel.nama.upper(),
                "n_kecamatan": kecamatan.upper(),
                "nik_pemohon": pemohon["nik"],
                "n_pemohon": pemohon["nama"],
                "no_hp_pemohon": pemohon["no_hp"],
                "alamat_pemohon": pemohon["alamat"],
                "d_update": _stamp(terima),
            }
            if selesai >= export:
                elapsed = (export - terima) / (selesai - terima)
                row["status"] = TAHAPAN_PROSES[min(3, int(elapsed * len(TAHAPAN_PROSES)))]
                row["d_update"] = _stamp(terima + (export - terima) / 2)
            elif rng.random() < 0.1:
                row["status"] = "Ditolak"
                row["d_update"] = _stamp(selesai)
            else:
                row["status"] = "Dicabut" if rng.random() < 0.03 else "Terbit"
                row["d_terbit"] = selesai.date().isoformat()
                row["d_berlaku_sampai"] = _berlaku(jenis, selesai.date())
                row["d_update"] = _stamp(selesai)
            rows.append(row)
    return rows


def _usaha(kel: Kelurahan, export: datetime, taken: set[str]) -> list[Record]:
    sectors = kbli_list()
    rows: list[Record] = []
    for tahun in range(OSS_SEJAK.year, export.year + 1):
        count = seeded_rng("dpmptsp", "oss", kel.kode, tahun).randint(2, 4)
        for nomor in range(count):
            rng = seeded_rng("dpmptsp", "oss", kel.kode, tahun, nomor)
            terbit = _day_in(rng, max(date(tahun, 1, 1), OSS_SEJAK), date(tahun, 12, 31))
            if terbit >= export.date():
                continue  # not registered yet
            nib_ = distinct(functools.partial(nib, terbit=terbit), rng, 1, taken=taken)[0]
            chosen = rng.sample(sectors, k=rng.choices((1, 2, 3), weights=(6, 3, 1))[0])
            nama = business_name(rng, chosen[0])
            skala = rng.choices(SKALA, weights=(70, 22, 6, 2))[0]
            # A sole proprietor stays small; a PT is rarely micro
            if nama.bentuk == "Perorangan" and skala in SKALA[2:]:
                skala = SKALA[0]
            elif nama.bentuk == "PT" and skala == SKALA[0]:
                skala = SKALA[1]
            pj = _pemohon(rng, kel)
            changed = terbit + timedelta(days=rng.randint(0, 730))
            rows.append(
                {
                    "nib": nib_,
                    "nama_perusahaan": nama.nama,
                    "jenis_perusahaan": nama.bentuk,
                    "skala_usaha": skala,
                    "kd_daerah": kel.digits,
                    "alamat_usaha": street_address(rng, kel.kecamatan_kode),
                    "tgl_terbit_nib": terbit.isoformat(),
                    "kbli": [{"kode_kbli": k.kode, "judul_kbli": k.judul} for k in chosen],
                    "nik_penanggung_jawab": pj["nik"],
                    "nama_penanggung_jawab": pj["nama"],
                    "no_telp_penanggung_jawab": pj["no_hp"],
                    # A change still to come is not in the export: the record as registered
                    "tgl_perubahan": _stamp(
                        _moment(rng, changed if changed < export.date() else terbit)
                    ),
                }
            )
    return rows


def _izin_usaha(usaha: Record, export: datetime) -> list[Record]:
    rng = seeded_rng("dpmptsp", "oss-izin", usaha["nib"])
    primary = usaha["kbli"][0]["kode_kbli"]
    if primary in FOOD_KBLI:
        first = "SPPIRT"
    elif primary in TOURISM_KBLI:
        first = "TDUP"
    elif usaha["skala_usaha"] in SKALA[:2]:
        first = "IUMK"
    else:
        first = "SS"
    kodes = [first] + (["SS"] if first != "SS" and rng.random() < 0.35 else [])
    registered = date.fromisoformat(usaha["tgl_terbit_nib"])
    rows: list[Record] = []
    for index, kode in enumerate(kodes):
        jenis = jenis_by_kode(kode)
        assert jenis is not None and jenis.kd_izin is not None
        kbli = rng.choice(usaha["kbli"])["kode_kbli"] if kode == "SS" else primary
        # The first permit is applied for with the NIB; a further one within two years
        mohon = _moment(rng, registered + timedelta(days=0 if index == 0 else rng.randint(1, 730)))
        selesai = mohon + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 6))
        draw = rng.random()
        if mohon >= export:
            continue  # not applied for yet
        row: Record = {
            "id_izin": "",
            "nib": usaha["nib"],
            "kd_izin": jenis.kd_izin,
            "nama_izin": jenis.nama,
            "kbli": kbli,
            "kd_daerah": usaha["kd_daerah"],
            "nomor_izin": None,
            "tgl_permohonan": _stamp(mohon),
            "tgl_terbit_izin": None,
            "tgl_berlaku_izin": None,
            "status_izin": "Proses Verifikasi",
            "tgl_update": _stamp(mohon),
        }
        if selesai < export:
            row["tgl_update"] = _stamp(selesai)
            if draw < 0.05:
                row["status_izin"] = "Ditolak"
            else:
                row["status_izin"] = "Dicabut" if draw < 0.08 else "Terbit"
                row["tgl_terbit_izin"] = selesai.date().isoformat()
                row["tgl_berlaku_izin"] = _berlaku(jenis, selesai.date())
        rows.append(row)
    return rows


def _kode_of(row: Record) -> str:
    jenis = jenis_by_kd_izin(str(row["kd_izin"]))
    assert jenis is not None
    return jenis.kode


def _number(rows: list[Record], field: str, issued: str, kode: Callable[[Record], str]) -> None:
    """Give issued permits their numbers: per type and year, in order of issue."""
    counters: dict[tuple[str, int], int] = defaultdict(int)
    for row in sorted((r for r in rows if r[issued]), key=lambda r: (r[issued], str(r))):
        key = (kode(row), int(str(row[issued])[:4]))
        counters[key] += 1
        row[field] = nomor_izin(key[0], counters[key], key[1])
