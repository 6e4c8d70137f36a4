"""The two exports Dinkes drops in the shared folder, in their own formats: SYNTHETIC data.

- ``satusehat_fasyankes_6171.json``: a FHIR R4 ``Bundle`` (type ``collection``) as pulled
  from SATUSEHAT, one ``Organization`` and one ``Location`` per facility. The facility
  code is the ``identifier`` with system :data:`FASYANKES_SYSTEM`; the Location carries the
  kind (``type``), the address with SATUSEHAT's ``administrativeCode`` extension
  (``province`` ``61``, ``city`` ``6171``, ``district`` ``617101``, ``village``
  ``6171011001``: Kemendagri codes without dots), the ``position`` and
  ``managingOrganization``; the Organization its telephone and its head as ``contact``
  (a person: never to leave this file). Identifier and type systems are samples.
- ``registri_fasyankes_dinkes.csv``: the city's facility registry as its spreadsheet
  exports it: ``;``-separated, a byte order mark, Indonesian column names and words
  (``jenis_faskes`` ``Puskesmas``, ``rawat_inap`` ``Ya``/``Tidak``, ``kelurahan`` by name,
  ``tgl_update`` as ``dd/mm/yyyy``), ``layanan`` comma-separated.

:func:`write_exports` writes both atomically: a temporary file in the same folder, then a
rename, so a reader sees the old version or the new one, never half of one. ``today`` is
the exports' day; ``revision`` numbers the drops of a running exporter: each later drop
touches one facility (its record is updated that day), as a day of edits would.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from subgraphs.reference import kecamatan_by_code

from .seed import Faskes, Jenis, fasilitas

__all__ = [
    "ADMINISTRATIVE_CODE_URL",
    "CSV_COLUMNS",
    "CSV_EXPORT",
    "FASYANKES_SYSTEM",
    "JENIS_FASYANKES_SYSTEM",
    "JENIS_REGISTRI",
    "JSON_EXPORT",
    "fhir_bundle",
    "registry_csv",
    "revised",
    "write_atomic",
    "write_exports",
]

JSON_EXPORT = "satusehat_fasyankes_6171.json"
CSV_EXPORT = "registri_fasyankes_dinkes.csv"

FASYANKES_SYSTEM = "http://sys-ids.kemkes.go.id/fasyankes"
JENIS_FASYANKES_SYSTEM = "http://terminology.kemkes.go.id/CodeSystem/jenis-fasyankes"
ADMINISTRATIVE_CODE_URL = "https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode"
WIB = timezone(timedelta(hours=7))

JENIS_FHIR: dict[Jenis, tuple[str, str]] = {
    "puskesmas": ("puskesmas", "Puskesmas"),
    "pustu": ("pustu", "Puskesmas Pembantu"),
    "rumah_sakit": ("rumah-sakit", "Rumah Sakit"),
    "klinik": ("klinik-pratama", "Klinik Pratama"),
    "laboratorium": ("laboratorium-klinik", "Laboratorium Klinik"),
}
JENIS_REGISTRI: dict[Jenis, str] = {
    "puskesmas": "Puskesmas",
    "pustu": "Pustu",
    "rumah_sakit": "Rumah Sakit",
    "klinik": "Klinik Pratama",
    "laboratorium": "Laboratorium Klinik",
}
CSV_COLUMNS = (
    "kode_faskes",
    "nama_faskes",
    "jenis_faskes",
    "kepemilikan",
    "kecamatan",
    "kelurahan",
    "alamat",
    "layanan",
    "jam_buka",
    "rawat_inap",
    "no_telp",
    "tgl_update",
)


def revised(revision: int, today: date, faskes: Sequence[Faskes] | None = None) -> list[Faskes]:
    """The facilities as of drop ``revision`` on ``today``: drop ``n`` updates facility
    ``n - 1``'s record that day."""
    found = list(faskes if faskes is not None else fasilitas(today))
    for n in range(1, revision + 1):
        index = (n - 1) % len(found)
        found[index] = replace(found[index], diperbarui=today)
    return found


def fhir_bundle(faskes: Sequence[Faskes], today: date, revision: int = 0) -> dict[str, Any]:
    """SATUSEHAT's side: a Bundle of Organization and Location resources, pulled on
    ``today`` (a minute later for each later drop)."""
    entries: list[dict[str, Any]] = []
    for item in faskes:
        if not item.di_satusehat:
            continue
        organization, location = _organization(item), _location(item)
        for resource in (organization, location):
            entries.append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})
    return {
        "resourceType": "Bundle",
        "id": str(_uuid("bundle", str(revision))),
        "meta": {
            "lastUpdated": _instant(today, minutes=revision),
            "tag": [{"code": "SYNTHETIC", "display": "Data sintetis (simulasi)"}],
        },
        "type": "collection",
        "timestamp": _instant(today, minutes=revision),
        "total": len(entries),
        "entry": entries,
    }


