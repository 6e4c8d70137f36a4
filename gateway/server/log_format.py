"""The gateway's log lines: uvicorn's text for development, or one JSON object a line.

``server.log_format = "json"`` is for production, where a log collector reads fields rather
than text: every line has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``,
and within a request its ``request_id`` and ``trace_id`` (:mod:`gateway.log_context`), so
that a line leads to the request's trace and the request's other lines. The privacy rules
are the text format's: the message is the one :mod:`.log_privacy`'s filter left (no query
string), and the gateway logs no query text and no variables in either format.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import orjson

from ..log_context import REQUEST_ID, TRACE_ID

__all__ = ["JsonFormatter", "with_format"]


class JsonFormatter(logging.Formatter):
    """One JSON object per record (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            line["request_id"] = request_id
        trace_id = TRACE_ID.get()
        if trace_id is not None:
            line["trace_id"] = trace_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line).decode()


def with_format(config: dict[str, Any], log_format: str) -> dict[str, Any]:
    """uvicorn's logging ``config`` (a ``dictConfig``) writing ``log_format`` lines: every
    formatter the JSON one for ``json``, unchanged for ``text``."""
    if log_format == "json":
        for name in config.get("formatters", {}):
            config["formatters"][name] = {"()": "gateway.server.log_format.JsonFormatter"}
    return config
