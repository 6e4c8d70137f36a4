"""One record per facility, joined from SATUSEHAT's Bundle and the city registry's CSV.

The export formats stop here: the rest of the subgraph sees :class:`Fasilitas`, in the
graph's words (``PUSKESMAS``, ``PEMERINTAH``, ``61.71.01.1001``). For each field one export
is preferred and the other fills in when the first lacks the facility:

- SATUSEHAT: name, kind, address, kelurahan (its ``village`` code), position;
- the registry: ownership, services, opening hours, rawat inap, telephone (SATUSEHAT's
  Organization telephone when the registry lacks the facility).

A facility found in one export only still appears with what that export knows, and
``sumber`` names the exports it came from. A record without its facility code, name or a
known kind makes the whole export unreadable (``UpstreamBadResponse``): dropping it would
hide a facility without a word. A kelurahan the registry spells in a way the reference
data does not know is left empty instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from subgraphs.reference import KELURAHAN_KODE_RE, UnknownCodeError, kelurahan_by_name
from subgraphs.toolkit import UpstreamBadResponse
from subgraphs.toolkit.adapters import Record

from .legacy.exports import (
    ADMINISTRATIVE_CODE_URL,
    CSV_EXPORT,
    FASYANKES_SYSTEM,
    JENIS_FASYANKES_SYSTEM,
    JSON_EXPORT,
)

__all__ = ["SUMBER_REGISTRI", "SUMBER_SATUSEHAT", "Fasilitas", "Katalog", "gabung"]

SUMBER_SATUSEHAT = "SATUSEHAT (Kementerian Kesehatan)"
SUMBER_REGISTRI = "Registri Fasyankes Dinas Kesehatan Kota Pontianak"

# Each export's words for the graph's kinds and owners
T = TypeVar("T")

JENIS_SATUSEHAT = {
    "puskesmas": "PUSKESMAS",
    "pustu": "PUSKESMAS_PEMBANTU",
    "rumah-sakit": "RUMAH_SAKIT",
    "klinik-pratama": "KLINIK",
    "klinik-utama": "KLINIK",
    "laboratorium-klinik": "LABORATORIUM",
}
JENIS_REGISTRI = {
    "Puskesmas": "PUSKESMAS",
    "Pustu": "PUSKESMAS_PEMBANTU",
    "Rumah Sakit": "RUMAH_SAKIT",
    "Klinik Pratama": "KLINIK",
    "Klinik Utama": "KLINIK",
    "Laboratorium Klinik": "LABORATORIUM",
}
KEPEMILIKAN = {
    "Pemerintah Kota": "PEMERINTAH",
    "Pemerintah Provinsi": "PEMERINTAH",
    "Pemerintah Pusat": "PEMERINTAH",
    "TNI/Polri": "PEMERINTAH",
    "Swasta": "SWASTA",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Fasilitas:
    """A health facility in the graph's terms."""

    kode: str
    nama: str
    jenis: str
    kepemilikan: str | None = None
    alamat: str | None = None
    kelurahan: str | None = None
    layanan: tuple[str, ...] = ()
    jam_buka: str | None = None
    rawat_inap: bool | None = None
    telepon: str | None = None
    lintang: float | None = None
    bujur: float | None = None
    sumber: tuple[str, ...] = ()
    diperbarui: date | None = None

    @property
    def kecamatan(self) -> str | None:
        """The kecamatan code, from the kelurahan's."""
        return self.kelurahan[:8] if self.kelurahan else None


@dataclass(frozen=True, slots=True)
class Katalog:
    """Every facility of one version of both exports, by code and by kelurahan."""

    fasilitas: tuple[Fasilitas, ...]
    by_kode: Mapping[str, Fasilitas] = field(init=False)
    by_kelurahan: Mapping[str, tuple[Fasilitas, ...]] = field(init=False)

    def __post_init__(self) -> None:
        groups: dict[str, list[Fasilitas]] = {}
        for item in self.fasilitas:
            if item.kelurahan is not None:
                groups.setdefault(item.kelurahan, []).append(item)
        object.__setattr__(self, "by_kode", {item.kode: item for item in self.fasilitas})
        object.__setattr__(self, "by_kelurahan", {k: tuple(v) for k, v in groups.items()})


