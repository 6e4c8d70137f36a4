"""Pages of a list field: ``batas`` (page size) and ``lewati`` (items to skip).

A list that grows with the city's data (permits, businesses, schools, complaints) must not
be answerable whole in one call: one request would then ask an upstream for everything it
holds, and the gateway's demand control, which sizes a list by its ``@listSize``, would
have no bound to price it by. A growable list field therefore takes ``batas`` (1 to
:data:`PAGE_SIZE`, default :data:`PAGE_SIZE`) and ``lewati`` (default 0), is marked with
:func:`paged` and returns :func:`page` of its filtered, ordered items::

    @described("Schools, ...", directives=paged(300))  # ~300 schools in the city
    async def daftar_sekolah(
        self,
        batas: Annotated[int, strawberry.argument(description=BATAS)] = PAGE_SIZE,
        lewati: Annotated[int, strawberry.argument(description=LEWATI)] = 0,
    ) -> list[Sekolah] | None:
        return page([...], batas, lewati)

A list whose size the city fixes (its 6 kecamatan, 12 months) takes no page arguments; it
is marked with :func:`sized`, so the gateway prices it by its real size rather than a
default guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from strawberry import UNSET
from strawberry.federation.schema_directives import ListSize

from .schema import bad_input

__all__ = ["BATAS", "LEWATI", "PAGE_SIZE", "check_page", "page", "paged", "sized"]

T = TypeVar("T")

PAGE_SIZE = 500
"""The default and the largest page: what one call of a growable list returns at most."""

BATAS = f"Items per page, at most {PAGE_SIZE} (default {PAGE_SIZE})."
"""The description of a ``batas`` argument."""

LEWATI = "Items to skip before the page (default 0)."
"""The description of a ``lewati`` argument."""


def paged(assumed: int | None = None) -> list[object]:
    """The schema directives of a paged list field (its ``directives=``): ``@listSize``
    with ``batas`` as the slicing argument, so the gateway prices a call by the page it
    asks for, and by ``assumed`` (the list's realistic size, default :data:`PAGE_SIZE`)
    when ``batas`` is left to its default. ``batas`` is optional, hence
    ``requireOneSlicingArgument: false``."""
    size = PAGE_SIZE if assumed is None else assumed
    if not 0 <= size <= PAGE_SIZE:
        # A page never holds more than PAGE_SIZE items: a larger estimate would be false
        raise ValueError(f"assumed must be 0 to {PAGE_SIZE}, not {size}")
    return [
        ListSize(
            assumed_size=size,
            slicing_arguments=["batas"],
            sized_fields=UNSET,
            require_one_slicing_argument=False,
        )
    ]


def sized(size: int) -> list[object]:
    """The schema directives of a list field of a fixed or bounded size (its
    ``directives=``): a plain ``@listSize(assumedSize: size)``, for the gateway to price
    the list by ``size`` items instead of its default guess."""
    if size < 0:
        raise ValueError(f"size must not be negative, not {size}")
    # UNSET leaves an argument out; requireOneSlicingArgument means nothing without slicing
    # arguments, and strawberry would print its default (true)
    return [
        ListSize(
            assumed_size=size,
            slicing_arguments=UNSET,
            sized_fields=UNSET,
            require_one_slicing_argument=UNSET,
        )
    ]


def check_page(batas: int, lewati: int) -> None:
    """Refuse a page size or offset out of range as the client's error
    (``BAD_USER_INPUT``), not answer an empty or unbounded page. :func:`page` checks too;
    call this first in a resolver so that a bad page costs no upstream call."""
    if not 1 <= batas <= PAGE_SIZE:
        raise bad_input(
            f"batas must be 1 to {PAGE_SIZE}.", pesan=f"batas harus 1 sampai {PAGE_SIZE}."
        )
    if lewati < 0:
        raise bad_input("lewati must not be negative.", pesan="lewati tidak boleh negatif.")


def page(items: Sequence[T], batas: int, lewati: int) -> list[T]:
    """The page of ``items`` (already filtered and in the list's order) after ``lewati``
    items, at most ``batas`` long; checked as :func:`check_page` does."""
    check_page(batas, lewati)
    return list(items[lewati : lewati + batas])