def registry_csv(faskes: Sequence[Faskes]) -> bytes:
    """The city registry's side: its spreadsheet export."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in faskes:
        if not item.di_registri:
            continue
        kecamatan = item.kelurahan.kecamatan_kode
        writer.writerow(
            (
                item.kode,
                item.nama,
                JENIS_REGISTRI[item.jenis],
                item.kepemilikan,
                _kecamatan_nama(kecamatan),
                item.kelurahan.nama,
                item.alamat,
                ", ".join(item.layanan),
                item.jam_buka,
                "Ya" if item.rawat_inap else "Tidak",
                item.telepon,
                item.diperbarui.strftime("%d/%m/%Y"),
            )
        )
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def write_atomic(folder: Path, filename: str, content: bytes) -> Path:
    """Write ``content`` to ``folder/filename`` through a temporary file and a rename."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / filename
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{filename}.", suffix=".tmp")
    try:
        os.fchmod(handle, 0o644)  # mkstemp's 0600 would hide the export from other readers
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def write_exports(folder: Path, today: date, revision: int = 0) -> list[Path]:
    """Drop both exports of ``revision`` on ``today`` into ``folder``; their paths."""
    faskes = revised(revision, today)
    bundle = orjson.dumps(fhir_bundle(faskes, today, revision), option=orjson.OPT_INDENT_2)
    return [
        write_atomic(folder, JSON_EXPORT, bundle),
        write_atomic(folder, CSV_EXPORT, registry_csv(faskes)),
    ]


def _organization(item: Faskes) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": str(_uuid("organization", item.kode)),
        "meta": {"lastUpdated": _instant(item.diperbarui)},
        "identifier": [{"use": "official", "system": FASYANKES_SYSTEM, "value": item.kode}],
        "active": True,
        "type": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/organization-type",
                        "code": "prov",
                        "display": "Healthcare Provider",
                    }
                ]
            }
        ],
        "name": item.nama,
        "telecom": [{"system": "phone", "value": item.telepon, "use": "work"}],
        "address": [_address(item)],
        "contact": [
            {
                "purpose": {"text": "Kepala fasilitas"},
                "name": {"use": "official", "text": item.kepala},
            }
        ],
    }


def _location(item: Faskes) -> dict[str, Any]:
    code, display = JENIS_FHIR[item.jenis]
    return {
        "resourceType": "Location",
        "id": str(_uuid("location", item.kode)),
        "meta": {"lastUpdated": _instant(item.diperbarui)},
        "identifier": [{"use": "official", "system": FASYANKES_SYSTEM, "value": item.kode}],
        "status": "active",
        "name": item.nama,
        "mode": "instance",
        "type": [
            {"coding": [{"system": JENIS_FASYANKES_SYSTEM, "code": code, "display": display}]}
        ],
        "address": _address(item),
        "physicalType": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/location-physical-type",
                    "code": "bu",
                    "display": "Building",
                }
            ]
        },
        "position": {"longitude": item.bujur, "latitude": item.lintang},
        "managingOrganization": {"reference": f"Organization/{_uuid('organization', item.kode)}"},
    }


def _address(item: Faskes) -> dict[str, Any]:
    kelurahan = item.kelurahan
    digits = kelurahan.digits
    return {
        "use": "work",
        "line": [item.alamat],
        "city": "Kota Pontianak",
        "country": "ID",
        "extension": [
            {
                "url": ADMINISTRATIVE_CODE_URL,
                "extension": [
                    {"url": "province", "valueCode": digits[:2]},
                    {"url": "city", "valueCode": digits[:4]},
                    {"url": "district", "valueCode": digits[:6]},
                    {"url": "village", "valueCode": digits},
                ],
            }
        ],
    }


def _kecamatan_nama(kode: str) -> str:
    return kecamatan_by_code(kode).nama


def _uuid(kind: str, key: str) -> uuid.UUID:
    # Stable ids: the same facility keeps its resource ids across drops
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:simpul:dinkes:{kind}:{key}")


def _instant(day: date, minutes: int = 0) -> str:
    moment = datetime.combine(day, time(8, 0), tzinfo=WIB) + timedelta(minutes=minutes)
    return moment.isoformat()
