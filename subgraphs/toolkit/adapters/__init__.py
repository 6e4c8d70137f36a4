"""Adapters from legacy systems to records: REST-JSON and REST-XML.

All are async, bound every call with a timeout, retry reads on transient failures and
raise only :mod:`subgraphs.toolkit.errors` classes.
"""

from __future__ import annotations

from .auth import ApiKeyHeader, BearerToken
from .http import HttpSource, QueryParams
from .pagination import OffsetPagination, Page, PagePagination, Pagination, collect_pages
from .rest_json import JsonObject, RestJsonSource
from .rest_xml import RestXmlSource, element_record, local_name, parse_xml

__all__ = [
    "ApiKeyHeader",
    "BearerToken",
    "HttpSource",
    "JsonObject",
    "OffsetPagination",
    "Page",
    "PagePagination",
    "Pagination",
    "QueryParams",
    "RestJsonSource",
    "RestXmlSource",
    "collect_pages",
    "element_record",
    "local_name",
    "parse_xml",
]
