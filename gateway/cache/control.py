"""A subgraph answer's ``Cache-Control``: whether the gateway may keep it, and how long.

The gateway is a shared cache in HTTP's sense (RFC 9111): ``s-maxage`` wins over
``max-age``, ``no-store`` and ``no-cache`` keep the answer out, and ``private`` answers are
kept only per verified client application. ``stale-if-error`` (RFC 5861) is how long past
its freshness an answer may still stand in for one the subgraph cannot give.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Freshness", "freshness"]


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
