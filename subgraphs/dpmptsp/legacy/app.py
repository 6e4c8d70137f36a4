"""The simulated DPMPTSP services: SiCantik's list API and an OSS-RBA data connector.

Both answer XML (``application/xml``) and want an API key; without one they answer 401,
with a wrong one 403, each with an XML error body. Paging is ``?limit=&offset=`` (at most
100 records a page, 10 by default); list filters take comma-separated values.

- ``/sicantik/api/listpermohonanterbit``: issued permits (status ``Terbit`` or ``Dicabut``),
  filters ``tahun`` (of ``d_terbit``), ``kecamatan`` / ``kelurahan`` (BPS codes), ``jenis``
  (``kd_perizinan``), ``no_surat``. Header ``X-API-Key``.
- ``/sicantik/api/listpermohonanproses``: applications not (yet) issued: in process or
  ``Ditolak``; ``tahun`` of ``d_terima_berkas``, the same filters, ``no_permohonan``.
- ``/oss/api/inqueryNIB``: businesses, filters ``nib`` (at most 50 per request) and
  ``kd_daerah``. Header ``user_key``.
- ``/oss/api/izin``: business permits, filters ``nib`` (at most 50), ``kd_daerah``,
  ``nomor_izin``, ``id_izin``, ``tahun`` (of issue, or of application when not issued).

``calls`` counts the requests each path received, for tests and operators alike.
"""

from __future__ import annotations

import hmac
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.reference import clock

from .seed import Perizinan, Record, perizinan

__all__ = ["MAX_NIB", "MAX_PAGE", "DpmptspSimulator"]

MAX_PAGE = 100
DEFAULT_PAGE = 10
MAX_NIB = 50
SICANTIK_TERBIT = frozenset({"Terbit", "Dicabut"})

Filter = Callable[[Record, set[str]], bool]


class BadParameter(Exception):
    """A query parameter the service refuses."""


def _field(name: str) -> Filter:
    return lambda record, wanted: str(record.get(name)) in wanted


def _year_of(*fields: str) -> Filter:
    def matches(record: Record, wanted: set[str]) -> bool:
        stamp = next((record[f] for f in fields if record.get(f)), None)
        return stamp is not None and str(stamp)[:4] in wanted

    return matches


def _prefix(name: str) -> Filter:
    return lambda record, wanted: any(str(record.get(name)).startswith(w) for w in wanted)


SICANTIK_FILTERS: dict[str, Filter] = {
    "kecamatan": _prefix("kd_kelurahan"),
    "kelurahan": _field("kd_kelurahan"),
    "jenis": _field("kd_perizinan"),
}
OSS_FILTERS: dict[str, Filter] = {"nib": _field("nib"), "kd_daerah": _field("kd_daerah")}


