"""The open-data portal's catalogue: organisations, groups and data sets as CKAN stores them.

Built from the city's list of data (``data/daftar_data.csv``: what each OPD publishes) and
the OPD registry (``subgraphs.reference``), deterministically for a given day: the same
``today`` gives the same catalogue, and a later one adds the resources published since (a
yearly data set's file for a year appears early in the next year; monthly, quarterly and
half-yearly ones are updated a little after each period ends). Every value is shaped as
CKAN 2.10's action API returns it (``package_show``, ``organization_show``), so the
simulator only filters, sorts and pages these dicts.

The titles, topics and units follow Indonesian kota open-data portals; ids, dates, sizes,
formats and licences are synthetic.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from subgraphs.reference import Opd, opd_list, seeded_rng
from subgraphs.reference.datafiles import read_csv

__all__ = [
    "FORMATS",
    "GROUPS",
    "LICENSES",
    "Catalogue",
    "catalogue",
    "published_until",
    "slug",
]

Record = dict[str, Any]

WALIDATA = "Dinas Komunikasi dan Informatika Kota Pontianak"
_NAMESPACE = uuid.UUID("6f0c2a52-8f0e-4c1c-9d4e-5a7e0b1c2d3e")
_MAX_YEARS = 8
"""Years of files a data set keeps on the portal (older ones are archived elsewhere)."""

GROUPS: Mapping[str, tuple[str, str]] = {
    "kependudukan": ("Kependudukan", "Penduduk, keluarga dan dokumen kependudukan."),
    "pendidikan": ("Pendidikan", "Sekolah, peserta didik, guru dan perpustakaan."),
    "kesehatan": ("Kesehatan", "Fasilitas, tenaga dan layanan kesehatan."),
    "ekonomi": ("Ekonomi", "Perizinan, investasi, usaha dan perdagangan."),
    "keuangan-daerah": ("Keuangan Daerah", "APBD, pendapatan, belanja dan aset daerah."),
    "pemerintahan": ("Pemerintahan", "Kinerja, kepegawaian dan layanan pemerintahan."),
    "infrastruktur": ("Infrastruktur", "Jalan, drainase, permukiman dan jaringan."),
    "sosial": ("Sosial", "Perlindungan sosial, keluarga dan kemiskinan."),
    "lingkungan-hidup": (
        "Lingkungan Hidup",
        "Sampah, ruang terbuka hijau dan kualitas lingkungan.",
    ),
    "perhubungan": ("Perhubungan", "Angkutan, parkir dan pengujian kendaraan."),
    "pariwisata-kebudayaan": (
        "Pariwisata dan Kebudayaan",
        "Wisata, olahraga, seni dan cagar budaya.",
    ),
    "pertanian-pangan": (
        "Pertanian dan Pangan",
        "Produksi pangan, perikanan dan ketahanan pangan.",
    ),
    "ketenagakerjaan": ("Ketenagakerjaan", "Pencari kerja, lowongan dan industri."),
    "kebencanaan": ("Kebencanaan", "Kejadian bencana dan kebakaran."),
}
"""The portal's groups (CKAN's topics), by name: title and description."""

LICENSES: Mapping[str, tuple[str, str]] = {
    "cc-by": ("Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by"),
    "cc-by-sa": (
        "Creative Commons Attribution Share-Alike",
        "http://www.opendefinition.org/licenses/cc-by-sa",
    ),
    "other-open": ("Other (Open)", ""),
}
"""The licences in use, by CKAN licence id: title and URL."""

FORMATS: Mapping[str, tuple[str, str]] = {
    "CSV": ("csv", "text/csv"),
    "XLSX": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "JSON": ("json", "application/json"),
    "PDF": ("pdf", "application/pdf"),
}
"""Resource formats: file extension and media type."""

_PERIOD_MONTHS = {"Bulanan": 1, "Triwulanan": 3, "Semesteran": 6}
_TINGKAT = ("Kota", "Kecamatan", "Kelurahan")
_COLUMNS = ("produsen", "judul", "topik", "tingkat", "frekuensi", "satuan", "kode_data", "sejak")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything the portal holds, as CKAN dicts (resource URLs relative to the site)."""

    organizations: tuple[Record, ...]
    groups: tuple[Record, ...]
    packages: tuple[Record, ...]
    today: date


def slug(text: str) -> str:
    """A CKAN name for ``text``: lower case ASCII letters, digits and dashes, at most 100."""
    lowered = text.lower().replace("!", "")
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-")[:100].rstrip("-")


