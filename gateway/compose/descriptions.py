"""Which description an element of the supergraph keeps when its subgraphs describe it
differently: the one most subgraphs give, ties going to the first subgraph (by name), an
empty one only when there is no other (the rule of the reference composers)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

__all__ = ["merge_descriptions"]


def merge_descriptions(descriptions: Iterable[str | None]) -> str | None:
    """The description kept among the subgraphs' ``descriptions``, in subgraph order
    (``None``: that subgraph gives none)."""
    given = [d for d in descriptions if d is not None]
    if not given:
        return None
    counts = Counter(d for d in given if d)
    if not counts:
        return given[0]
    most = max(counts.values())
    return next(d for d in given if d and counts[d] == most)
