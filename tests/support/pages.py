"""Paged list fields (``batas``/``lewati``, :mod:`subgraphs.toolkit.pages`) as the OPDs'
tests drive them: every page of a list, and the refusal of a page out of range."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["BAD_BATAS", "BAD_LEWATI", "BAD_PAGES", "Ask", "assert_refused", "walk"]

Ask = Callable[[str, dict[str, Any] | None], Awaitable[Any]]
"""A subgraph's ``query(document, variables)``: its JSON answer."""

BAD_BATAS = ("batas must be 1 to 500.", "batas harus 1 sampai 500.")
BAD_LEWATI = ("lewati must not be negative.", "lewati tidak boleh negatif.")

BAD_PAGES = (("batas: 0", BAD_BATAS), ("batas: 501", BAD_BATAS), ("lewati: -1", BAD_LEWATI))
"""Page arguments out of range, with the English message and the Indonesian
``extensions.pesan`` refusing each."""


async def walk(
    ask: Ask,
    document: str,
    items: Callable[[Any], list[Any]],
    batas: int,
    variables: dict[str, Any] | None = None,
) -> list[list[Any]]:
    """Every page of a list, in order: ``document`` asked with ``$batas`` and ``$lewati``
    (and ``variables``) from ``lewati`` 0 until a page comes back short."""
    pages: list[list[Any]] = []
    while True:
        given = {**(variables or {}), "batas": batas, "lewati": batas * len(pages)}
        body = await ask(document, given)
        assert "errors" not in body, body["errors"]
        found = items(body["data"])
        assert len(found) <= batas
        pages.append(found)
        if len(found) < batas:
            return pages
        assert len(pages) < 1000, "the list does not end"


async def assert_refused(
    ask: Ask,
    document: str,
    path: list[str | int],
    variables: dict[str, Any] | None = None,
) -> None:
    """``document`` (with ``{page}`` where the page arguments go) asked with each page of
    :data:`BAD_PAGES` answers ``BAD_USER_INPUT`` with its message and pesan, and null at
    ``path``."""
    for arguments, (message, pesan) in BAD_PAGES:
        body = await ask(document.replace("{page}", arguments), variables)
        assert [error["message"] for error in body["errors"]] == [message], arguments
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "pesan": pesan}
        assert body["errors"][0]["path"] == path
        value: Any = body["data"]
        for step in path:
            value = value[step]
        assert value is None, arguments