def published_until(frekuensi: str, today: date) -> date:
    """The last day a data set of ``frekuensi`` has figures for on ``today``: the end of
    the last whole period (a year for yearly data; a month, quarter or half year otherwise)
    whose file is out, files coming out 20 days after their period (yearly ones by the end
    of March)."""
    months = _PERIOD_MONTHS.get(frekuensi)
    if months is None:
        year_end = date(today.year - 1, 12, 31)
        return year_end if today >= date(today.year, 3, 31) else date(today.year - 2, 12, 31)
    period_end = _period_start(today, months) - timedelta(days=1)
    if today < period_end + timedelta(days=20):
        period_end = _period_start(period_end, months) - timedelta(days=1)
    return period_end


def _period_start(day: date, months: int) -> date:
    first_month = (day.month - 1) // months * months + 1
    return date(day.year, first_month, 1)


@functools.cache
def catalogue(today: date) -> Catalogue:
    """The catalogue as it stands on ``today``."""
    opds = opd_list()
    by_singkatan = {opd.singkatan: opd for opd in opds}
    organizations = {opd.kode: _organization(opd) for opd in opds}
    packages: list[Record] = []
    seen: set[str] = set()
    for row in read_csv("daftar_data.csv", _COLUMNS, package="subgraphs.satudata.legacy"):
        producers = opds if row["produsen"] == "*" else (by_singkatan[row["produsen"]],)
        for opd in producers:
            package = _package(row, opd, organizations[opd.kode], today)
            if package is None:
                continue
            if package["name"] in seen:
                raise ValueError(f"daftar_data.csv: two data sets named {package['name']!r}")
            seen.add(package["name"])
            packages.append(package)
    counts: dict[str, int] = {}
    for package in packages:
        counts[package["owner_org"]] = counts.get(package["owner_org"], 0) + 1
    orgs = tuple(
        {**org, "package_count": counts.get(org["id"], 0)} for org in organizations.values()
    )
    groups = tuple(_group(name, packages) for name in GROUPS)
    return Catalogue(orgs, groups, tuple(packages), today)


def _organization(opd: Opd) -> Record:
    name = slug(opd.singkatan)
    rng = seeded_rng("satudata", "organization", name)
    created = datetime.combine(date(2019, 1, 1) + timedelta(days=rng.randrange(400)), time(9))
    return {
        "id": str(uuid.uuid5(_NAMESPACE, f"organization:{name}")),
        "name": name,
        "title": opd.nama,
        "display_name": opd.nama,
        "type": "organization",
        "description": f"Produsen data: {opd.nama}, Pemerintah Kota Pontianak.",
        "image_url": "",
        "image_display_url": "",
        "created": created.isoformat(),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "extras": [{"key": "kode_skpd", "value": opd.kode, "state": "active"}],
    }


def _group(name: str, packages: list[Record]) -> Record:
    title, description = GROUPS[name]
    return {
        "id": str(uuid.uuid5(_NAMESPACE, f"group:{name}")),
        "name": name,
        "title": title,
        "display_name": title,
        "description": description,
        "type": "group",
        "image_url": "",
        "image_display_url": "",
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "created": "2019-03-01T09:00:00",
        "package_count": sum(
            1 for package in packages if any(g["name"] == name for g in package["groups"])
        ),
    }


