"""The simulated open-data portal: the read side of CKAN 2.10's action API, and its files.

Routes, as CKAN answers them (``{"help": ..., "success": true, "result": ...}``; errors
``{"success": false, "error": {"__type": ..., "message": ...}}`` with 404 or 409):

- ``/api/3/action/package_search``: ``q`` (words, all must occur in a data set's title,
  description, tags, organisation or group; ``*:*`` or nothing: every data set; a character
  after ``\\`` is the character itself, as Solr reads escapes; local parameters
  (``{!...}``) refused, as CKAN 2.10 refuses them by default), ``fq`` (Solr filter terms
  ``field:value``, ``field:"a value"`` or ``field:(a OR b)``, on ``organization``,
  ``groups``, ``res_format``, ``tags``, ``name``, ``id``, ``license_id`` and
  ``extras_<key>``), ``rows`` (default 10, at most 1000), ``start``, ``sort`` (``score
  desc, metadata_modified desc`` by default; ``metadata_modified desc``, ``title_string
  asc|desc``, ``name asc``) and ``facet.field`` (a JSON list), answered with ``count``,
  ``results``, ``facets`` and ``search_facets``;
- ``/api/3/action/package_show?id=`` (name or id), ``organization_list`` (``all_fields``,
  ``include_extras``, ``limit`` at most 25 with all fields as CKAN's default
  ``ckan.group_and_organization_list_all_fields_max``, ``offset``), ``organization_show``,
  ``group_list`` and ``status_show``;
- ``/dataset/{id}/resource/{resource_id}/download/{file}``: a CSV or JSON resource's file
  (synthetic figures for the data set's areas and years); spreadsheets and PDFs are listed
  but not stored here (404, as a portal answers for a file lost in its storage).

No key is needed: a city's open-data portal is public. ``calls`` counts the requests each
action received.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.reference import kecamatan_list, kelurahan_list, seeded_rng
from subgraphs.reference.clock import today as clock_today

from .seed import Catalogue, Record, catalogue

__all__ = ["MAX_ORGANIZATIONS", "MAX_ROWS", "CkanSimulator"]

MAX_ROWS = 1000
MAX_ORGANIZATIONS = 25
CKAN_VERSION = "2.10.4"
DEFAULT_SORT = "score desc, metadata_modified desc"
SORTS = (
    DEFAULT_SORT,
    "metadata_modified desc",
    "title_string asc",
    "title_string desc",
    "name asc",
)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_FQ_TERM = re.compile(r'\s*(?:(?:AND)\s+)?([+]?)([a-z_]+):("[^"]*"|\([^)]*\)|[^\s()"]+)\s*')


class ActionError(Exception):
    """A request CKAN refuses: the HTTP status, the error type and its fields."""

    def __init__(self, status: int, kind: str, **fields: Any) -> None:
        super().__init__(kind)
        self.status = status
        self.kind = kind
        self.fields = fields


class CkanSimulator:
    """The portal; ``app`` is its ASGI application. ``today`` fixes its catalogue (the day
    the simulator started, by the simulators' clock), ``data`` replaces it."""

    def __init__(self, *, today: date | None = None, data: Catalogue | None = None) -> None:
        self.data = data or catalogue(today or clock_today())
        self.calls: Counter[str] = Counter()
        self._by_key = {
            key: package
            for package in self.data.packages
            for key in (package["id"], package["name"])
        }
        actions: dict[str, Callable[[Request], Any]] = {
            "package_search": self.package_search,
            "package_show": self.package_show,
            "organization_list": self.organization_list,
            "organization_show": self.organization_show,
            "group_list": self.group_list,
            "status_show": self.status_show,
        }
        self.app = Starlette(
            routes=[
                Route("/health", self.health),
                *(
                    Route(f"/api/3/action/{name}", self._action(name, handler))
                    for name, handler in actions.items()
                ),
                Route(
                    "/dataset/{package_id}/resource/{resource_id}/download/{file}", self.download
                ),
            ]
        )

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "packages": len(self.data.packages)})

    def _action(self, name: str, handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            self.calls[name] += 1
            help_url = f"{_base(request)}/api/3/action/help_show?name={name}"
            try:
                result = handler(request)
            except ActionError as error:
                body = {"__type": error.kind, **error.fields}
                return JSONResponse(
                    {"help": help_url, "success": False, "error": body}, status_code=error.status
                )
            return JSONResponse({"help": help_url, "success": True, "result": result})

        return endpoint

    # -- actions --------------------------------------------------------------------------

    def package_search(self, request: Request) -> dict[str, Any]:
        params = request.query_params
        rows = _integer(params, "rows", 10, maximum=MAX_ROWS)
        start = _integer(params, "start", 0, maximum=None)
        sort = params.get("sort") or DEFAULT_SORT
        if sort not in SORTS:
            raise ActionError(409, "Search Query Error", message=f"Invalid sort: {sort}")
        words = _words(params.get("q", ""))
        filters = _filters(params.get("fq", ""))
        found = [
            (package, _score(package, words))
            for package in self.data.packages
            if _matches(package, words) and all(_passes(package, f) for f in filters)
        ]
        found.sort(key=_sort_key(sort))
        facet_fields = _facet_fields(params.get("facet.field"))
        facet_limit = _integer(params, "facet.limit", 50, maximum=None)
        packages = [package for package, _ in found]
        base = _base(request)
        return {
            "count": len(found),
            "sort": sort,
            "results": [_absolute(package, base) for package in packages[start : start + rows]],
            "facets": {
                field: {item["name"]: item["count"] for item in items}
                for field, items in _facets(packages, facet_fields, facet_limit).items()
            },
            "search_facets": {
                field: {"title": field, "items": items}
                for field, items in _facets(packages, facet_fields, facet_limit).items()
            },
        }

    def package_show(self, request: Request) -> Record:
        package = self._by_key.get(request.query_params.get("id", ""))
        if package is None:
            raise ActionError(404, "Not Found Error", message="Not found")
        return _absolute(package, _base(request))

    def organization_list(self, request: Request) -> list[Any]:
        params = request.query_params
        all_fields = _flag(params, "all_fields")
        limit = _integer(
            params,
            "limit",
            MAX_ORGANIZATIONS if all_fields else MAX_ROWS,
            maximum=MAX_ORGANIZATIONS if all_fields else MAX_ROWS,
        )
        offset = _integer(params, "offset", 0, maximum=None)
        organizations = sorted(self.data.organizations, key=lambda org: org["name"])
        page = organizations[offset : offset + limit]
        if not all_fields:
            return [org["name"] for org in page]
        extras = _flag(params, "include_extras")
        return [org if extras else _without(org, "extras") for org in page]

    def organization_show(self, request: Request) -> Record:
        key = request.query_params.get("id", "")
        for org in self.data.organizations:
            if key in (org["id"], org["name"]):
                return org
        raise ActionError(404, "Not Found Error", message="Not found")

    def group_list(self, request: Request) -> list[Any]:
        if _flag(request.query_params, "all_fields"):
            return list(self.data.groups)
        return [group["name"] for group in self.data.groups]

    def status_show(self, request: Request) -> Record:
        return {
            "site_title": "Satu Data Kota Pontianak",
            "site_url": _base(request),
            "site_description": "Portal data terbuka Pemerintah Kota Pontianak.",
            "ckan_version": CKAN_VERSION,
            "locale_default": "id",
            "extensions": ["datastore", "scheming_datasets"],
        }

    # -- files ----------------------------------------------------------------------------

    async def download(self, request: Request) -> Response:
        self.calls["download"] += 1
        package = self._by_key.get(request.path_params["package_id"])
        resource = next(
            (
                r
                for r in (package or {}).get("resources", ())
                if r["id"] == request.path_params["resource_id"]
            ),
            None,
        )
        if package is None or resource is None or resource["format"] not in ("CSV", "JSON"):
            return Response("Not found", status_code=404, media_type="text/plain")
        rows = _figures(package, resource["tahun"])
        if resource["format"] == "JSON":
            return JSONResponse(rows)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _absolute(package: Record, base: str) -> Record:
    """The package with its resources' URLs made absolute, as CKAN stores uploads."""
    resources = [
        {key: value for key, value in r.items() if key != "tahun"}
        | {"url": base + r["url"], "tahun": str(r["tahun"])}
        for r in package["resources"]
    ]
    return {**package, "resources": resources}


def _without(record: Record, key: str) -> Record:
    return {k: v for k, v in record.items() if k != key}


def _integer(params: Any, name: str, default: int, *, maximum: int | None) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ActionError(409, "Validation Error", **{name: ["Invalid integer"]}) from None
    if value < 0:
        raise ActionError(409, "Validation Error", **{name: ["Must be a natural number"]})
    if maximum is not None and value > maximum:
        raise ActionError(
            409, "Validation Error", **{name: [f"Must be less than or equal to {maximum}"]}
        )
    return value


def _flag(params: Any, name: str) -> bool:
    return str(params.get(name, "false")).lower() in ("true", "1", "yes")


def _words(q: str) -> list[str]:
    q = q.strip()
    if q.startswith("{!"):
        # CKAN 2.10: ckan.search.solr_allowed_query_parsers is empty by default
        raise ActionError(
            409, "Search Error", message="Local parameters are not supported in param 'q'."
        )
    if q in ("", "*:*"):
        return []
    return [_ESCAPE.sub(r"\1", word).lower() for word in q.split()]


def _text(package: Record) -> str:
    parts = [
        package["title"],
        package["notes"] or "",
        package["organization"]["title"],
        *(tag["name"] for tag in package["tags"]),
        *(group["title"] for group in package["groups"]),
    ]
    return " ".join(parts).lower()


def _matches(package: Record, words: list[str]) -> bool:
    text = _text(package)
    return all(word in text for word in words)


def _score(package: Record, words: list[str]) -> int:
    title = package["title"].lower()
    return sum(2 if word in title else 1 for word in words)


def _sort_key(sort: str) -> Callable[[tuple[Record, int]], Any]:
    if sort == DEFAULT_SORT:
        return lambda item: (-item[1], _descending(item[0]["metadata_modified"]))
    if sort == "metadata_modified desc":
        return lambda item: _descending(item[0]["metadata_modified"])
    if sort == "title_string desc":
        return lambda item: _descending(item[0]["title"].lower())
    if sort == "name asc":
        return lambda item: item[0]["name"]
    return lambda item: item[0]["title"].lower()


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(char) for char in text)


