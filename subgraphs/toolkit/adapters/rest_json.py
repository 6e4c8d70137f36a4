"""REST-JSON legacy systems: JSON bodies, lists of records, paginated lists.

Everything :class:`HttpSource` does (deadline, retries for reads, error mapping), plus:
a body that is not JSON, or not the shape asked for, is an :class:`UpstreamBadResponse`.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from ..errors import UpstreamBadResponse
from .http import HttpSource, QueryParams
from .pagination import Page, Pagination, collect_pages

__all__ = ["JsonObject", "RestJsonSource"]

JsonObject = dict[str, Any]

UTF8_BOM = b"\xef\xbb\xbf"


class RestJsonSource(HttpSource):
    """A REST service answering JSON (Dapodik's web service, a LAPOR!-style API, ...).

    ``items`` and ``total`` name where a list and its total count sit in a body, as a dotted
    path (``"rows"``, ``"result.data"``); ``None`` for ``items`` means the body is the list.
    """

    accept = "application/json"

    async def get_json(self, path: str, *, params: QueryParams | None = None) -> Any:
        """``GET path`` and its decoded JSON body."""
        return self.decode(await self.request("GET", path, params=params))

    async def post_json(
        self, path: str, body: Any, *, params: QueryParams | None = None, read: bool = False
    ) -> Any:
        """``POST path`` with a JSON body and the decoded JSON answer.

        Not retried unless ``read=True`` says the POST only queries.
        """
        return self.decode(await self.request("POST", path, params=params, json=body, read=read))

    async def get_records(
        self, path: str, *, params: QueryParams | None = None, items: str | None = None
    ) -> list[JsonObject]:
        """``GET path`` and the list of objects found at ``items`` in its body."""
        body = await self.get_json(path, params=params)
        return self.records(body, items, where=path)

    async def get_all(
        self,
        path: str,
        *,
        pagination: Pagination,
        params: QueryParams | None = None,
        items: str | None = None,
        total: str | None = None,
    ) -> list[JsonObject]:
        """Every object of a paginated list, one ``GET`` per page, in order."""

        async def fetch(page_params: QueryParams) -> Page[JsonObject]:
            body = await self.get_json(path, params={**(params or {}), **page_params})
            count = dig(body, total, self.name, path) if total is not None else None
            if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
                raise UpstreamBadResponse(self.name, f"{path}: total {total!r} is not an integer")
            return Page(self.records(body, items, where=path), count)

        return await collect_pages(fetch, pagination, upstream=self.name)

    def decode(self, response: httpx.Response) -> Any:
        """The JSON body of ``response``; :class:`UpstreamBadResponse` when it is not JSON."""
        # Some Windows-hosted systems start their JSON with a byte order mark
        content = response.content.removeprefix(UTF8_BOM)
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError as error:
            where = f"{response.request.method} {response.request.url.path}"
            raise UpstreamBadResponse(self.name, f"{where}: malformed JSON ({error})") from error

    def records(self, body: Any, items: str | None, *, where: str) -> list[JsonObject]:
        """The list of objects at ``items`` in ``body``, checked to be objects."""
        found = dig(body, items, self.name, where) if items is not None else body
        if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
            raise UpstreamBadResponse(self.name, f"{where}: expected a list of objects")
        return found


def dig(body: Any, path: str, upstream: str, where: str) -> Any:
    """The value at dotted ``path`` in a JSON body; :class:`UpstreamBadResponse` if absent."""
    value = body
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise UpstreamBadResponse(upstream, f"{where}: no {path!r} in the answer")
        value = value[key]
    return value