def _package(row: Mapping[str, str], opd: Opd, org: Record, today: date) -> Record | None:
    title = row["judul"].format(opd=opd.nama)
    # CKAN names stop at 100 characters: the short name keeps long OPD names apart
    name = slug(row["judul"].format(opd=opd.singkatan))
    topik, tingkat, frekuensi = row["topik"], row["tingkat"], row["frekuensi"]
    if topik not in GROUPS or tingkat not in _TINGKAT:
        raise ValueError(f"daftar_data.csv: {title!r} has topik {topik!r}, tingkat {tingkat!r}")
    until = published_until(frekuensi, today)
    first = max(int(row["sejak"]), until.year - _MAX_YEARS + 1)
    if first > until.year:
        return None  # nothing out yet
    rng = seeded_rng("satudata", "package", name)
    package_id = str(uuid.uuid5(_NAMESPACE, f"package:{name}"))
    formats = _formats(row["satuan"], rng.random())
    resources: list[Record] = []
    for year in range(first, until.year + 1):
        # the file of a year (or the year so far) comes out after its last period
        period_end = min(date(year, 12, 31), until)
        out = period_end + timedelta(days=rng.randrange(5, 20))
        stamp = datetime.combine(min(out, today), time(8 + rng.randrange(9), rng.randrange(60)))
        for file_format in formats:
            resources.append(_resource(package_id, name, title, year, file_format, stamp, rng))
    for position, resource in enumerate(resources):
        resource["position"] = position
    created = resources[0]["created"]
    modified = max(resource["last_modified"] for resource in resources)
    license_id = (
        "other-open" if row["satuan"] == "Dokumen" else rng.choice(("cc-by",) * 4 + ("cc-by-sa",))
    )
    license_title, license_url = LICENSES[license_id]
    extras = {
        "frekuensi": frekuensi,
        "tingkat_penyajian": tingkat,
        "satuan": row["satuan"],
        "produsen_data": opd.nama,
        "walidata": WALIDATA,
        "kode_data": row["kode_data"],
    }
    tags = sorted({topik, slug(frekuensi), slug(tingkat), *_keywords(row["judul"])})
    group_title, group_description = GROUPS[topik]
    return {
        "id": package_id,
        "name": name,
        "title": title,
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": True,
        "notes": (
            f"{title} di Kota Pontianak, disajikan per {tingkat.lower()} dalam satuan "
            f"{row['satuan'].lower()}, diperbarui {frekuensi.lower()}. Produsen data: "
            f"{opd.nama}; walidata: {WALIDATA}."
        ),
        "author": opd.nama,
        "author_email": None,
        "maintainer": f"Pengelola Data {opd.singkatan}",
        "maintainer_email": f"data.{org['name']}@pontianak.go.id",
        "license_id": license_id,
        "license_title": license_title,
        "license_url": license_url,
        "url": "",
        "version": None,
        "metadata_created": created,
        "metadata_modified": modified,
        "owner_org": org["id"],
        "organization": {key: org[key] for key in _ORG_KEYS},
        "groups": [
            {
                "id": str(uuid.uuid5(_NAMESPACE, f"group:{topik}")),
                "name": topik,
                "title": group_title,
                "display_name": group_title,
                "description": group_description,
                "image_display_url": "",
            }
        ],
        "tags": [
            {
                "id": str(uuid.uuid5(_NAMESPACE, f"tag:{tag}")),
                "name": tag,
                "display_name": tag,
                "state": "active",
                "vocabulary_id": None,
            }
            for tag in tags
        ],
        "num_tags": len(tags),
        "extras": [{"key": key, "value": value} for key, value in extras.items() if value],
        "resources": resources,
        "num_resources": len(resources),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


_ORG_KEYS = (
    "id",
    "name",
    "title",
    "type",
    "description",
    "image_url",
    "created",
    "is_organization",
    "approval_status",
    "state",
)

_STOPWORDS = frozenset(
    {
        "jumlah",
        "menurut",
        "daftar",
        "dan",
        "yang",
        "terhadap",
        "pada",
        "kota",
        "pontianak",
        "per",
        "tahun",
        "rata-rata",
        "data",
    }
)


def _keywords(judul: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z-]+", judul.replace("{opd}", ""))
    return [word.lower() for word in words if len(word) > 3 and word.lower() not in _STOPWORDS][:4]


def _formats(satuan: str, draw: float) -> tuple[str, ...]:
    if satuan == "Dokumen":
        return ("PDF",)
    if draw < 0.45:
        return ("CSV",)
    if draw < 0.75:
        return ("CSV", "XLSX")
    if draw < 0.92:
        return ("XLSX",)
    return ("CSV", "JSON")


def _resource(
    package_id: str,
    name: str,
    title: str,
    year: int,
    file_format: str,
    stamp: datetime,
    rng: Any,
) -> Record:
    extension, mimetype = FORMATS[file_format]
    resource_id = str(uuid.uuid5(_NAMESPACE, f"resource:{name}:{year}:{file_format}"))
    created = stamp.isoformat()
    return {
        "id": resource_id,
        "package_id": package_id,
        "name": f"{title} Tahun {year}",
        "description": f"{title}, data tahun {year}.",
        "format": file_format,
        "mimetype": mimetype,
        "url": f"/dataset/{package_id}/resource/{resource_id}/download/{name}-{year}.{extension}",
        "url_type": "upload",
        "size": rng.randrange(2_000, 400_000),
        "created": created,
        "last_modified": created,
        "metadata_modified": created,
        "state": "active",
        "tahun": year,
    }