def _filters(fq: str) -> list[tuple[str, tuple[str, ...]]]:
    terms: list[tuple[str, tuple[str, ...]]] = []
    position = 0
    fq = fq.strip()
    while position < len(fq):
        match = _FQ_TERM.match(fq, position)
        if match is None:
            raise ActionError(409, "Search Query Error", message=f"Search Query is invalid: {fq!r}")
        _, field, value = match.groups()
        terms.append((field, _values(value)))
        position = match.end()
    return terms


def _values(value: str) -> tuple[str, ...]:
    if value.startswith("("):
        inner = value[1:-1]
        return tuple(
            part.strip('"') for part in re.findall(r'"[^"]*"|[^\s"]+', inner) if part != "OR"
        )
    return (value.strip('"'),)


def _field_values(package: Record, field: str) -> Iterable[str]:
    if field == "organization":
        return (package["organization"]["name"],)
    if field == "groups":
        return (group["name"] for group in package["groups"])
    if field == "res_format":
        return (resource["format"] for resource in package["resources"])
    if field == "tags":
        return (tag["name"] for tag in package["tags"])
    if field in ("name", "id", "license_id"):
        return (package[field],)
    if field.startswith("extras_"):
        key = field.removeprefix("extras_")
        return (extra["value"] for extra in package["extras"] if extra["key"] == key)
    raise ActionError(
        409, "Search Query Error", message=f"Search Query is invalid: undefined field {field}"
    )


