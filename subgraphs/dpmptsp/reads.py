"""Reads from SiCantik and OSS-RBA: batched by key for entities and lists, or filtered.

Every loader makes one walk per upstream list for a whole batch of keys (OSS-RBA: one per
slice of 50 NIBs, its cap), so a gateway's ``_entities`` call for a hundred businesses, or
29 kelurahan asking for their permits, costs a request per page, not one per key.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from subgraphs.reference import (
    NIB_RE,
    NOMOR_IZIN_RE,
    UnknownCodeError,
    kelurahan_by_code,
    kelurahan_list,
)
from subgraphs.toolkit import BatchLoader, SubgraphContext, UpstreamError, source_of

from .perizinan import SISTEM_OSS, SISTEM_SICANTIK, JenisIzin, jenis_by_kode
from .records import (
    NOMOR_PERMOHONAN_RE,
    OSS_ID_IZIN_RE,
    Izin,
    Status,
    Usaha,
    izin_from_oss,
    izin_from_sicantik,
    usaha_from_oss,
)
from .source import DpmptspApi
from .wilayah import oss_daerah, sicantik_wilayah

__all__ = [
    "izin_by_kelurahan",
    "izin_by_nib",
    "izin_by_nomor",
    "izin_where",
    "usaha_by_kelurahan",
    "usaha_by_nib",
    "usaha_where",
]

K = TypeVar("K")
T = TypeVar("T")

TERBIT_LIST = frozenset({Status.TERBIT, Status.DICABUT})
"""Statuses SiCantik lists as issued; the rest are in its process list."""


def _grouped(
    items: Iterable[T], key: Callable[[T], K | None], keys: Iterable[K]
) -> dict[K, list[T]]:
    groups: dict[K, list[T]] = {k: [] for k in keys}
    for item in items:
        k = key(item)
        if k is not None and k in groups:
            groups[k].append(item)
    return groups


def _ordered(found: Iterable[Izin]) -> list[Izin]:
    return sorted(found, key=lambda izin: (izin.tanggal_acuan, izin.nomor))


# -- businesses ---------------------------------------------------------------------------


async def _usaha_by_nib(context: SubgraphContext, nibs: list[str]) -> dict[str, Usaha]:
    wanted = [nib for nib in nibs if NIB_RE.match(nib)]
    records = await source_of(context, DpmptspApi).usaha(nib=wanted)
    return {usaha.nib: usaha for usaha in map(usaha_from_oss, records)}


usaha_by_nib = BatchLoader(_usaha_by_nib, name="usaha_by_nib")
"""Businesses by NIB; a malformed or unknown NIB is ``None``. The source slices the
well-formed ones by OSS's cap, so malformed keys cost nothing."""


async def _izin_by_nib(context: SubgraphContext, nibs: list[str]) -> dict[str, list[Izin]]:
    wanted = [nib for nib in nibs if NIB_RE.match(nib)]
    records = await source_of(context, DpmptspApi).izin_usaha(nib=wanted)
    return _grouped(map(izin_from_oss, records), lambda izin: izin.nib, nibs)


izin_by_nib = BatchLoader(_izin_by_nib, name="izin_by_nib")
"""Each business's permits."""


@BatchLoader
async def usaha_by_kelurahan(context: SubgraphContext, kodes: list[str]) -> dict[str, list[Usaha]]:
    """Each kelurahan's businesses (Kemendagri codes)."""
    daerah = _oss_daerah(kodes)
    if not daerah:
        return {kode: [] for kode in kodes}
    records = await source_of(context, DpmptspApi).usaha(kd_daerah=daerah)
    return _grouped(map(usaha_from_oss, records), lambda usaha: usaha.kelurahan, kodes)


async def usaha_where(
    source: DpmptspApi, *, kecamatan: str | None, kelurahan: str | None
) -> list[Usaha]:
    """Businesses, all or of one kecamatan or kelurahan (Kemendagri codes)."""
    kodes = _kelurahan_in(kecamatan, kelurahan)
    daerah = None if kodes is None else _oss_daerah(kodes)
    if daerah == []:
        return []
    return [usaha_from_oss(record) for record in await source.usaha(kd_daerah=daerah)]


# -- permits ------------------------------------------------------------------------------


