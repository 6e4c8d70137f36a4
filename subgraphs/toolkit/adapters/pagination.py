"""Walking a paginated list to its end: page/limit or offset/limit, as the upstream wants.

A page shorter than the page size is the last one. When the upstream also reports a total,
collection stops as soon as that many items arrived, saving the empty last call. A server
that ignores the paging parameters would repeat its first page forever, so ``max_pages``
caps the walk and exceeding it is an :class:`UpstreamBadResponse`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from ..errors import UpstreamBadResponse

__all__ = ["OffsetPagination", "Page", "PagePagination", "Pagination", "collect_pages"]

T = TypeVar("T")


class Pagination(Protocol):
    """How to ask for the n-th page."""

    @property
    def size(self) -> int:
        """Items asked for per page."""
        ...

    @property
    def max_pages(self) -> int:
        """The most pages one walk may fetch."""
        ...

    def params(self, index: int) -> dict[str, str | int | float | bool | None]:
        """Query parameters for page ``index`` (0 for the first page)."""
        ...


@dataclass(frozen=True, slots=True)
class PagePagination:
    """``?page=1&limit=100``, ``?page=2&limit=100``, ... (names and first page configurable)."""

    size: int = 100
    page_param: str = "page"
    size_param: str = "limit"
    first_page: int = 1
    max_pages: int = 1000

    def __post_init__(self) -> None:
        _check(self.size, self.max_pages)

    def params(self, index: int) -> dict[str, str | int | float | bool | None]:
        """Query parameters for page ``index`` (0 for the first page)."""
        return {self.page_param: self.first_page + index, self.size_param: self.size}


@dataclass(frozen=True, slots=True)
class OffsetPagination:
    """``?offset=0&limit=100``, ``?offset=100&limit=100``, ... (names configurable)."""

    size: int = 100
    offset_param: str = "offset"
    limit_param: str = "limit"
    max_pages: int = 1000

    def __post_init__(self) -> None:
        _check(self.size, self.max_pages)

    def params(self, index: int) -> dict[str, str | int | float | bool | None]:
        """Query parameters for page ``index`` (0 for the first page)."""
        return {self.offset_param: index * self.size, self.limit_param: self.size}


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One fetched page: its items and, when the upstream says, the total over all pages."""

    items: Sequence[T]
    total: int | None = None


async def collect_pages(
    fetch: Callable[[dict[str, str | int | float | bool | None]], Awaitable[Page[T]]],
    pagination: Pagination,
    *,
    upstream: str,
) -> list[T]:
    """Fetch pages with ``fetch(params)`` in order until the last one; all items in order."""
    items: list[T] = []
    for index in range(pagination.max_pages):
        page = await fetch(pagination.params(index))
        items.extend(page.items)
        if len(page.items) < pagination.size:
            return items
        if page.total is not None and len(items) >= page.total:
            return items
    raise UpstreamBadResponse(upstream, f"more than {pagination.max_pages} pages")


def _check(size: int, max_pages: int) -> None:
    if size < 1 or max_pages < 1:
        raise ValueError("page size and max_pages must be at least 1")
