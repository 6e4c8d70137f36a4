"""The simulated Diskominfo service: its catalogue API and its LAPOR! connector.

Two APIs on one host, as the city runs them:

- ``/api/v1/perangkat-daerah``, ``/api/v1/aplikasi``, ``/api/v1/inovasi``: the catalogue,
  ``X-API-Key`` header, ``?page=&per_page=`` (at most 100), answered as
  ``{"status": "success", "data": [...], "meta": {"page", "per_page", "total",
  "total_pages"}}``; filters ``kode_skpd`` and ``id`` take comma-separated values.
- ``/api/lapor/laporan``: SP4N-LAPOR! complaints, ``Authorization: Bearer`` token,
  ``?offset=&limit=`` (at most 100), answered as ``{"success": true, "results": total,
  "data": [...]}``; filters ``tracking_id``, ``kode_wilayah`` (comma-separated),
  ``instansi_tujuan`` (``;``-separated: names hold commas) and ``status``.

``calls`` counts the requests each path received, for tests and operators alike.
"""

from __future__ import annotations

import hmac
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.reference import clock

from ..instansi import INSTANSI_SEPARATOR
from .seed import Catalogue, Record, catalogue

__all__ = ["KominfoSimulator"]

MAX_PAGE = 100


class BadParameter(Exception):
    """A query parameter the service refuses."""


class KominfoSimulator:
    """The service; ``app`` is its ASGI application.

    ``api_keys`` (catalogue) and ``lapor_tokens`` (LAPOR!) are the credentials it accepts,
    required (one in the code would be everybody's) and replaceable at run time. It serves
    ``data``, by default the catalogue exported on ``today`` (by default the simulators'
    clock).
    """

    def __init__(
        self,
        *,
        api_keys: Collection[str],
        lapor_tokens: Collection[str],
        data: Catalogue | None = None,
        today: date | None = None,
    ) -> None:
        self.api_keys = tuple(api_keys)
        self.lapor_tokens = tuple(lapor_tokens)
        self.data = data or catalogue(today if today is not None else clock.today())
        self.calls: Counter[str] = Counter()
        self.app = Starlette(
            routes=[
                Route("/health", self.health),
                Route("/api/v1/perangkat-daerah", self.perangkat_daerah),
                Route("/api/v1/perangkat-daerah/{kode_skpd}", self.satu_perangkat_daerah),
                Route("/api/v1/aplikasi", self.aplikasi),
                Route("/api/v1/inovasi", self.inovasi),
                Route("/api/lapor/laporan", self.laporan),
                Route("/api/lapor/laporan/{tracking_id}", self.satu_laporan),
            ]
        )

    # -- catalogue API ------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def perangkat_daerah(self, request: Request) -> Response:
        return self._catalogue_list(
            request,
            self.data.perangkat_daerah,
            {"kode_skpd": "kode_skpd", "jenis": "jenis_perangkat"},
        )

    async def satu_perangkat_daerah(self, request: Request) -> Response:
        denied = self._check_key(request)
        if denied is not None:
            return denied
        kode = request.path_params["kode_skpd"]
        for record in self.data.perangkat_daerah:
            if record["kode_skpd"] == kode:
                return JSONResponse({"status": "success", "data": record})
        return _catalogue_error(404, "Perangkat daerah tidak ditemukan")

    async def aplikasi(self, request: Request) -> Response:
        return self._catalogue_list(
            request,
            self.data.aplikasi,
            {
                "kode_skpd": "kode_skpd_pemilik",
                "id": "id_aplikasi",
                "jenis_aplikasi": "jenis_aplikasi",
            },
        )

    async def inovasi(self, request: Request) -> Response:
        return self._catalogue_list(
            request,
            self.data.inovasi,
            {"kode_skpd": "kode_skpd", "id": "id_inovasi", "jenis_inovasi": "jenis_inovasi"},
        )

    def _catalogue_list(
        self, request: Request, records: Iterable[Record], filters: dict[str, str]
    ) -> Response:
        denied = self._check_key(request)
        if denied is not None:
            return denied
        try:
            page = _int_param(request, "page", 1, minimum=1)
            per_page = min(_int_param(request, "per_page", 20, minimum=1), MAX_PAGE)
        except BadParameter as error:
            return _catalogue_error(400, str(error))
        found = _filtered(records, request, filters, lambda value: value.split(","))
        start = (page - 1) * per_page
        return JSONResponse(
            {
                "status": "success",
                "data": found[start : start + per_page],
                "meta": {
                    "page": page,
                    "per_page": per_page,
                    "total": len(found),
                    "total_pages": math.ceil(len(found) / per_page),
                },
            }
        )

    def _check_key(self, request: Request) -> Response | None:
        self.calls[request.url.path] += 1
        key = request.headers.get("x-api-key", "")
        if not any(hmac.compare_digest(key, known) for known in self.api_keys):
            return _catalogue_error(401, "API key tidak valid")
        return None

    # -- LAPOR! -------------------------------------------------------------------------

    async def laporan(self, request: Request) -> Response:
        denied = self._check_token(request)
        if denied is not None:
            return denied
        try:
            offset = _int_param(request, "offset", 0, minimum=0)
            limit = min(_int_param(request, "limit", 10, minimum=1), MAX_PAGE)
        except BadParameter as error:
            return JSONResponse({"success": False, "message": str(error)}, status_code=400)
        comma: Callable[[str], list[str]] = lambda value: value.split(",")  # noqa: E731
        found = _filtered(
            self.data.laporan,
            request,
            {"tracking_id": "tracking_id", "kode_wilayah": "kode_wilayah", "status": "status"},
            comma,
        )
        found = _filtered(
            found,
            request,
            {"instansi_tujuan": "instansi_tujuan"},
            lambda value: value.split(INSTANSI_SEPARATOR),
        )
        return JSONResponse(
            {"success": True, "results": len(found), "data": found[offset : offset + limit]}
        )

    async def satu_laporan(self, request: Request) -> Response:
        denied = self._check_token(request)
        if denied is not None:
            return denied
        tracking_id = request.path_params["tracking_id"]
        for record in self.data.laporan:
            if record["tracking_id"] == tracking_id:
                return JSONResponse({"success": True, "data": record})
        return JSONResponse({"success": False, "message": "Laporan tidak ditemukan"}, 404)

    def _check_token(self, request: Request) -> Response | None:
        self.calls[request.url.path] += 1
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not any(
            hmac.compare_digest(token, known) for known in self.lapor_tokens
        ):
            return JSONResponse(
                {"success": False, "message": "Unauthorized"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return None


def _int_param(request: Request, name: str, default: int, *, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"parameter {name} harus bilangan bulat") from None
    if value < minimum:
        raise BadParameter(f"parameter {name} minimal {minimum}")
    return value


def _filtered(
    records: Iterable[Record],
    request: Request,
    filters: dict[str, str],
    split: Callable[[str], list[str]],
) -> list[Record]:
    selected = list(records)
    for param, field in filters.items():
        raw = request.query_params.get(param)
        if raw is None or raw == "":
            continue
        wanted = {value.strip() for value in split(raw)}
        selected = [record for record in selected if str(record.get(field)) in wanted]
    return selected


def _catalogue_error(status: int, message: str) -> Response:
    body: dict[str, Any] = {"status": "error", "message": message}
    return JSONResponse(body, status_code=status)
