"""Content negotiation for GraphQL over HTTP: which media type to answer, which to accept.

The rules follow the GraphQL-over-HTTP draft: a client that accepts
``application/graphql-response+json`` gets it, one that accepts only ``application/json``
(or sends ``*/*`` or no ``Accept`` at all, as legacy clients do) gets ``application/json``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "JSON",
    "MULTIPART_END",
    "MediaRange",
    "accepts_html",
    "incremental_form",
    "multipart_part",
    "multipart_type",
    "parse_accept",
    "parse_media_type",
    "response_media_type",
]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    quality: float
    charset: str | None

    def matches(self, media_type: str) -> int:
        """How specifically this range names ``media_type``: 2 exact, 1 or 0 wildcard, -1 not."""
        wanted_type, _, wanted_subtype = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != wanted_type:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == wanted_subtype else -1


def parse_media_type(value: str) -> tuple[str, dict[str, str]]:
    """Split a ``Content-Type``-style value into its lower-cased type and its parameters."""
    media_type, *raw_params = value.split(";")
    params: dict[str, str] = {}
    for raw in raw_params:
        name, sep, param_value = raw.partition("=")
        if sep:
            params[name.strip().lower()] = param_value.strip().strip('"')
    return media_type.strip().lower(), params


def parse_accept(header: str) -> list[MediaRange]:
    """Parse an ``Accept`` header; malformed entries are skipped."""
    ranges: list[MediaRange] = []
    for entry in header.split(","):
        media_type, params = parse_media_type(entry)
        type_, sep, subtype = media_type.partition("/")
        if not sep or not type_ or not subtype:
            continue
        try:
            quality = float(params.get("q", "1"))
        except ValueError:
            quality = 0.0
        charset = params.get("charset")
        ranges.append(MediaRange(type_, subtype, quality, charset.lower() if charset else None))
    return ranges


@functools.lru_cache(maxsize=256)
def response_media_type(accept: str | None) -> str | None:
    """The media type to answer a GraphQL request with, or ``None`` if the client accepts none.

    Higher quality wins, then the more specific range; between equals
    ``application/graphql-response+json`` wins only when named exactly, so ``*/*`` and
    ``application/*`` get ``application/json``.
    """
    if accept is None or not accept.strip():
        return JSON
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for preference, candidate in enumerate((JSON, GRAPHQL_RESPONSE_JSON)):
        quality, specificity = _quality(parse_accept(accept), candidate)
        if quality <= 0:
            continue
        rank = (quality, specificity, preference if specificity == 2 else -preference)
        if best is None or rank > best:
            best, chosen = rank, candidate
    return chosen


def _quality(ranges: list[MediaRange], media_type: str) -> tuple[float, int]:
    # The most specific range naming the type decides its quality (RFC 9110, 12.5.1).
    quality, specificity = 0.0, -1
    for media_range in ranges:
        matched = media_range.matches(media_type)
        if matched > specificity and media_range.charset in (None, "utf-8", "utf8"):
            quality, specificity = media_range.quality, matched
    return quality, specificity


def accepts_html(accept: str | None) -> bool:
    """Whether the client names ``text/html`` explicitly, as browsers do."""
    return any(
        r.type == "text" and r.subtype == "html" and r.quality > 0
        for r in parse_accept(accept or "")
    )


MULTIPART_BOUNDARY = "-"


def incremental_form(accept: str | None) -> str | None:
    """The incremental delivery the client takes (``multipart/mixed``), in the form it
    names: ``"20220824"`` for ``deferSpec=20220824`` (Apollo Client), ``"draft"``
    (``pending``/``completed``, graphql-js 17) otherwise; ``None`` if it takes none."""
    for entry in (accept or "").split(","):
        media_type, params = parse_media_type(entry)
        if media_type != "multipart/mixed":
            continue
        try:
            if float(params.get("q", "1")) <= 0:
                continue
        except ValueError:
            continue
        return "20220824" if params.get("deferspec") == "20220824" else "draft"
    return None


def multipart_type(form: str) -> str:
    """The ``Content-Type`` of an incremental answer in ``form``."""
    spec = "; deferSpec=20220824" if form == "20220824" else ""
    return f'multipart/mixed; boundary="{MULTIPART_BOUNDARY}"{spec}'


def multipart_part(payload: bytes) -> bytes:
    """One JSON payload as a part of the multipart answer."""
    return (
        b"\r\n--"
        + MULTIPART_BOUNDARY.encode()
        + b"\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"
        + payload
    )


MULTIPART_END = b"\r\n--" + MULTIPART_BOUNDARY.encode() + b"--\r\n"
"""What closes a multipart answer."""
