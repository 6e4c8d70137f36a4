"""Satu Data Kota Pontianak's part of the city graph: ``Dataset``, ``Opd.dataset`` and the
catalogue's search.

A data set is a CKAN package of the city's open-data portal: its producer (an OPD, by the
kode SKPD its organisation carries), topics, licence, update frequency, the smallest area
its figures are given for, and its resources (files per year). Where the portal's
``kode_data`` says the graph itself holds a data set's figures live (population per
kelurahan, schools per kecamatan, permits per year, budget realisation), ``dataTerkini``
points at them: the kelurahan, kecamatan or OPDs whose fields in other OPDs' subgraphs
give today's figures beside the published file.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Annotated

import strawberry
from starlette.applications import Starlette
from strawberry import Info
from strawberry.federation.schema_directives import Key, ListSize
from strawberry.federation.types import FieldSet

from subgraphs.reference import KODE_SKPD_RE, kecamatan_list, kelurahan_list
from subgraphs.toolkit import (
    BatchLoader,
    GatewayTrust,
    SubgraphContext,
    SubgraphLimits,
    UpstreamBadResponse,
    bad_input,
    cache_control,
    create_app,
    described,
    entity_cache_control,
    source_of,
    subgraph_schema,
)
from subgraphs.toolkit.adapters import JsonObject
from subgraphs.toolkit.pages import BATAS, LEWATI, PAGE_SIZE, check_page, paged, sized

from .source import FQ_VALUE_RE, CkanApi, Organizations

__all__ = [
    "Dataset",
    "HasilCariDataset",
    "Opd",
    "Query",
    "SumberDaya",
    "TingkatPenyajian",
    "make_app",
    "schema",
]

SEARCH_PAGE = 20
"""Data sets on one page of a search, unless ``batas`` says otherwise."""
MAX_KATA = 200
MAX_CKAN_ROWS = 1000

KATALOG_FRESH, KATALOG_STALE = 6 * 3600, 7 * 86_400
KATALOG = cache_control(max_age=KATALOG_FRESH, stale_if_error=KATALOG_STALE)
"""Data sets are published monthly at most, and the catalogue's counts move with them: six
hours fresh, a week to stand in while the portal or this subgraph is down. The figures a
data set points at live (``dataTerkini``) hold as their own OPDs say."""


@strawberry.enum(description="The smallest area a data set's figures are given for.")
class TingkatPenyajian(Enum):
    KOTA = "Kota"
    KECAMATAN = "Kecamatan"
    KELURAHAN = "Kelurahan"


@strawberry.enum(description="The order of search results.")
class UrutanDataset(Enum):
    RELEVAN = "score desc, metadata_modified desc"
    TERBARU = "metadata_modified desc"
    JUDUL = "title_string asc"


@strawberry.type(description="A topic of the open-data portal (a CKAN group).")
class TopikData:
    kode: str = strawberry.field(description="The portal's name for it, e.g. kependudukan.")
    nama: str
    deskripsi: str | None
    jumlah: strawberry.Private[int | None] = None

    @described("Data sets on this topic.")
    async def jumlah_dataset(self, info: Info) -> int | None:
        if self.jumlah is not None:
            return self.jumlah
        return await group_count.load(info, self.kode)


@strawberry.type(description="The licence a data set is published under.")
class Lisensi:
    kode: str = strawberry.field(description="CKAN licence id, e.g. cc-by.")
    nama: str
    url: str | None


@strawberry.type(description="One published file of a data set (a CKAN resource).")
class SumberDaya:
    id: strawberry.ID
    nama: str
    deskripsi: str | None
    format: str = strawberry.field(description="CSV, XLSX, JSON or PDF.")
    tahun: int | None = strawberry.field(description="The year its figures are for.")
    url: str = strawberry.field(description="Where the file is downloaded.")
    ukuran: int | None = strawberry.field(description="Size in bytes.")
    diperbarui: str | None = strawberry.field(description="Last change, ISO date and time.")


# A kelurahan (owned by dukcapil), by its Kemendagri code. No description here: clients see
# the owner's.
@strawberry.federation.type(keys=[Key(fields=FieldSet("kode"), resolvable=False)])
class Kelurahan:
    kode: str


# A kecamatan (owned by dukcapil), by its Kemendagri code. No description here.
@strawberry.federation.type(keys=[Key(fields=FieldSet("kode"), resolvable=False)])
class Kecamatan:
    kode: str


@strawberry.type(description="Population per kelurahan: each kelurahan's penduduk, live.")
class PendudukPerKelurahan:
    kelurahan: list[Kelurahan] = strawberry.field(directives=sized(29))


@strawberry.type(
    description="Schools per kecamatan: each kecamatan's kelurahan and their "
    "ringkasanPendidikan, live."
)
class SekolahPerKecamatan:
    kecamatan: list[Kecamatan] = strawberry.field(directives=sized(6))


@strawberry.type(description="Permits per year: the years to ask rekapIzin(tahun:) for.")
class IzinPerTahun:
    tahun: list[int] = strawberry.field(directives=sized(8))


@strawberry.type(description="Budget realisation: these OPDs' anggaran(tahun:) for the year, live.")
class RealisasiAnggaranOpd:
    tahun_anggaran: int = strawberry.field(description="The budget year of the latest file.")
    opd: list[Opd] = strawberry.field(directives=sized(31))


DataTerkini = Annotated[
    PendudukPerKelurahan | SekolahPerKecamatan | IzinPerTahun | RealisasiAnggaranOpd,
    strawberry.union(
        "DataTerkini",
        description="Where the city graph holds a data set's figures live.",
    ),
]


@entity_cache_control(max_age=KATALOG_FRESH, stale_if_error=KATALOG_STALE)
@strawberry.federation.type(
    keys=["id"],
    description="A data set published on Satu Data Kota Pontianak (a CKAN package).",
)
class Dataset:
    id: strawberry.ID = strawberry.field(description="The portal's name for it (a slug).")
    judul: str
    deskripsi: str | None
    produsen: str = strawberry.field(description="The producing OPD's name.")
    kode_skpd: strawberry.Private[str | None]
    topik: list[TopikData] = strawberry.field(directives=sized(3))
    kata_kunci: list[str] = strawberry.field(directives=sized(8))
    lisensi: Lisensi | None
    frekuensi: str | None = strawberry.field(
        description="How often it is updated: Bulanan, Triwulanan, Semesteran, Tahunan."
    )
    tingkat_penyajian: TingkatPenyajian | None
    satuan: str | None = strawberry.field(description="The unit of its figures.")
    tahun: list[int] = strawberry.field(
        description="Years its files cover, oldest first.", directives=sized(8)
    )
    format: list[str] = strawberry.field(description="Formats of its files.", directives=sized(4))
    sumber_daya: list[SumberDaya] = strawberry.field(
        description="Its files, newest year first.", directives=sized(16)
    )
    dibuat: str | None = strawberry.field(description="First published, ISO date and time.")
    diperbarui: str | None = strawberry.field(description="Last change, ISO date and time.")
    tautan: str = strawberry.field(description="Its page on the open-data portal.")
    data_terkini: DataTerkini | None = strawberry.field(
        description="Where the city graph holds its figures live; null for the others."
    )

    @described("The producing OPD.")
    def opd(self) -> Opd | None:
        return Opd(kode=self.kode_skpd) if self.kode_skpd else None

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Dataset | None:
        return await dataset_by_name.load(info, str(id))


@strawberry.type(description="An OPD and how many data sets of the result it produced.")
class JumlahPerOpd:
    opd: Opd
    nama: str
    jumlah: int


@strawberry.type(description="A value of a search facet and how many data sets have it.")
class JumlahPerNilai:
    kode: str
    nama: str
    jumlah: int


@strawberry.type(description="One page of a catalogue search, with counts per facet.")
class HasilCariDataset:
    jumlah: int = strawberry.field(description="Data sets found (all pages).")
    dataset: list[Dataset]
    per_opd: list[JumlahPerOpd] = strawberry.field(
        description="Found data sets per producing OPD.", directives=sized(31)
    )
    per_topik: list[JumlahPerNilai] = strawberry.field(
        description="Found data sets per topic.", directives=sized(14)
    )
    per_format: list[JumlahPerNilai] = strawberry.field(
        description="Found data sets per file format.", directives=sized(4)
    )


# A perangkat daerah (owned by kominfo): the data sets it publishes. No description here:
# clients see the owner's.
@strawberry.federation.type(keys=["kode"])
class Opd:
    kode: str = strawberry.field(description="Kode SKPD (Permendagri 90/2019).")

    @classmethod
    def resolve_reference(cls, kode: str) -> Opd:
        return cls(kode=kode)

    @described(
        "The data sets this OPD publishes on Satu Data, newest first.",
        directives=paged(25),
        metadata=KATALOG,
    )
    async def dataset(
        self,
        info: Info,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Dataset] | None:
        check_page(batas, lewati)
        found = await datasets_by_opd.load(info, self.kode)
        return (found or [])[lewati : lewati + batas]

    @described("How many data sets this OPD publishes on Satu Data.", metadata=KATALOG)
    async def jumlah_dataset(self, info: Info) -> int | None:
        organizations = await source_of(info.context, CkanApi).organizations()
        name = organizations.name_by_kode.get(self.kode)
        if name is None:
            return 0
        count = organizations.by_name[name].get("package_count")
        return count if isinstance(count, int) else None


# -- reading CKAN's packages ------------------------------------------------------------


def build_dataset(package: JsonObject, organizations: Organizations) -> Dataset:
    """The graph's data set from a CKAN package; :class:`UpstreamBadResponse` when the
    package lacks what every CKAN package has."""
    try:
        return _build(package, organizations)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise UpstreamBadResponse("satudata", f"unexpected package: {error!r}") from error


def _build(package: JsonObject, organizations: Organizations) -> Dataset:
    extras = {str(e["key"]): str(e["value"]) for e in package.get("extras") or ()}
    organization = package.get("organization") or {}
    kode_skpd = organizations.kode_by_name.get(str(organization.get("name")))
    resources = [_resource(r) for r in package.get("resources") or ()]
    resources.sort(key=lambda r: (-(r.tahun or 0), r.format))
    years = sorted({r.tahun for r in resources if r.tahun is not None})
    tingkat = extras.get("tingkat_penyajian")
    license_id = package.get("license_id")
    dataset = Dataset(
        id=strawberry.ID(str(package["name"])),
        judul=str(package["title"]),
        deskripsi=package.get("notes"),
        produsen=str(organization.get("title") or extras.get("produsen_data") or ""),
        kode_skpd=kode_skpd,
        topik=[_topik(g) for g in package.get("groups") or ()],
        kata_kunci=[str(tag["name"]) for tag in package.get("tags") or ()],
        lisensi=Lisensi(
            kode=str(license_id),
            nama=str(package.get("license_title") or license_id),
            url=package.get("license_url") or None,
        )
        if license_id
        else None,
        frekuensi=extras.get("frekuensi"),
        tingkat_penyajian=TingkatPenyajian(tingkat) if tingkat in _TINGKAT else None,
        satuan=extras.get("satuan"),
        tahun=years,
        format=sorted({r.format for r in resources}),
        sumber_daya=resources,
        dibuat=package.get("metadata_created"),
        diperbarui=package.get("metadata_modified"),
        tautan=_page_url(package),
        data_terkini=None,
    )
    dataset.data_terkini = _live(extras.get("kode_data"), dataset, organizations)
    return dataset


_TINGKAT = {t.value for t in TingkatPenyajian}


def _topik(group: JsonObject) -> TopikData:
    # a package's groups carry no counts; group_list's do
    count = group.get("package_count")
    return TopikData(
        kode=str(group["name"]),
        nama=str(group.get("title") or group["name"]),
        deskripsi=group.get("description") or None,
        jumlah=count if isinstance(count, int) else None,
    )


def _resource(resource: JsonObject) -> SumberDaya:
    tahun = resource.get("tahun")
    return SumberDaya(
        id=strawberry.ID(str(resource["id"])),
        nama=str(resource.get("name") or resource["id"]),
        deskripsi=resource.get("description") or None,
        format=str(resource.get("format") or "").upper(),
        tahun=int(tahun) if isinstance(tahun, (int, str)) and str(tahun).isdigit() else None,
        url=str(resource["url"]),
        ukuran=resource.get("size") if isinstance(resource.get("size"), int) else None,
        diperbarui=resource.get("last_modified") or resource.get("created"),
    )


def _page_url(package: JsonObject) -> str:
    # CKAN's resource URLs carry the portal's public address; its dataset page sits beside
    for resource in package.get("resources") or ():
        url = str(resource.get("url", ""))
        if "/dataset/" in url:
            return url.split("/dataset/", 1)[0] + f"/dataset/{package['name']}"
    return f"/dataset/{package['name']}"


def _live(
    kode_data: str | None, dataset: Dataset, organizations: Organizations
) -> PendudukPerKelurahan | SekolahPerKecamatan | IzinPerTahun | RealisasiAnggaranOpd | None:
    if kode_data == "penduduk-kelurahan":
        return PendudukPerKelurahan(kelurahan=[Kelurahan(kode=k.kode) for k in kelurahan_list()])
    if kode_data == "sekolah-kecamatan":
        return SekolahPerKecamatan(kecamatan=[Kecamatan(kode=k.kode) for k in kecamatan_list()])
    if kode_data == "izin-terbit-tahunan" and dataset.tahun:
        return IzinPerTahun(tahun=list(dataset.tahun))
    if kode_data == "realisasi-anggaran-opd" and dataset.tahun and dataset.kode_skpd:
        return RealisasiAnggaranOpd(
            tahun_anggaran=dataset.tahun[-1], opd=[Opd(kode=dataset.kode_skpd)]
        )
    if kode_data == "realisasi-anggaran-kota" and dataset.tahun:
        kodes = sorted(organizations.name_by_kode)
        return RealisasiAnggaranOpd(
            tahun_anggaran=dataset.tahun[-1], opd=[Opd(kode=k) for k in kodes]
        )
    return None


@BatchLoader
async def group_count(context: SubgraphContext, names: list[str]) -> dict[str, int]:
    """Data sets per topic: one group list for the whole batch."""
    groups = [_topik(g) for g in await source_of(context, CkanApi).groups()]
    return {g.kode: g.jumlah for g in groups if g.jumlah is not None}


@BatchLoader
async def dataset_by_name(context: SubgraphContext, names: list[str]) -> dict[str, Dataset]:
    """Data sets by CKAN name: every name of the batch in one search."""
    ckan = source_of(context, CkanApi)
    packages = await ckan.packages_named([n for n in names if FQ_VALUE_RE.match(n)])
    organizations = await ckan.organizations()
    return {str(p.get("name")): build_dataset(p, organizations) for p in packages}


@BatchLoader
async def datasets_by_opd(context: SubgraphContext, kodes: list[str]) -> dict[str, list[Dataset]]:
    """Each OPD's data sets, newest first: the batch's OPDs in one search (paged by 1,000)."""
    ckan = source_of(context, CkanApi)
    organizations = await ckan.organizations()
    names = [organizations.name_by_kode[k] for k in kodes if k in organizations.name_by_kode]
    found: dict[str, list[Dataset]] = {kode: [] for kode in kodes}
    start = 0
    while names:
        result = await ckan.package_search(
            filters={"organization": names},
            rows=MAX_CKAN_ROWS,
            start=start,
            sort=UrutanDataset.TERBARU.value,
        )
        for package in result["results"]:
            dataset = build_dataset(package, organizations)
            if dataset.kode_skpd in found:
                found[dataset.kode_skpd].append(dataset)
        start += len(result["results"])
        if not result["results"] or start >= result["count"]:
            break
    return found


def _facet(result: JsonObject, name: str) -> list[JsonObject]:
    items = ((result.get("search_facets") or {}).get(name) or {}).get("items") or []
    if not isinstance(items, list):
        raise UpstreamBadResponse("satudata", f"package_search: facet {name} is not a list")
    return [item for item in items if isinstance(item, dict)]


def _check_search(kata: str | None, opd: str | None, topik: str | None, format: str | None) -> None:
    if kata is not None and len(kata) > MAX_KATA:
        raise bad_input(
            f"kata must be at most {MAX_KATA} characters.",
            pesan=f"Kata pencarian paling banyak {MAX_KATA} karakter.",
        )
    if opd is not None and not KODE_SKPD_RE.match(opd):
        raise bad_input(
            "opd must be a kode SKPD, U.BB.U.BB.U.BB.UU.SSSS (e.g. 2.16.2.20.2.21.01.0000).",
            pesan="Kode SKPD harus berbentuk U.BB.U.BB.U.BB.UU.SSSS (mis. 2.16.2.20.2.21.01.0000).",
        )
    for name, value in (("topik", topik), ("format", format)):
        if value is not None and not FQ_VALUE_RE.match(value):
            raise bad_input(
                f"{name} must be letters, digits, dots, dashes or underscores.",
                pesan=f"{name} hanya boleh berisi huruf, angka, titik, tanda hubung "
                "atau garis bawah.",
            )


@strawberry.type
class Query:
    @described(
        "One data set by its id on the portal; null if it is not published.", metadata=KATALOG
    )
    async def dataset(self, info: Info, id: strawberry.ID) -> Dataset | None:
        return await dataset_by_name.load(info, str(id))

    @described(
        "Search the city's data sets: words in title, description or tags, optionally of "
        "one OPD (kode SKPD), topic (TopikData.kode) and file format.",
        directives=[
            ListSize(
                assumed_size=SEARCH_PAGE,
                slicing_arguments=["batas"],
                sized_fields=["dataset"],
                require_one_slicing_argument=False,
            )
        ],
        metadata=KATALOG,
    )
    async def cari_dataset(
        self,
        info: Info,
        kata: str | None = None,
        opd: str | None = None,
        topik: str | None = None,
        format: str | None = None,
        urutan: UrutanDataset = UrutanDataset.RELEVAN,
        batas: Annotated[
            int, strawberry.argument(description=f"Data sets per page, 1 to {PAGE_SIZE}.")
        ] = SEARCH_PAGE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> HasilCariDataset | None:
        check_page(batas, lewati)
        _check_search(kata, opd, topik, format)
        ckan = source_of(info.context, CkanApi)
        organizations = await ckan.organizations()
        filters: dict[str, Sequence[str]] = {}
        if opd is not None:
            # an OPD without an organisation on the portal has published nothing
            filters["organization"] = [organizations.name_by_kode.get(opd, "tidak-ada")]
        if topik is not None:
            filters["groups"] = [topik]
        if format is not None:
            filters["res_format"] = [format.upper()]
        result = await ckan.package_search(
            words=kata or "",
            filters=filters,
            rows=batas,
            start=lewati,
            sort=urutan.value,
            facets=("organization", "groups", "res_format"),
        )
        return HasilCariDataset(
            jumlah=result["count"],
            dataset=[build_dataset(p, organizations) for p in result["results"]],
            per_opd=[
                JumlahPerOpd(
                    opd=Opd(kode=organizations.kode_by_name[str(item["name"])]),
                    nama=str(item.get("display_name") or item["name"]),
                    jumlah=int(item["count"]),
                )
                for item in _facet(result, "organization")
                if str(item.get("name")) in organizations.kode_by_name
            ],
            per_topik=_counts(_facet(result, "groups")),
            per_format=_counts(_facet(result, "res_format")),
        )

    @described(
        "The portal's topics with their data set counts.", directives=sized(14), metadata=KATALOG
    )
    async def topik_data(self, info: Info) -> list[TopikData] | None:
        return [_topik(g) for g in await source_of(info.context, CkanApi).groups()]


def _counts(items: list[JsonObject]) -> list[JumlahPerNilai]:
    return [
        JumlahPerNilai(
            kode=str(item["name"]),
            nama=str(item.get("display_name") or item["name"]),
            jumlah=int(item["count"]),
        )
        for item in items
    ]


schema = subgraph_schema(Query, types=[Opd, Dataset])


def make_app(
    source: CkanApi,
    *,
    trust: GatewayTrust,
    limits: SubgraphLimits = SubgraphLimits(),  # noqa: B008 (frozen)
) -> Starlette:
    """The subgraph as an ASGI app over ``source`` (:func:`~.source.connect`), serving the
    calls ``trust`` accepts, within ``limits``."""
    return create_app(schema, trust=trust, source=source, limits=limits)