class DpmptspSimulator:
    """The services; ``app`` is their ASGI application.

    ``api_keys`` are the keys both accept, required (a key in the code would be everybody's)
    and replaceable at run time. They serve ``data``, by default what both systems exported
    on ``today`` (by default the simulators' clock).
    """

    def __init__(
        self,
        *,
        api_keys: Collection[str],
        data: Perizinan | None = None,
        today: date | None = None,
    ) -> None:
        self.api_keys = tuple(api_keys)
        self.data = data or perizinan(today if today is not None else clock.today())
        self.calls: Counter[str] = Counter()
        self.terbit = tuple(r for r in self.data.permohonan if r["status"] in SICANTIK_TERBIT)
        self.proses = tuple(r for r in self.data.permohonan if r["status"] not in SICANTIK_TERBIT)
        self.app = Starlette(
            routes=[
                Route("/health", self.health),
                Route("/sicantik/api/listpermohonanterbit", self.list_terbit),
                Route("/sicantik/api/listpermohonanproses", self.list_proses),
                Route("/oss/api/inqueryNIB", self.inquery_nib),
                Route("/oss/api/izin", self.izin),
            ]
        )

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    # -- SiCantik -----------------------------------------------------------------------

    async def list_terbit(self, request: Request) -> Response:
        filters = {
            **SICANTIK_FILTERS,
            "tahun": _year_of("d_terbit"),
            "no_surat": _field("no_surat"),
        }
        return self._sicantik(request, self.terbit, filters)

    async def list_proses(self, request: Request) -> Response:
        filters = {
            **SICANTIK_FILTERS,
            "tahun": _year_of("d_terima_berkas"),
            "no_permohonan": _field("no_permohonan"),
        }
        return self._sicantik(request, self.proses, filters)

    def _sicantik(
        self, request: Request, records: Iterable[Record], filters: dict[str, Filter]
    ) -> Response:
        denied = self._check_key(request, "x-api-key")
        if denied is not None:
            return denied
        try:
            offset, limit = _paging(request)
            found = _filtered(records, request, filters)
        except BadParameter as error:
            return _error(400, str(error))
        root = Element("response")
        _text(root, "status", "success")
        _text(root, "total", len(found))
        _text(root, "limit", limit)
        _text(root, "offset", offset)
        data = SubElement(root, "data")
        for record in found[offset : offset + limit]:
            _record(SubElement(data, "permohonan"), record)
        return _xml(root)

    # -- OSS-RBA ------------------------------------------------------------------------

    async def inquery_nib(self, request: Request) -> Response:
        denied = self._check_key(request, "user_key")
        if denied is not None:
            return denied
        try:
            offset, limit = _paging(request)
            found = _filtered(self.data.usaha, request, OSS_FILTERS)
        except BadParameter as error:
            return _error(400, str(error))
        root = _oss_root("responinqueryNIB", len(found))
        data = SubElement(root, "dataNIB")
        for record in found[offset : offset + limit]:
            item = SubElement(data, "nib_data")
            _record(item, {k: v for k, v in record.items() if k != "kbli"})
            kbli = SubElement(item, "data_kbli")
            for sector in record["kbli"]:
                _record(SubElement(kbli, "kbli"), sector)
        return _xml(root)

    async def izin(self, request: Request) -> Response:
        denied = self._check_key(request, "user_key")
        if denied is not None:
            return denied
        filters = {
            **OSS_FILTERS,
            "nomor_izin": _field("nomor_izin"),
            "id_izin": _field("id_izin"),
            "tahun": _year_of("tgl_terbit_izin", "tgl_permohonan"),
        }
        try:
            offset, limit = _paging(request)
            found = _filtered(self.data.izin_usaha, request, filters)
        except BadParameter as error:
            return _error(400, str(error))
        root = _oss_root("responIzin", len(found))
        data = SubElement(root, "dataIzin")
        for record in found[offset : offset + limit]:
            _record(SubElement(data, "izin"), record)
        return _xml(root)

    def _check_key(self, request: Request, header: str) -> Response | None:
        self.calls[request.url.path] += 1
        key = request.headers.get(header)
        if not key:
            return _error(401, "API key diperlukan")
        if not any(hmac.compare_digest(key, known) for known in self.api_keys):
            return _error(403, "API key tidak valid")
        return None


def _paging(request: Request) -> tuple[int, int]:
    offset = _int_param(request, "offset", 0, minimum=0)
    limit = min(_int_param(request, "limit", DEFAULT_PAGE, minimum=1), MAX_PAGE)
    return offset, limit


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
    records: Iterable[Record], request: Request, filters: dict[str, Filter]
) -> list[Record]:
    selected = list(records)
    for param, matches in filters.items():
        raw = request.query_params.get(param)
        if raw is None or raw == "":
            continue
        wanted = {value.strip() for value in raw.split(",") if value.strip()}
        if param == "nib" and len(wanted) > MAX_NIB:
            raise BadParameter(f"maksimal {MAX_NIB} NIB per permintaan")
        selected = [record for record in selected if matches(record, wanted)]
    return selected


def _text(parent: Element, tag: str, value: Any) -> None:
    SubElement(parent, tag).text = None if value is None else str(value)


def _record(element: Element, record: Record) -> None:
    for name, value in record.items():
        _text(element, name, value)


def _oss_root(tag: str, total: int) -> Element:
    root = Element(tag)
    _text(root, "kode", 200)
    _text(root, "keterangan", "Sukses")
    _text(root, "total", total)
    return root


def _xml(root: Element, status: int = 200) -> Response:
    body = tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, status_code=status, media_type="application/xml")


def _error(status: int, message: str) -> Response:
    root = Element("response")
    _text(root, "status", "error")
    _text(root, "kode", status)
    _text(root, "message", message)
    return _xml(root, status)
