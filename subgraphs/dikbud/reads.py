"""Reads from Dapodik, batched: one walk per endpoint for a whole batch of keys.

A gateway's ``_entities`` call for a hundred schools costs one ``getSekolah`` request per
page (and, if asked, one ``getRekapPesertaDidik`` and one ``getRekapGtk`` per page), not one
per school; the 29 kelurahan asking for their schools cost one walk over ``getSekolah``.
A row that cannot be read fails its own key only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from subgraphs.reference import NPSN_RE
from subgraphs.toolkit import (
    BatchLoader,
    SubgraphContext,
    UpstreamBadResponse,
    UpstreamError,
    source_of,
)
from subgraphs.toolkit.adapters import JsonObject

from .records import (
    BENTUK_DAPODIK,
    STATUS_DAPODIK,
    UPSTREAM,
    BentukPendidikan,
    RekapGtk,
    RekapPesertaDidik,
    SekolahRecord,
    StatusSekolah,
    gtk_from_dapodik,
    peserta_didik_from_dapodik,
    sekolah_from_dapodik,
)
from .source import DapodikApi
from .wilayah import dapodik_kelurahan

__all__ = [
    "gtk_by_npsn",
    "peserta_didik_by_npsn",
    "sekolah_by_kelurahan",
    "sekolah_by_npsn",
    "sekolah_where",
]

T = TypeVar("T")


def _by_npsn(
    rows: Iterable[JsonObject], build: Callable[[JsonObject], T]
) -> dict[str, T | Exception]:
    """Rows by their NPSN; a row that does not map becomes its key's error.

    A row without an NPSN belongs to no key: its school would silently read as unknown,
    so it fails the whole batch instead.
    """
    found: dict[str, T | Exception] = {}
    for row in rows:
        key = row.get("npsn")
        if not isinstance(key, str) or not NPSN_RE.match(key.strip()):
            raise UpstreamBadResponse(UPSTREAM, "a row without a well-formed npsn")
        key = key.strip()
        try:
            found[key] = build(row)
        except UpstreamError as error:
            found[key] = error
    return found


def _well_formed(npsns: Iterable[str]) -> list[str]:
    # A malformed NPSN cannot exist upstream: it resolves to null without a request
    return [npsn for npsn in npsns if NPSN_RE.match(npsn)]


@BatchLoader
async def sekolah_by_npsn(
    context: SubgraphContext, npsns: list[str]
) -> dict[str, SekolahRecord | Exception]:
    """Schools by NPSN; unknown or malformed ones are ``None``."""
    wanted = _well_formed(npsns)
    if not wanted:
        return {}
    rows = await source_of(context, DapodikApi).sekolah(npsn=wanted)
    return _by_npsn(rows, sekolah_from_dapodik)


@BatchLoader
async def peserta_didik_by_npsn(
    context: SubgraphContext, npsns: list[str]
) -> dict[str, RekapPesertaDidik | Exception]:
    """Each school's student counts."""
    wanted = _well_formed(npsns)
    if not wanted:
        return {}
    rows = await source_of(context, DapodikApi).rekap_peserta_didik(wanted)
    return _by_npsn(rows, peserta_didik_from_dapodik)


@BatchLoader
async def gtk_by_npsn(
    context: SubgraphContext, npsns: list[str]
) -> dict[str, RekapGtk | Exception]:
    """Each school's teacher and staff counts."""
    wanted = _well_formed(npsns)
    if not wanted:
        return {}
    rows = await source_of(context, DapodikApi).rekap_gtk(wanted)
    return _by_npsn(rows, gtk_from_dapodik)


@BatchLoader
async def sekolah_by_kelurahan(
    context: SubgraphContext, kodes: list[str]
) -> dict[str, list[SekolahRecord]]:
    """Each kelurahan's schools (Kemendagri codes; an unknown kelurahan has none)."""
    wilayah = sorted({code for kode in kodes for code in dapodik_kelurahan(kelurahan=kode) or []})
    groups: dict[str, list[SekolahRecord]] = {kode: [] for kode in kodes}
    if not wilayah:
        return groups
    for row in await source_of(context, DapodikApi).sekolah(kode_wilayah=wilayah):
        school = sekolah_from_dapodik(row)
        if school.kelurahan in groups:
            groups[school.kelurahan].append(school)
    return groups


async def sekolah_where(
    dapodik: DapodikApi,
    *,
    kelurahan: str | None = None,
    kecamatan: str | None = None,
    bentuk: BentukPendidikan | None = None,
    status: StatusSekolah | None = None,
) -> list[SekolahRecord]:
    """Schools matching every filter given (Kemendagri codes), Dapodik filtering them."""
    rows = await dapodik.sekolah(
        kode_wilayah=dapodik_kelurahan(kelurahan=kelurahan, kecamatan=kecamatan),
        bentuk_pendidikan=None if bentuk is None else BENTUK_DAPODIK[bentuk],
        status_sekolah=None if status is None else STATUS_DAPODIK[status],
    )
    return [sekolah_from_dapodik(row) for row in rows]
