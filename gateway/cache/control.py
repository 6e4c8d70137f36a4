"""A subgraph answer's ``Cache-Control``: whether the gateway may keep it, and how long.

The gateway is a shared cache in HTTP's sense (RFC 9111): ``s-maxage`` wins over
``max-age``, ``no-store`` and ``no-cache`` keep the answer out, and ``private`` answers are
kept only per verified client application. ``stale-if-error`` (RFC 5861) is how long past
its freshness an answer may still stand in for one the subgraph cannot give.

The gateway's own answer is made of many subgraph answers; it may be kept only as its
strictest part allows (:class:`AnswerFreshness`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = ["NO_STORE", "AnswerFreshness", "Freshness", "freshness"]

NO_STORE = "no-store"


@dataclass(frozen=True, slots=True)
class Freshness:
    """How an answer may be kept: fresh for ``max_age`` s, then served only when the
    subgraph fails, for ``stale_if_error`` s more."""

    max_age: int
    stale_if_error: int = 0
    private: bool = False
    """Kept per verified client, never shared between client applications."""

    @property
    def lifetime(self) -> int:
        """Seconds an entry is worth keeping at all."""
        return self.max_age + self.stale_if_error

    def stricter(self, other: Freshness) -> Freshness:
        """What both ``self`` and ``other`` allow: the shorter times, private if either is."""
        return Freshness(
            min(self.max_age, other.max_age),
            min(self.stale_if_error, other.stale_if_error),
            self.private or other.private,
        )


@dataclass(slots=True)
class AnswerFreshness:
    """How long one client answer may be kept, learnt from its parts as they come (each
    subgraph answer, and each answer the gateway's cache gave with the time it has left).
    HTTP has no rule for an answer composed of others; the one that cannot leak is that no
    part is kept longer, or more widely, than its own source allows."""

    heard: bool = False
    """Whether any part came yet."""
    kept: Freshness | None = None
    """The strictest of the parts so far; ``None`` once one of them may not be kept."""

    def add(self, part: Freshness | None) -> None:
        """One part of the answer; ``None``: a part that may not be kept."""
        if not self.heard:
            self.heard, self.kept = True, part
        elif self.kept is not None:
            self.kept = None if part is None else self.kept.stricter(part)

    def cache_control(self, *, private: bool) -> str:
        """The answer's ``Cache-Control``: ``no-store`` unless it has parts and every one
        may be kept; ``private`` when a part is, or when ``private`` says the answer is
        for one caller (it is never marked ``public``, so a shared cache does not reuse it
        for a request with credentials either, RFC 9111 3.5)."""
        kept = self.kept
        if kept is None or kept.max_age <= 0:
            return NO_STORE
        value = f"max-age={kept.max_age}"
        if kept.stale_if_error:
            value += f", stale-if-error={kept.stale_if_error}"
        return f"private, {value}" if private or kept.private else value


@functools.lru_cache(maxsize=256)
def freshness(header: str | None) -> Freshness | None:
    """What ``header`` (a ``Cache-Control`` value) allows; ``None``: the answer is not kept."""
    if not header:
        return None
    directives: dict[str, list[str]] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        directives.setdefault(name.strip().lower(), []).append(value.strip().strip('"'))
    if "no-store" in directives or "no-cache" in directives:
        return None
    # a shared cache's s-maxage replaces max-age, even when it is 0 (RFC 9111, 5.2.2.10)
    max_age = _seconds(directives.get("s-maxage") or directives.get("max-age"))
    if not max_age:
        return None
    return Freshness(
        max_age=max_age,
        stale_if_error=_seconds(directives.get("stale-if-error")),
        private="private" in directives,
    )


def _seconds(values: list[str] | None) -> int:
    if not values:
        return 0
    # a malformed or negative delta is read as 0, as RFC 9111 (5.2.2.1) asks of max-age; a
    # directive given twice (a proxy's line beside the subgraph's) holds for the shorter
    # time, never longer than the first (RFC 9111, 4.2.1)
    return min(int(value) if value.isdigit() else 0 for value in values)
