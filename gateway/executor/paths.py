"""Response paths as linked lists, cheap to extend while walking a response.

A path is ``None`` (the root) or ``(parent, key)``: extending it allocates one pair, where
a tuple would copy every key. Walks keep one per position and list it only when an error
needs it.
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["Path", "listed"]

Path: TypeAlias = "tuple[Path, str | int] | None"


def listed(path: Path) -> tuple[str | int, ...]:
    """The keys of ``path`` from the root down."""
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    return tuple(reversed(keys))
