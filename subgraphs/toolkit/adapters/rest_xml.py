"""REST-XML legacy systems, parsed with a hardened parser.

XML from a legacy system is untrusted input: a DTD can declare external entities that read
local files or reach internal hosts (XXE), or nested entities that expand a few hundred
bytes into gigabytes ("billion laughs"). Bodies are parsed with ``defusedxml`` refusing any
DTD, entity declaration or external reference, and all of those, like malformed XML, are an
:class:`UpstreamBadResponse`.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree
import httpx

from ..errors import UpstreamBadResponse
from .http import HttpSource, QueryParams
from .pagination import Page, Pagination, collect_pages

__all__ = ["RestXmlSource", "element_record", "local_name", "parse_xml"]


class RestXmlSource(HttpSource):
    """A REST service answering XML (a SiCantik/OSS-style permit service, ...).

    ``items`` is an ElementTree path from the root to the repeated record element
    (``"./data/izin"``, ``".//{*}item"``); ``total`` a path to an element whose text is the
    total count over all pages.
    """

    accept = "application/xml, text/xml"

    async def get_xml(self, path: str, *, params: QueryParams | None = None) -> Element:
        """``GET path`` and the root element of its body."""
        response = await self.request("GET", path, params=params)
        return self.decode(response)

    async def get_records(
        self, path: str, *, items: str, params: QueryParams | None = None
    ) -> list[dict[str, str | None]]:
        """``GET path`` and each element at ``items`` as a flat record (see element_record)."""
        root = await self.get_xml(path, params=params)
        return [element_record(element) for element in root.findall(items)]

    async def get_all(
        self,
        path: str,
        *,
        items: str,
        pagination: Pagination,
        params: QueryParams | None = None,
        total: str | None = None,
    ) -> list[dict[str, str | None]]:
        """Every record of a paginated XML list, one ``GET`` per page, in order."""

        async def fetch(page_params: QueryParams) -> Page[dict[str, str | None]]:
            root = await self.get_xml(path, params={**(params or {}), **page_params})
            records = [element_record(element) for element in root.findall(items)]
            return Page(records, self._total(root, total, path) if total else None)

        return await collect_pages(fetch, pagination, upstream=self.name)

    def decode(self, response: httpx.Response) -> Element:
        """The root element of ``response``'s body, parsed safely."""
        where = f"{response.request.method} {response.request.url.path}"
        return parse_xml(response.content, upstream=self.name, where=where)

    def _total(self, root: Element, path: str, where: str) -> int:
        text = root.findtext(path)
        try:
            return int((text or "").strip())
        except ValueError:
            raise UpstreamBadResponse(
                self.name, f"{where}: total {path!r} is not an integer"
            ) from None


def parse_xml(content: bytes | str, *, upstream: str, where: str = "") -> Element:
    """Parse untrusted XML: no DTD, no entity declarations, no external references."""
    try:
        return defusedxml.ElementTree.fromstring(
            content, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as error:
        # Named in the log so an operator can tell an attack from a broken export
        raise UpstreamBadResponse(
            upstream, f"{where}: refused XML ({type(error).__name__})"
        ) from error
    except ParseError as error:
        raise UpstreamBadResponse(upstream, f"{where}: malformed XML ({error})") from error


def local_name(tag: str) -> str:
    """A tag without its namespace: ``{urn:x}izin`` → ``izin``."""
    return tag.rpartition("}")[2]


def element_record(element: Element) -> dict[str, str | None]:
    """One XML record as a flat dict: attributes, then each child's text by local name.

    Whitespace around text is stripped and an empty element gives ``None``; when a child
    repeats, the last one wins, and grandchildren are ignored (read them from the element).
    """
    record: dict[str, str | None] = {local_name(k): v for k, v in element.attrib.items()}
    for child in element:
        text = (child.text or "").strip()
        record[local_name(child.tag)] = text or None
    return record
