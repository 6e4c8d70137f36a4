"""Adapters from legacy systems to records: REST-JSON, REST-XML, SQL and file exports.

All are async, bound every call with a timeout, retry reads on transient failures and
raise only :mod:`subgraphs.toolkit.errors` classes.
"""

from __future__ import annotations

from .auth import ApiKeyHeader, BearerToken
from .files import FileExportSource, Record
from .http import HttpSource, QueryParams
from .pagination import OffsetPagination, Page, PagePagination, Pagination, collect_pages
from .rest_json import JsonObject, RestJsonSource
from .rest_xml import RestXmlSource, element_record, local_name, parse_xml
from .sql import Row, SqlSource, async_url, sqlite_url

__all__ = [
    "ApiKeyHeader",
    "BearerToken",
    "FileExportSource",
    "HttpSource",
    "JsonObject",
    "OffsetPagination",
    "Page",
    "PagePagination",
    "Pagination",
    "QueryParams",
    "Record",
    "RestJsonSource",
    "RestXmlSource",
    "Row",
    "SqlSource",
    "async_url",
    "collect_pages",
    "element_record",
    "local_name",
    "parse_xml",
    "sqlite_url",
]
