"""Dapodik's web service as the subgraph reaches it: one bearer-token REST-JSON adapter.

Configured from the environment (``DIKBUD_URL``, ``DAPODIK_TOKEN``, ``DAPODIK_PAGE_SIZE``)
or by the arguments of :func:`connect`, which tests use to point it at an in-process
simulator. The token
is required, with no value in the code (or in ``DAPODIK_TOKEN_FILE``; ``make up`` generates
a development one in ``.cache/secrets/``). Lists are
walked with ExtJS paging (``start``/``limit``); a filter on many NPSNs is sent in slices of
one page each, so ``n`` schools cost ``ceil(n / page size)`` requests per endpoint.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from subgraphs.toolkit import RetryPolicy, UpstreamBadResponse, secret_from_environment
from subgraphs.toolkit.adapters import (
    BearerToken,
    JsonObject,
    OffsetPagination,
    Page,
    QueryParams,
    RestJsonSource,
    collect_pages,
)
from subgraphs.toolkit.adapters.rest_json import dig

__all__ = ["DEFAULT_PAGE_SIZE", "DEFAULT_URL", "DapodikApi", "connect"]

DEFAULT_URL = "http://127.0.0.1:4104"
DEFAULT_PAGE_SIZE = 100
"""Dapodik's largest page; set ``DAPODIK_PAGE_SIZE`` lower for a service that caps lower."""

SEKOLAH = "/WebService/getSekolah"
REKAP_PESERTA_DIDIK = "/WebService/getRekapPesertaDidik"
REKAP_GTK = "/WebService/getRekapGtk"


@dataclass(frozen=True, slots=True)
class DapodikApi:
    """The web service's calls the graph needs, in Dapodik's own terms."""

    web_service: RestJsonSource
    page_size: int = DEFAULT_PAGE_SIZE

    async def sekolah(
        self,
        *,
        npsn: Sequence[str] | None = None,
        kode_wilayah: Sequence[str] | None = None,
        bentuk_pendidikan: str | None = None,
        status_sekolah: str | None = None,
    ) -> list[JsonObject]:
        """School rows, all or filtered (``kode_wilayah`` in Dapodik's codes)."""
        filters: QueryParams = {
            "kode_wilayah": _joined(kode_wilayah),
            "bentuk_pendidikan": bentuk_pendidikan,
            "status_sekolah": status_sekolah,
        }
        if kode_wilayah is not None and not kode_wilayah:
            return []
        if npsn is not None:
            return await self._by_npsn(SEKOLAH, npsn, filters)
        return await self._walk(SEKOLAH, filters)

    async def rekap_peserta_didik(self, npsn: Sequence[str]) -> list[JsonObject]:
        """Student counts of the schools with these NPSNs, one row per school."""
        return await self._by_npsn(REKAP_PESERTA_DIDIK, npsn, {})

    async def rekap_gtk(self, npsn: Sequence[str]) -> list[JsonObject]:
        """Teacher and staff counts of the schools with these NPSNs, one row per school."""
        return await self._by_npsn(REKAP_GTK, npsn, {})

    async def _by_npsn(
        self, path: str, npsn: Sequence[str], filters: QueryParams
    ) -> list[JsonObject]:
        # One slice per page: each slice is answered by one request, and the URL stays short
        slices = [npsn[i : i + self.page_size] for i in range(0, len(npsn), self.page_size)]
        walks = [self._walk(path, {**filters, "npsn": ",".join(part)}) for part in slices]
        return [row for rows in await asyncio.gather(*walks) for row in rows]

    async def _walk(self, path: str, filters: QueryParams) -> list[JsonObject]:
        """Every row of a paginated list; the body's ``results`` saves the empty last call."""
        source = self.web_service
        pages = OffsetPagination(size=self.page_size, offset_param="start", limit_param="limit")

        async def fetch(params: QueryParams) -> Page[JsonObject]:
            body = await source.get_json(path, params={**filters, **params})
            rows = source.records(body, "rows", where=path)
            total = dig(body, "results", source.name, path)
            if not isinstance(total, int) or isinstance(total, bool):
                raise UpstreamBadResponse(source.name, f"{path}: results is not an integer")
            start = int(params["start"] or 0)
            # A service capping pages below our size would otherwise look finished
            if len(rows) < self.page_size and start + len(rows) < total:
                raise UpstreamBadResponse(
                    source.name, f"{path}: pages are smaller than {self.page_size} rows"
                )
            return Page(rows, total)

        return await collect_pages(fetch, pages, upstream=source.name)

    async def aclose(self) -> None:
        """Close the adapter's connections."""
        await self.web_service.aclose()


def _joined(values: Sequence[str] | None) -> str | None:
    return ",".join(values) if values is not None else None


def connect(
    url: str | None = None,
    *,
    token: str | None = None,
    page_size: int | None = None,
    timeout: float = 5.0,
    retry: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> DapodikApi:
    """The adapter to the web service (arguments first, then the environment, then local
    defaults), to serve with ``make_app``; raises :class:`SecretNotConfigured` without a
    token."""
    secret = token or secret_from_environment(
        "DAPODIK_TOKEN", "the token of the Dapodik web service"
    )
    size = page_size or int(os.environ.get("DAPODIK_PAGE_SIZE", DEFAULT_PAGE_SIZE))
    return DapodikApi(
        RestJsonSource(
            "dapodik",
            url or os.environ.get("DIKBUD_URL", DEFAULT_URL),
            auth=BearerToken(secret),
            timeout=timeout,
            retry=retry,
            transport=transport,
        ),
        page_size=size,
    )
