"""Keeping request data out of the gateway's logs.

A query sent by ``GET`` travels in the URL, and uvicorn's access line quotes the URL whole:
a verification's NIK, name and birth date would land in every access log. The access line
keeps the path and says a query string was there, never its content.
"""

from __future__ import annotations

import logging

__all__ = ["WithoutQueryString"]


class WithoutQueryString(logging.Filter):
    """Removes the query string from uvicorn's access lines (``?…`` stays as a marker)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access: (client address, method, path with query, HTTP version, status)
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, mark, _ = args[2].partition("?")
            record.args = (args[0], args[1], path + ("?…" if mark else ""), args[3], args[4])
        return True
