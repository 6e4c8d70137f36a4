"""The simulated Dapodik web service (SYNTHETIC DATA, see :mod:`.seed`).

Endpoints under ``/WebService/``, each answering ``GET`` with ``Authorization: Bearer
<token>`` and ExtJS-style paging (``start`` from 0, ``limit`` capped at ``max_limit``, 100
by default, 20 when absent):

- ``getSekolah``: schools, filters ``npsn``, ``sekolah_id``, ``kode_wilayah`` (Dapodik's
  region codes), ``bentuk_pendidikan`` and ``status_sekolah``, each a comma-separated list;
- ``getRekapPesertaDidik``: students per school (counts only), each row with its tingkat
  nested, filters ``npsn`` and ``sekolah_id``;
- ``getRekapGtk``: teachers (guru) and education staff (tendik) per school, same filters.

Every list answers ``{"results": total, "id": null, "start": s, "limit": l, "rows": [...]}``
as Dapodik's ExtJS front end expects, ``limit`` being the page size actually applied; a
missing or wrong token answers 401. ``calls`` counts the requests each path received.
"""

from __future__ import annotations

import hmac
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.reference import clock

from .seed import Dataset, dataset

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "DapodikSimulator"]

MAX_LIMIT = 100
DEFAULT_LIMIT = 20

Record = dict[str, Any]

REKAP_FILTERS = ("npsn", "sekolah_id")
SEKOLAH_FILTERS = (*REKAP_FILTERS, "kode_wilayah", "bentuk_pendidikan", "status_sekolah")


class BadParameter(Exception):
    """A query parameter the service refuses."""


class DapodikSimulator:
    """The web service; ``app`` is its ASGI application.

    ``tokens`` are the bearer tokens it accepts, required (a token in the code would be
    everybody's) and replaceable at run time (a rotated token); ``max_limit`` is the largest
    page the service hands out, whatever ``limit`` asks for. It serves ``data``, by default
    Dapodik's rows as of ``today`` (by default the simulators' clock).
    """

    def __init__(
        self,
        *,
        tokens: Collection[str],
        max_limit: int = MAX_LIMIT,
        data: Dataset | None = None,
        today: date | None = None,
    ) -> None:
        if max_limit < 1:
            raise ValueError("max_limit must be at least 1")
        self.tokens = tuple(tokens)
        self.max_limit = max_limit
        self.data = data or dataset(today if today is not None else clock.today())
        self.calls: Counter[str] = Counter()
        # The rows each endpoint serves, public so that a test can corrupt one
        self.sekolah = [dict(s.row) for s in self.data.sekolah]
        self.peserta_didik = self.data.rekap_peserta_didik()
        self.gtk = self.data.rekap_gtk()
        self.app = Starlette(
            routes=[
                Route("/health", self.health),
                Route("/WebService/getSekolah", self.get_sekolah),
                Route("/WebService/getRekapPesertaDidik", self.get_rekap_peserta_didik),
                Route("/WebService/getRekapGtk", self.get_rekap_gtk),
            ]
        )

    async def health(self, request: Request) -> Response:
        """Ready: the data is built in the constructor, before the app exists."""
        return JSONResponse({"status": "ok"})

    async def get_sekolah(self, request: Request) -> Response:
        """``getSekolah``: school rows."""
        return self._list(request, self.sekolah, SEKOLAH_FILTERS)

    async def get_rekap_peserta_didik(self, request: Request) -> Response:
        """``getRekapPesertaDidik``: one count row per school."""
        return self._list(request, self.peserta_didik, REKAP_FILTERS)

    async def get_rekap_gtk(self, request: Request) -> Response:
        """``getRekapGtk``: one count row per school."""
        return self._list(request, self.gtk, REKAP_FILTERS)

    def _authorized(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and any(
            hmac.compare_digest(token.encode(), known.encode()) for known in self.tokens
        )

    def _list(self, request: Request, rows: Sequence[Record], filters: Sequence[str]) -> Response:
        self.calls[request.url.path] += 1
        if not self._authorized(request):
            return JSONResponse(
                {"success": False, "message": "Token tidak valid"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        try:
            start = _int_param(request, "start", 0, minimum=0)
            limit = min(_int_param(request, "limit", DEFAULT_LIMIT, minimum=1), self.max_limit)
        except BadParameter as error:
            return JSONResponse({"success": False, "message": str(error)}, status_code=400)
        found = _filtered(rows, request, filters)
        return JSONResponse(
            {
                "results": len(found),
                "id": None,
                "start": start,
                "limit": limit,
                "rows": found[start : start + limit],
            }
        )


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


def _filtered(rows: Sequence[Record], request: Request, filters: Sequence[str]) -> list[Record]:
    """Rows matching every filter given; values compare stripped, since Dapodik pads its
    char columns (``kode_wilayah`` is ``"136101  "``)."""
    selected = list(rows)
    for field in filters:
        raw = request.query_params.get(field)
        if raw is None or raw == "":
            continue
        wanted = {value.strip() for value in raw.split(",")}
        selected = [row for row in selected if str(row.get(field, "")).strip() in wanted]
    return selected
