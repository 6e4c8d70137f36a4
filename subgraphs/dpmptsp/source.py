"""DPMPTSP's services as the subgraph reaches them: SiCantik and OSS-RBA, two XML APIs.

SiCantik wants its key in ``X-API-Key``, the OSS-RBA connector in ``user_key``; the city
issues one key for both. Configured from the environment (``DPMPTSP_URL``,
``DPMPTSP_API_KEY``) or by the arguments of :func:`connect`, which tests use to point the
adapters at an in-process simulator. The key is required, with no value in the code (or in
``DPMPTSP_API_KEY_FILE``; ``make up`` generates a development one in ``.cache/secrets/``).
The methods speak the systems' terms (BPS codes for SiCantik, ``kd_daerah`` for OSS);
:mod:`.records` translates what they return.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

import httpx

from subgraphs.toolkit import RetryPolicy, UpstreamBadResponse, secret_from_environment
from subgraphs.toolkit.adapters import (
    ApiKeyHeader,
    OffsetPagination,
    Page,
    QueryParams,
    RestXmlSource,
    collect_pages,
    element_record,
)

__all__ = ["DEFAULT_URL", "NIB_PER_REQUEST", "DpmptspApi", "connect"]

DEFAULT_URL = "http://127.0.0.1:4106"
PAGES = OffsetPagination(size=100, offset_param="offset", limit_param="limit")
NIB_PER_REQUEST = 50
"""OSS-RBA answers at most this many NIBs per request."""

XmlRecord = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DpmptspApi:
    """The calls the graph needs, in the systems' own terms; each walks every page."""

    sicantik: RestXmlSource
    oss: RestXmlSource

    async def permohonan_terbit(
        self,
        *,
        tahun: int | None = None,
        kecamatan: str | None = None,
        kelurahan: Sequence[str] | None = None,
        jenis: str | None = None,
        no_surat: Sequence[str] | None = None,
    ) -> list[XmlRecord]:
        """Issued (or later revoked) permits; region filters in BPS codes."""
        params = {"tahun": tahun, "kecamatan": kecamatan, "jenis": jenis}
        return await self._sicantik(
            "/sicantik/api/listpermohonanterbit",
            {**params, "kelurahan": _joined(kelurahan), "no_surat": _joined(no_surat)},
        )

    async def permohonan_proses(
        self,
        *,
        tahun: int | None = None,
        kecamatan: str | None = None,
        kelurahan: Sequence[str] | None = None,
        jenis: str | None = None,
        no_permohonan: Sequence[str] | None = None,
    ) -> list[XmlRecord]:
        """Applications in process or refused; region filters in BPS codes."""
        params = {"tahun": tahun, "kecamatan": kecamatan, "jenis": jenis}
        return await self._sicantik(
            "/sicantik/api/listpermohonanproses",
            {**params, "kelurahan": _joined(kelurahan), "no_permohonan": _joined(no_permohonan)},
        )

    async def _sicantik(self, path: str, params: QueryParams) -> list[XmlRecord]:
        records = await self.sicantik.get_all(
            path, pagination=PAGES, params=params, items="./data/permohonan", total="total"
        )
        return list(records)

    async def usaha(
        self, *, nib: Sequence[str] | None = None, kd_daerah: Sequence[str] | None = None
    ) -> list[XmlRecord]:
        """Businesses (each with its ``kbli`` list of ``kode_kbli``/``judul_kbli``)."""
        return await self._by_nib(self._usaha_pages, nib, {"kd_daerah": _joined(kd_daerah)})

    async def izin_usaha(
        self,
        *,
        nib: Sequence[str] | None = None,
        kd_daerah: Sequence[str] | None = None,
        nomor_izin: Sequence[str] | None = None,
        id_izin: Sequence[str] | None = None,
        tahun: int | None = None,
    ) -> list[XmlRecord]:
        """Business permits."""
        params: QueryParams = {
            "kd_daerah": _joined(kd_daerah),
            "nomor_izin": _joined(nomor_izin),
            "id_izin": _joined(id_izin),
            "tahun": tahun,
        }
        return await self._by_nib(self._izin_pages, nib, params)

    async def _by_nib(
        self,
        walk: Callable[[QueryParams], Awaitable[list[XmlRecord]]],
        nib: Sequence[str] | None,
        params: QueryParams,
    ) -> list[XmlRecord]:
        # OSS caps the NIBs per request: one walk per slice, run together
        if nib is None:
            return await walk(params)
        if not nib:
            return []
        slices = [nib[i : i + NIB_PER_REQUEST] for i in range(0, len(nib), NIB_PER_REQUEST)]
        walks = await asyncio.gather(*(walk({**params, "nib": ",".join(s)}) for s in slices))
        return [record for found in walks for record in found]

    async def _izin_pages(self, params: QueryParams) -> list[XmlRecord]:
        records = await self.oss.get_all(
            "/oss/api/izin", pagination=PAGES, params=params, items="./dataIzin/izin", total="total"
        )
        return list(records)

    async def _usaha_pages(self, params: QueryParams) -> list[XmlRecord]:
        # get_all flattens each record; a business's KBLI list is one level deeper
        async def fetch(page: QueryParams) -> Page[XmlRecord]:
            root = await self.oss.get_xml("/oss/api/inqueryNIB", params={**params, **page})
            items = [_usaha_record(element) for element in root.findall("./dataNIB/nib_data")]
            return Page(items, _total(root, self.oss.name))

        return await collect_pages(fetch, PAGES, upstream=self.oss.name)

    async def aclose(self) -> None:
        """Close both adapters' connections."""
        await self.sicantik.aclose()
        await self.oss.aclose()


def _usaha_record(element: Element) -> XmlRecord:
    record: XmlRecord = dict(element_record(element))
    record["kbli"] = [element_record(item) for item in element.findall("./data_kbli/kbli")]
    return record


def _total(root: Element, upstream: str) -> int:
    text = (root.findtext("total") or "").strip()
    if not text.isdigit():
        raise UpstreamBadResponse(upstream, "inqueryNIB: no total")
    return int(text)


def _joined(values: Sequence[str] | None) -> str | None:
    return ",".join(values) if values is not None else None


def connect(
    url: str | None = None,
    *,
    api_key: str | None = None,
    timeout: float = 5.0,
    retry: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> DpmptspApi:
    """The adapters to SiCantik and OSS-RBA (arguments first, then the environment, then
    local defaults), to serve with ``make_app``; raises :class:`SecretNotConfigured`
    without an API key."""
    base = url or os.environ.get("DPMPTSP_URL", DEFAULT_URL)
    key = api_key or secret_from_environment(
        "DPMPTSP_API_KEY", "the API key of SiCantik and OSS-RBA"
    )

    def source(name: str, header: str) -> RestXmlSource:
        return RestXmlSource(
            name,
            base,
            auth=ApiKeyHeader(key, header=header),
            timeout=timeout,
            retry=retry,
            transport=transport,
        )

    return DpmptspApi(sicantik=source("sicantik", "X-API-Key"), oss=source("oss-rba", "user_key"))