def gabung(
    entries: Iterable[Record], rows: Iterable[Record], *, satusehat: str, registri: str
) -> Katalog:
    """Join the Bundle's ``entries`` and the registry's ``rows``; ``satusehat`` and
    ``registri`` name the adapters in errors."""
    dari_satusehat = _from_bundle(list(entries), satusehat)
    dari_registri = _from_registry(list(rows), registri)
    kodes = sorted(dari_satusehat.keys() | dari_registri.keys())
    return Katalog(tuple(_merged(dari_satusehat.get(k), dari_registri.get(k)) for k in kodes))


def _merged(fhir: Fasilitas | None, registry: Fasilitas | None) -> Fasilitas:
    if fhir is None or registry is None:
        found = fhir or registry
        assert found is not None
        return found
    dates = [d for d in (fhir.diperbarui, registry.diperbarui) if d is not None]
    return Fasilitas(
        kode=fhir.kode,
        nama=fhir.nama,
        jenis=fhir.jenis,
        kepemilikan=registry.kepemilikan,
        alamat=fhir.alamat or registry.alamat,
        kelurahan=fhir.kelurahan or registry.kelurahan,
        layanan=registry.layanan,
        jam_buka=registry.jam_buka,
        rawat_inap=registry.rawat_inap,
        telepon=registry.telepon or fhir.telepon,
        lintang=fhir.lintang,
        bujur=fhir.bujur,
        sumber=(*fhir.sumber, *registry.sumber),
        diperbarui=max(dates) if dates else None,
    )


# -- SATUSEHAT's Bundle -----------------------------------------------------------------


def _from_bundle(entries: list[Record], upstream: str) -> dict[str, Fasilitas]:
    """Facilities from the Locations, with their Organization's telephone."""
    phones: dict[str, str] = {}
    locations: list[tuple[int, Mapping[str, Any]]] = []
    for index, entry in enumerate(entries):
        resource = entry.get("resource")
        if not isinstance(resource, Mapping):
            raise _bad(upstream, JSON_EXPORT, index, "no resource")
        kind = resource.get("resourceType")
        if kind == "Location":
            locations.append((index, resource))
        elif kind == "Organization":
            kode, phone = _read(upstream, JSON_EXPORT, index, _organization, resource)
            if kode and phone:
                phones[kode] = phone
    found: dict[str, Fasilitas] = {}
    for index, location in locations:
        item = _read(upstream, JSON_EXPORT, index, _location, location, phones)
        found.setdefault(item.kode, item)
    return found


def _organization(resource: Mapping[str, Any]) -> tuple[str | None, str | None]:
    return _fasyankes(resource), _phone(resource)


def _location(resource: Mapping[str, Any], phones: Mapping[str, str]) -> Fasilitas:
    kode = _fasyankes(resource)
    if not kode:
        raise ValueError(f"no identifier with system {FASYANKES_SYSTEM}")
    nama = resource.get("name")
    if not isinstance(nama, str) or not nama.strip():
        raise ValueError("no name")
    codes = [
        coding.get("code")
        for concept in resource.get("type") or []
        for coding in concept.get("coding") or []
        if coding.get("system") == JENIS_FASYANKES_SYSTEM
    ]
    jenis = next((JENIS_SATUSEHAT[c] for c in codes if c in JENIS_SATUSEHAT), None)
    if jenis is None:
        raise ValueError(f"no known facility type in {codes!r}")
    address = resource.get("address") or {}
    lines = address.get("line") or []
    position = resource.get("position") or {}
    updated = (resource.get("meta") or {}).get("lastUpdated")
    return Fasilitas(
        kode=kode,
        nama=nama.strip(),
        jenis=jenis,
        alamat=str(lines[0]) if lines else None,
        kelurahan=_village(address),
        telepon=phones.get(kode),
        lintang=_number(position.get("latitude")),
        bujur=_number(position.get("longitude")),
        sumber=(SUMBER_SATUSEHAT,),
        diperbarui=datetime.fromisoformat(updated).date() if updated else None,
    )