async def _izin_by_nomor(
    context: SubgraphContext, nomors: list[str]
) -> dict[str, Izin | Exception]:
    """Permits by number: routed to the system that numbers them, one call per system."""
    no_surat: list[str] = []
    oss_nomor: list[str] = []
    no_permohonan: list[str] = []
    oss_id: list[str] = []
    for nomor in nomors:
        if NOMOR_IZIN_RE.match(nomor):
            jenis = jenis_by_kode(nomor.split("/")[2])
            if jenis is not None:
                (oss_nomor if jenis.sistem == SISTEM_OSS else no_surat).append(nomor)
        elif NOMOR_PERMOHONAN_RE.match(nomor):
            no_permohonan.append(nomor)
        elif OSS_ID_IZIN_RE.match(nomor):
            oss_id.append(nomor)
    source = source_of(context, DpmptspApi)
    reads: list[tuple[list[str], Callable[[], Awaitable[list[Izin]]]]] = [
        (no_surat, lambda: _izin(izin_from_sicantik, source.permohonan_terbit(no_surat=no_surat))),
        (
            no_permohonan,
            lambda: _izin(
                izin_from_sicantik, source.permohonan_proses(no_permohonan=no_permohonan)
            ),
        ),
        (oss_nomor, lambda: _izin(izin_from_oss, source.izin_usaha(nomor_izin=oss_nomor))),
        (oss_id, lambda: _izin(izin_from_oss, source.izin_usaha(id_izin=oss_id))),
    ]
    wanted = [(keys, read) for keys, read in reads if keys]
    results = await asyncio.gather(*(read() for _, read in wanted), return_exceptions=True)
    found: dict[str, Izin | Exception] = {}
    for (keys, _), result in zip(wanted, results, strict=True):
        if isinstance(result, UpstreamError):
            # One system failing fails only the permits it numbers
            found.update({key: result for key in keys})
        elif isinstance(result, BaseException):
            raise result
        else:
            found.update({izin.nomor: izin for izin in result if izin.nomor in keys})
    return found


izin_by_nomor = BatchLoader(_izin_by_nomor, name="izin_by_nomor", max_batch_size=100)
"""Permits by number (or, not yet issued, by application number)."""


async def _izin(build: Callable[[Any], Izin], records: Awaitable[list[Any]]) -> list[Izin]:
    return [build(record) for record in await records]


@BatchLoader
async def izin_by_kelurahan(
    context: SubgraphContext, keys: list[tuple[str, int | None]]
) -> dict[tuple[str, int | None], list[Izin]]:
    """Each (kelurahan, year) key's permits: one walk per list and year for the batch."""
    years: dict[int | None, list[str]] = defaultdict(list)
    for kode, tahun in keys:
        years[tahun].append(kode)
    found: dict[tuple[str, int | None], list[Izin]] = {}
    source = source_of(context, DpmptspApi)
    for tahun, kodes in years.items():
        permits = await izin_where(source, tahun=tahun, kelurahan_kodes=kodes)
        for kode, items in _grouped(permits, lambda izin: izin.kelurahan, kodes).items():
            found[(kode, tahun)] = items
    return found


async def izin_where(
    source: DpmptspApi,
    *,
    tahun: int | None = None,
    kecamatan: str | None = None,
    kelurahan_kodes: Sequence[str] | None = None,
    status: Status | None = None,
    jenis: JenisIzin | None = None,
) -> list[Izin]:
    """Permits matching the filters (Kemendagri codes), from whichever lists can hold them,
    read together; ordered by date and number."""
    sistem = None if jenis is None else jenis.sistem
    kode_jenis = None if jenis is None else jenis.kode
    region: dict[str, Any] = {}
    if kelurahan_kodes is not None:
        region["kelurahan"] = _sicantik_kelurahan(kelurahan_kodes)
        daerah: list[str] | None = _oss_daerah(kelurahan_kodes)
        if not daerah:
            return []
    elif kecamatan is not None:
        region["kecamatan"] = sicantik_wilayah(kecamatan)
        daerah = _oss_daerah(k.kode for k in kelurahan_list(kecamatan))
    else:
        daerah = None
    reads: list[Awaitable[list[Izin]]] = []
    if sistem in (None, SISTEM_SICANTIK):
        if status is None or status in TERBIT_LIST:
            terbit = source.permohonan_terbit(tahun=tahun, jenis=kode_jenis, **region)
            reads.append(_izin(izin_from_sicantik, terbit))
        if status is None or status not in TERBIT_LIST:
            proses = source.permohonan_proses(tahun=tahun, jenis=kode_jenis, **region)
            reads.append(_izin(izin_from_sicantik, proses))
    if sistem in (None, SISTEM_OSS):
        reads.append(_izin(izin_from_oss, source.izin_usaha(kd_daerah=daerah, tahun=tahun)))
    found = [izin for batch in await asyncio.gather(*reads) for izin in batch]
    return _ordered(
        izin
        for izin in found
        if (status is None or izin.status == status)
        and (jenis is None or izin.jenis == jenis)
        and (tahun is None or izin.tahun == tahun)
    )


def _kelurahan_in(kecamatan: str | None, kelurahan: str | None) -> list[str] | None:
    if kelurahan is not None:
        return [kelurahan]
    if kecamatan is not None:
        return [k.kode for k in kelurahan_list(kecamatan)]
    return None


def _known_kelurahan(kodes: Iterable[str]) -> list[str]:
    known: list[str] = []
    for kode in kodes:
        try:
            known.append(kelurahan_by_code(kode).kode)
        except UnknownCodeError:
            continue
    return known


def _oss_daerah(kodes: Iterable[str]) -> list[str]:
    return [oss_daerah(kode) for kode in _known_kelurahan(kodes)]


def _sicantik_kelurahan(kodes: Iterable[str]) -> list[str]:
    return [sicantik_wilayah(kode) for kode in _known_kelurahan(kodes)]