def _passes(package: Record, term: tuple[str, tuple[str, ...]]) -> bool:
    field, wanted = term
    return any(value in wanted for value in _field_values(package, field))


def _facet_fields(raw: str | None) -> list[str]:
    if not raw:
        return []
    try:
        fields = json.loads(raw)
    except ValueError:
        raise ActionError(409, "Validation Error", **{"facet.field": ["Not a list"]}) from None
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise ActionError(409, "Validation Error", **{"facet.field": ["Not a list"]})
    return fields


def _facets(
    packages: list[Record], fields: list[str], limit: int
) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {}
    for field in fields:
        counts: Counter[str] = Counter()
        titles: dict[str, str] = {}
        for package in packages:
            values = set(_field_values(package, field))
            counts.update(values)
            if field == "organization":
                titles[package["organization"]["name"]] = package["organization"]["title"]
            elif field == "groups":
                titles.update((g["name"], g["title"]) for g in package["groups"])
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
        result[field] = [
            {"name": name, "display_name": titles.get(name, name), "count": count}
            for name, count in ranked
        ]
    return result


def _extra(package: Record, key: str) -> str:
    return next((e["value"] for e in package["extras"] if e["key"] == key), "")


def _figures(package: Record, year: int) -> list[dict[str, Any]]:
    """The rows of a published file: one per area (or per year for city-wide data)."""
    rng = seeded_rng("satudata", "file", package["name"], year)
    tingkat = _extra(package, "tingkat_penyajian")
    satuan = _extra(package, "satuan")
    if tingkat == "Kelurahan":
        areas = [(k.kode, k.nama) for k in kelurahan_list()]
    elif tingkat == "Kecamatan":
        areas = [(k.kode, k.nama) for k in kecamatan_list()]
    else:
        areas = [("61.71", "Kota Pontianak")]
    return [
        {
            "tahun": year,
            "kode_wilayah": kode,
            "nama_wilayah": nama,
            "nilai": rng.randrange(1, 5000),
            "satuan": satuan,
        }
        for kode, nama in areas
    ]