def _fasyankes(resource: Mapping[str, Any]) -> str | None:
    for identifier in resource.get("identifier") or []:
        if isinstance(identifier, Mapping) and identifier.get("system") == FASYANKES_SYSTEM:
            value = identifier.get("value")
            return str(value) if value else None
    return None


def _phone(resource: Mapping[str, Any]) -> str | None:
    for telecom in resource.get("telecom") or []:
        if isinstance(telecom, Mapping) and telecom.get("system") == "phone":
            value = telecom.get("value")
            return str(value) if value else None
    return None


def _village(address: Mapping[str, Any]) -> str | None:
    """The kelurahan code from SATUSEHAT's administrativeCode extension (``6171011001``)."""
    for extension in address.get("extension") or []:
        if extension.get("url") != ADMINISTRATIVE_CODE_URL:
            continue
        for part in extension.get("extension") or []:
            if part.get("url") == "village":
                digits = str(part.get("valueCode") or "")
                kode = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
                return kode if KELURAHAN_KODE_RE.match(kode) else None
    return None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a coordinate: {value!r}")
    return float(value)


# -- the registry's CSV -----------------------------------------------------------------


def _from_registry(rows: list[Record], upstream: str) -> dict[str, Fasilitas]:
    found: dict[str, Fasilitas] = {}
    for index, row in enumerate(rows):
        item = _read(upstream, CSV_EXPORT, index, _registry_row, row)
        found.setdefault(item.kode, item)
    return found


def _registry_row(row: Record) -> Fasilitas:
    kode, nama, jenis = row.get("kode_faskes"), row.get("nama_faskes"), row.get("jenis_faskes")
    if not kode or not nama or not jenis:
        raise ValueError("kode_faskes, nama_faskes and jenis_faskes are required")
    if jenis not in JENIS_REGISTRI:
        raise ValueError(f"unknown jenis_faskes {jenis!r}")
    kepemilikan = row.get("kepemilikan")
    layanan = row.get("layanan") or ""
    rawat_inap = row.get("rawat_inap")
    updated = row.get("tgl_update")
    return Fasilitas(
        kode=kode.strip(),
        nama=nama.strip(),
        jenis=JENIS_REGISTRI[jenis],
        kepemilikan=KEPEMILIKAN.get(kepemilikan) if kepemilikan else None,
        alamat=row.get("alamat"),
        kelurahan=_kelurahan_by_name(row.get("kelurahan")),
        layanan=tuple(part.strip() for part in layanan.split(",") if part.strip()),
        jam_buka=row.get("jam_buka"),
        rawat_inap={"Ya": True, "Tidak": False}.get(rawat_inap) if rawat_inap else None,
        telepon=row.get("no_telp"),
        sumber=(SUMBER_REGISTRI,),
        diperbarui=datetime.strptime(updated, "%d/%m/%Y").date() if updated else None,
    )


def _kelurahan_by_name(nama: str | None) -> str | None:
    if not nama:
        return None
    try:
        return kelurahan_by_name(nama).kode
    except UnknownCodeError:
        return None


def _read(upstream: str, filename: str, index: int, read: Callable[..., T], *args: Any) -> T:
    """``read(*args)`` for record ``index``; a record of the wrong shape (a missing field,
    a list where an object belongs) is the export's fault, not a crash."""
    try:
        return read(*args)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise _bad(upstream, filename, index, str(error)) from error


def _bad(upstream: str, filename: str, index: int, why: str) -> UpstreamBadResponse:
    # The detail goes to the logs only; it names the file, never the folder
    return UpstreamBadResponse(upstream, f"{filename}: record {index + 1}: {why}")
