"""Cross-origin requests to ``/graphql``: which other web applications a browser lets call it.

The city portal is served by the gateway itself (same origin) and needs none of this. Another
OPD's web application on its own origin does: its page may call the graph only when its
origin is listed in ``[cors]`` (exactly, or matching a pattern whole). A preflight
(``OPTIONS`` with ``Access-Control-Request-Method``) from a listed origin, for an allowed
method and headers, is answered 204 with the allowances; from any other origin, 403. Answers
to actual requests carry ``Access-Control-Allow-Origin`` for a listed origin only, and
``Vary: Origin`` always, so that no cache serves one origin's answer to another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..config import CorsSettings

__all__ = ["CorsPolicy", "PreflightRefused"]

METHODS = ("GET", "POST")


class PreflightRefused(Exception):
    """A preflight this gateway does not allow; the message says why."""


class CorsPolicy:
    def __init__(self, settings: CorsSettings) -> None:
        self.settings = settings
        self._origins = frozenset(settings.origins)
        self._patterns = tuple(re.compile(p) for p in settings.origin_patterns)
        self._headers = frozenset(settings.allow_headers)

    def allows(self, origin: str) -> bool:
        return origin in self._origins or any(p.fullmatch(origin) for p in self._patterns)

    def preflight(self, headers: Mapping[str, str]) -> dict[str, str]:
        """The headers of a 204 answering a preflight; :class:`PreflightRefused` when the
        origin, method or a header is not allowed."""
        origin = headers.get("origin", "")
        if not self.allows(origin):
            raise PreflightRefused(f"the origin {origin or '(none)'} may not call this graph")
        method = headers.get("access-control-request-method", "").upper()
        if method not in METHODS:
            raise PreflightRefused(f"the method {method or '(none)'} is not allowed")
        asked = {
            h.strip().lower()
            for h in headers.get("access-control-request-headers", "").split(",")
            if h.strip()
        }
        refused = sorted(asked - self._headers)
        if refused:
            raise PreflightRefused(f"the header {refused[0]} is not allowed")
        allowances = {
            "Access-Control-Allow-Methods": ", ".join(METHODS),
            "Access-Control-Max-Age": str(self.settings.max_age),
        }
        if asked:
            allowances["Access-Control-Allow-Headers"] = ", ".join(sorted(asked))
        return {**self.answer_headers(origin), **allowances}

    def answer_headers(self, origin: str | None) -> dict[str, str]:
        """The CORS headers of an answer to a request from ``origin``."""
        if not origin or not self.allows(origin):
            return {"Vary": "Origin"}
        headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        if self.settings.allow_credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        if self.settings.expose_headers:
            headers["Access-Control-Expose-Headers"] = ", ".join(self.settings.expose_headers)
        return headers
