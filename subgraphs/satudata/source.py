"""The open-data portal as the subgraph reaches it: CKAN's action API over HTTP.

``SATUDATA_URL`` names the portal (``http://127.0.0.1:4107``, the simulator, by default);
:func:`connect` takes it from arguments first, for tests and ``serve``. The portal is
public: no key. Every answer is CKAN's envelope, ``{"success": true, "result": ...}``; an
envelope saying otherwise, or a result of the wrong shape, is the portal's bad answer.

CKAN hands ``q`` and ``fq`` to Solr as they are, in Solr's query language: a client's words
go into ``q`` escaped, so that ``*:*``, ``name:x``, ``{!...}``, ``OR`` or an unbalanced
parenthesis are words to find, never a query that matches more or that Solr refuses; filter
values are only ever plain names (:data:`FQ_VALUE_RE`), quoted.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from subgraphs.toolkit import RetryPolicy, UpstreamBadResponse, UpstreamRejected
from subgraphs.toolkit.adapters import JsonObject, OffsetPagination, RestJsonSource

__all__ = ["DEFAULT_URL", "FQ_VALUE_RE", "CkanApi", "Organizations", "connect"]

DEFAULT_URL = "http://127.0.0.1:4107"
UPSTREAM = "satudata"
ORGANIZATION_PAGES = OffsetPagination(size=25, offset_param="offset", limit_param="limit")
"""CKAN lists at most 25 organisations with all their fields in one call."""
ORGANIZATIONS_TTL = 300.0
"""Seconds the organisations (and their kode SKPD) are reused: they change once a year."""
FQ_VALUE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}\Z")
"""A value the subgraph puts into a Solr filter: nothing that could close a term."""
_SOLR_SYNTAX = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
"""The characters Solr's standard and dismax parsers read as syntax (escaped with ``\\``)."""
_SOLR_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass(frozen=True, slots=True)
class Organizations:
    """The portal's organisations: producers of data, each an OPD by its kode SKPD."""

    by_name: Mapping[str, JsonObject]
    kode_by_name: Mapping[str, str]
    name_by_kode: Mapping[str, str]


@dataclass
class _Remembered:
    value: Organizations | None = None
    at: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(frozen=True, slots=True)
class CkanApi:
    """The portal's actions the graph needs, in CKAN's terms."""

    portal: RestJsonSource
    _organizations: _Remembered = field(default_factory=_Remembered)

    async def package_search(
        self,
        *,
        words: str = "",
        filters: Mapping[str, Sequence[str]] | None = None,
        rows: int = 10,
        start: int = 0,
        sort: str | None = None,
        facets: Sequence[str] = (),
    ) -> JsonObject:
        """One page of data sets: ``result`` with ``count``, ``results`` and, for the
        ``facets`` asked for, ``search_facets``. ``words`` are text a data set must hold,
        each taken literally; ``filters`` maps a Solr field to the values any of which a
        data set must have."""
        q = _literal_words(words)
        params: dict[str, Any] = {"q": q or None, "rows": rows, "start": start, "sort": sort}
        fq = _fq(filters or {})
        if fq:
            params["fq"] = fq
        if facets:
            params["facet.field"] = "[" + ",".join(f'"{name}"' for name in facets) + "]"
            params["facet.limit"] = 100
        result = await self._action("package_search", params)
        if not isinstance(result, dict) or not isinstance(result.get("results"), list):
            raise UpstreamBadResponse(UPSTREAM, "package_search: no results list")
        if not isinstance(result.get("count"), int):
            raise UpstreamBadResponse(UPSTREAM, "package_search: no count")
        return result

    async def packages_named(self, names: Sequence[str]) -> list[JsonObject]:
        """The data sets with these CKAN names (those that exist), in one call."""
        if not names:
            return []
        result = await self.package_search(filters={"name": names}, rows=len(names))
        return list(result["results"])

    async def organizations(self) -> Organizations:
        """Every organisation with its kode SKPD, fetched at most every five minutes."""
        remembered = self._organizations
        async with remembered.lock:
            fresh = time.monotonic() - remembered.at < ORGANIZATIONS_TTL
            if remembered.value is None or not fresh:
                remembered.value = await self._fetch_organizations()
                remembered.at = time.monotonic()
            return remembered.value

    async def _fetch_organizations(self) -> Organizations:
        found = await self.portal.get_all(
            "/api/3/action/organization_list",
            pagination=ORGANIZATION_PAGES,
            params={"all_fields": "true", "include_extras": "true"},
            items="result",
        )
        by_name = {str(org.get("name")): org for org in found}
        kode_by_name = {
            name: kode for name, org in by_name.items() if (kode := _extra(org, "kode_skpd"))
        }
        return Organizations(
            by_name=by_name,
            kode_by_name=kode_by_name,
            name_by_kode={kode: name for name, kode in kode_by_name.items()},
        )

    async def groups(self) -> list[JsonObject]:
        """The portal's groups (topics) with their data set counts."""
        result = await self._action("group_list", {"all_fields": "true"})
        if not isinstance(result, list) or not all(isinstance(g, dict) for g in result):
            raise UpstreamBadResponse(UPSTREAM, "group_list: not a list of groups")
        return result

    async def _action(self, name: str, params: Mapping[str, Any]) -> Any:
        try:
            body = await self.portal.get_json(f"/api/3/action/{name}", params=dict(params))
        except UpstreamRejected as error:
            # CKAN says why in its envelope, with 409; the detail keeps it for the logs
            raise UpstreamRejected(
                UPSTREAM, f"{name}: {error.detail}", status=error.status
            ) from error
        if not isinstance(body, dict) or body.get("success") is not True or "result" not in body:
            raise UpstreamBadResponse(UPSTREAM, f"{name}: not a successful CKAN answer")
        return body["result"]

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.portal.aclose()


def _literal_words(text: str) -> str:
    """``text``'s words as a Solr ``q`` finding them literally."""
    # CKAN's text field is case-insensitive, so an operator's word is searched in lower case
    return " ".join(
        word.lower() if word in _SOLR_OPERATORS else _SOLR_SYNTAX.sub(r"\\\1", word)
        for word in text.split()
    )


def _fq(filters: Mapping[str, Sequence[str]]) -> str:
    terms = []
    for solr_field, values in filters.items():
        for value in values:
            if not FQ_VALUE_RE.match(value):
                # resolvers check client values first; this guards the query language itself
                raise ValueError(f"not a filter value: {value!r}")
        if values:
            terms.append(f"{solr_field}:(" + " OR ".join(f'"{v}"' for v in values) + ")")
    return " ".join(terms)


def _extra(record: JsonObject, key: str) -> str | None:
    extras = record.get("extras")
    if not isinstance(extras, list):
        return None
    for extra in extras:
        if (
            isinstance(extra, dict)
            and extra.get("key") == key
            and isinstance(extra.get("value"), str)
        ):
            return str(extra["value"])
    return None


def connect(
    url: str | None = None,
    *,
    timeout: float = 5.0,
    retry: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> CkanApi:
    """The adapter to the portal at ``url`` (else ``SATUDATA_URL``, else the local
    simulator), to serve with ``make_app``."""
    base = url or os.environ.get("SATUDATA_URL", DEFAULT_URL)
    return CkanApi(
        RestJsonSource(UPSTREAM, base, timeout=timeout, retry=retry, transport=transport)
    )
