"""Diskominfo's service as the subgraph reaches it: two adapters on one host.

The catalogue API wants an ``X-API-Key``; the LAPOR! connector a bearer token. Both are
configured from the environment (``KOMINFO_URL``, ``KOMINFO_API_KEY``, ``LAPOR_URL``,
``LAPOR_TOKEN``) or by the arguments of :func:`connect`, which tests use to point them at
an in-process simulator. The key and the token are required, with no value in the code (or in
``KOMINFO_API_KEY_FILE`` and ``LAPOR_TOKEN_FILE``; ``make up`` generates development ones in
``.cache/secrets/``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx

from subgraphs.toolkit import RetryPolicy, secret_from_environment
from subgraphs.toolkit.adapters import (
    ApiKeyHeader,
    BearerToken,
    JsonObject,
    OffsetPagination,
    PagePagination,
    QueryParams,
    RestJsonSource,
)

from .instansi import INSTANSI_SEPARATOR

__all__ = ["DEFAULT_URL", "KominfoApi", "connect"]

DEFAULT_URL = "http://127.0.0.1:4102"
CATALOGUE_PAGES = PagePagination(size=100, page_param="page", size_param="per_page")
LAPOR_PAGES = OffsetPagination(size=100, offset_param="offset", limit_param="limit")


@dataclass(frozen=True, slots=True)
class KominfoApi:
    """The service's calls the graph needs, in the service's own terms."""

    katalog: RestJsonSource
    lapor: RestJsonSource

    async def perangkat_daerah(self, kode_skpd: list[str] | None = None) -> list[JsonObject]:
        """OPD records, all or those with the given kode SKPD."""
        return await self._catalogue("/api/v1/perangkat-daerah", kode_skpd=kode_skpd)

    async def aplikasi(
        self, *, kode_skpd: list[str] | None = None, ids: list[str] | None = None
    ) -> list[JsonObject]:
        """Applications, all or those of the given OPDs or ids."""
        return await self._catalogue("/api/v1/aplikasi", kode_skpd=kode_skpd, ids=ids)

    async def inovasi(
        self, *, kode_skpd: list[str] | None = None, ids: list[str] | None = None
    ) -> list[JsonObject]:
        """Innovations, all or those of the given OPDs or ids."""
        return await self._catalogue("/api/v1/inovasi", kode_skpd=kode_skpd, ids=ids)

    async def laporan(
        self,
        *,
        tracking_id: list[str] | None = None,
        kode_wilayah: list[str] | None = None,
        instansi_tujuan: list[str] | None = None,
    ) -> list[JsonObject]:
        """LAPOR! complaints, filtered; one request per page of 100."""
        params: dict[str, str | None] = {
            "tracking_id": _joined(tracking_id, ","),
            "kode_wilayah": _joined(kode_wilayah, ","),
            "instansi_tujuan": _joined(instansi_tujuan, INSTANSI_SEPARATOR),
        }
        return await self.lapor.get_all(
            "/api/lapor/laporan",
            pagination=LAPOR_PAGES,
            params=params,
            items="data",
            total="results",
        )

    async def _catalogue(
        self, path: str, *, kode_skpd: list[str] | None = None, ids: list[str] | None = None
    ) -> list[JsonObject]:
        params: QueryParams = {"kode_skpd": _joined(kode_skpd, ","), "id": _joined(ids, ",")}
        return await self.katalog.get_all(
            path, pagination=CATALOGUE_PAGES, params=params, items="data", total="meta.total"
        )

    async def aclose(self) -> None:
        """Close both adapters' connections."""
        await self.katalog.aclose()
        await self.lapor.aclose()


def _joined(values: list[str] | None, separator: str) -> str | None:
    return separator.join(values) if values is not None else None


def connect(
    url: str | None = None,
    *,
    api_key: str | None = None,
    lapor_url: str | None = None,
    lapor_token: str | None = None,
    timeout: float = 5.0,
    retry: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> KominfoApi:
    """The catalogue's and LAPOR!'s adapters (arguments first, then the environment, then
    local defaults), to serve with ``make_app``; raises :class:`SecretNotConfigured`
    without an API key or a LAPOR! token."""
    base = url or os.environ.get("KOMINFO_URL", DEFAULT_URL)
    key = api_key or secret_from_environment(
        "KOMINFO_API_KEY", "the API key of Diskominfo's catalogue API"
    )
    token = lapor_token or secret_from_environment(
        "LAPOR_TOKEN", "the token of the LAPOR! connector"
    )
    lapor_base = lapor_url or os.environ.get("LAPOR_URL", base)
    return KominfoApi(
        katalog=RestJsonSource(
            "kominfo-katalog",
            base,
            auth=ApiKeyHeader(key, header="X-API-Key"),
            timeout=timeout,
            retry=retry,
            transport=transport,
        ),
        lapor=RestJsonSource(
            "lapor",
            lapor_base,
            auth=BearerToken(token),
            timeout=timeout,
            retry=retry,
            transport=transport,
        ),
    )
