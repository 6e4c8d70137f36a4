"""Plausible synthetic names for Pontianak: schools, health facilities, businesses, people,
street addresses.

Every function takes the caller's seeded generator (see :mod:`.seeding`), so the same seed
gives the same names. Names are drawn from the parts in ``data/names.json``; a generator
does not promise uniqueness (use :func:`.seeding.distinct` or number the results).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import Literal

from .datafiles import read_json
from .errors import ReferenceDataError
from .kbli import BentukUsaha, Kbli
from .wilayah import Kecamatan, Kelurahan

__all__ = [
    "RSUD_KOTA",
    "BentukSekolah",
    "NamaUsaha",
    "business_name",
    "clinic_name",
    "hospital_name",
    "person_name",
    "puskesmas_name",
    "school_name",
    "street_address",
]

RSUD_KOTA = "RSUD Sultan Syarif Mohamad Alkadrie"
"""The city-owned general hospital (a real name)."""

BentukSekolah = Literal["SD", "SMP", "SMA", "SMK", "MI", "MTs", "MA"]
"""Bentuk pendidikan as Dapodik abbreviates them (MI, MTs, MA are madrasah)."""

_MADRASAH: frozenset[str] = frozenset({"MI", "MTs", "MA"})


@dataclass(frozen=True, slots=True, kw_only=True)
class NamaUsaha:
    """A business name and the legal form it implies."""

    nama: str
    bentuk: BentukUsaha


@dataclass(frozen=True, slots=True)
class _Yayasan:
    nama: str
    bentuk: frozenset[str]
    bernomor: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class _Parts:
    yayasan: tuple[_Yayasan, ...]
    madrasah: tuple[str, ...]
    rumah_sakit_awalan: tuple[str, ...]
    rumah_sakit: tuple[str, ...]
    klinik: tuple[str, ...]
    usaha_awal: tuple[str, ...]
    usaha_akhir: tuple[str, ...]
    panggilan_pemilik: tuple[str, ...]
    nama_depan: dict[str, tuple[str, ...]]
    nama_belakang: dict[str, tuple[str, ...]]
    gang: tuple[str, ...]
    jalan: dict[str, tuple[str, ...]]


def school_name(
    rng: random.Random,
    bentuk: BentukSekolah,
    *,
    negeri: bool,
    nomor: int,
    kecamatan: Kecamatan | None = None,
) -> str:
    """A school name in Dapodik's style.

    Public schools are numbered: ``SD Negeri 01 Pontianak Barat`` (SD are numbered per
    kecamatan, so ``kecamatan`` is required), ``SMP Negeri 3 Pontianak``, ``MTs Negeri 1
    Pontianak``. Private ones carry a foundation's name, some numbered:
    ``SD Muhammadiyah 2 Pontianak``, ``SMP Swasta Immanuel``, ``MI Swasta Nurul Huda``.
    """
    if nomor < 1:
        raise ValueError("nomor starts at 1")
    if negeri:
        if bentuk == "SD":
            if kecamatan is None:
                raise ValueError("an SD Negeri is numbered within its kecamatan")
            return f"SD Negeri {nomor:02d} {kecamatan.nama}"
        return f"{bentuk} Negeri {nomor} Pontianak"
    parts = _parts()
    if bentuk in _MADRASAH:
        return f"{bentuk} Swasta {rng.choice(parts.madrasah)}"
    yayasan = rng.choice([y for y in parts.yayasan if bentuk in y.bentuk])
    if yayasan.bernomor:
        return f"{bentuk} {yayasan.nama} {nomor} Pontianak"
    return f"{bentuk} Swasta {yayasan.nama}"


def puskesmas_name(kelurahan: Kelurahan) -> str:
    """The puskesmas named after its kelurahan: ``Puskesmas Siantan Hilir``."""
    return f"Puskesmas {kelurahan.nama}"


def hospital_name(rng: random.Random) -> str:
    """A private hospital: ``RS Kapuas Husada``, ``RSIA Permata Bunda``."""
    parts = _parts()
    return f"{rng.choice(parts.rumah_sakit_awalan)} {rng.choice(parts.rumah_sakit)}"


def clinic_name(rng: random.Random) -> str:
    """A primary clinic: ``Klinik Pratama Keluarga Sehat``."""
    return f"Klinik Pratama {rng.choice(_parts().klinik)}"


def business_name(rng: random.Random, kbli: Kbli | None = None) -> NamaUsaha:
    """A business name fitting sector ``kbli`` (any sector when ``None``).

    Companies read ``CV Sinar Kapuas``, ``PT Surya Borneo Makmur``, ``UD Berkah Jaya``;
    sole proprietors trade under the shop's kind and a name or the owner's nickname:
    ``Toko Bangunan Sumber Rezeki``, ``Warung Kopi Asiang``.
    """
    parts = _parts()
    bentuk: BentukUsaha = "Perorangan" if kbli is None else _weighted_first(rng, kbli.bentuk)
    if bentuk == "PT":
        nama = f"PT {_words(rng, parts, 3)}"
    elif bentuk in ("CV", "UD"):
        nama = f"{bentuk} {_words(rng, parts, 2)}"
    else:
        sebutan = "Toko" if kbli is None else kbli.sebutan
        if rng.random() < 0.3:
            nama = f"{sebutan} {rng.choice(parts.panggilan_pemilik)}"
        else:
            nama = f"{sebutan} {_words(rng, parts, 2)}"
    return NamaUsaha(nama=nama, bentuk=bentuk)


def person_name(rng: random.Random, *, perempuan: bool) -> str:
    """A person's name as found in Pontianak: Malay, Dayak, Chinese-Indonesian, Javanese...

    Some people have one name only, as is common in Indonesia.
    """
    parts = _parts()
    sex = "P" if perempuan else "L"
    first = rng.choice(parts.nama_depan[sex])
    if rng.random() < 0.1:
        return first
    return f"{first} {rng.choice(parts.nama_belakang[sex])}"


def street_address(rng: random.Random, kecamatan_kode: str) -> str:
    """A street address in kecamatan ``kecamatan_kode``: ``Jl. Tanjung Raya II Gg. Amal No. 17``."""
    parts = _parts()
    streets = parts.jalan.get(kecamatan_kode)
    if streets is None:
        raise ValueError(f"no streets for kecamatan {kecamatan_kode!r}")
    street = rng.choice(streets)
    if rng.random() < 0.35:
        street = f"{street} {rng.choice(parts.gang)}"
    return f"{street} No. {rng.randint(1, 150)}"


def _words(rng: random.Random, parts: _Parts, count: int) -> str:
    """An opening word and ``count - 1`` different closing words: "Sinar Kapuas Abadi"."""
    first = rng.choice(parts.usaha_awal)
    rest = rng.sample([w for w in parts.usaha_akhir if w != first], count - 1)
    return " ".join([first, *rest])


def _weighted_first(rng: random.Random, options: tuple[BentukUsaha, ...]) -> BentukUsaha:
    """Pick from ``options``, the first twice as likely as each of the others."""
    weights = [2] + [1] * (len(options) - 1)
    return rng.choices(options, weights=weights)[0]


@functools.cache
def _parts() -> _Parts:
    data = read_json("names.json")
    if not isinstance(data, dict):
        raise ReferenceDataError("names.json: expected an object")
    yayasan: list[_Yayasan] = []
    for entry in _list(data, "yayasan_sekolah"):
        if not isinstance(entry, dict):
            raise ReferenceDataError("names.json: yayasan_sekolah entries are objects")
        yayasan.append(
            _Yayasan(
                nama=_str(entry.get("nama"), "yayasan_sekolah.nama"),
                bentuk=frozenset(_strings(entry, "bentuk")),
                bernomor=entry.get("bernomor") is True,
            )
        )
    return _Parts(
        yayasan=tuple(yayasan),
        madrasah=_strings(data, "madrasah"),
        rumah_sakit_awalan=_strings(data, "rumah_sakit_awalan"),
        rumah_sakit=_strings(data, "rumah_sakit"),
        klinik=_strings(data, "klinik"),
        usaha_awal=_strings(data, "usaha_awal"),
        usaha_akhir=_strings(data, "usaha_akhir"),
        panggilan_pemilik=_strings(data, "panggilan_pemilik"),
        nama_depan=_string_map(data, "nama_depan"),
        nama_belakang=_string_map(data, "nama_belakang"),
        gang=_strings(data, "gang"),
        jalan=_string_map(data, "jalan"),
    )


def _list(data: dict[object, object], key: str) -> list[object]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise ReferenceDataError(f"names.json: {key} must be a non-empty list")
    return value


def _str(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ReferenceDataError(f"names.json: {where} must be a non-empty string")
    return value


def _strings(data: dict[object, object], key: str) -> tuple[str, ...]:
    return tuple(_str(item, key) for item in _list(data, key))


def _string_map(data: dict[object, object], key: str) -> dict[str, tuple[str, ...]]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ReferenceDataError(f"names.json: {key} must be an object")
    return {_str(name, key): _strings(value, name) for name in value}
