"""The directives an element keeps in the supergraph, and how they merge across subgraphs.

``@inaccessible`` and ``@tag``; ``@deprecated``; the access requirements ``@authenticated``,
``@requiresScopes`` and ``@policy``; the demand-control weights ``@cost`` and
``@listSize``; and the applications of directives a subgraph keeps with
``@composeDirective``. Merging follows the reference composer: an element is
``@inaccessible`` or ``@authenticated`` if any subgraph says so, scopes and policies add up
as requirements (every subgraph's must hold), the highest cost wins
(:func:`gateway.specs.cost.merge_demands`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..specs.cost import Demand, merge_demands

__all__ = ["Marks", "Requirements", "merge_marks", "merge_requirements"]


Requirements = tuple[tuple[str, ...], ...]
"""``@requiresScopes(scopes:)`` or ``@policy(policies:)``: any one inner list suffices,
and all of its items must hold."""


@dataclass(frozen=True, slots=True)
class Marks:
    """Directives an element keeps in the supergraph."""

    inaccessible: bool = False
    tags: tuple[str, ...] = ()
    deprecated: str | None = None
    """The printed ``@deprecated`` application, when there is one."""
    authenticated: bool = False
    scopes: Requirements = ()
    policies: Requirements = ()
    demand: Demand = field(default_factory=Demand)
    """``@cost`` and ``@listSize``."""
    composed: tuple[tuple[str, str], ...] = ()
    """Applications of composed directives: ``(name, printed application)``."""


def merge_requirements(first: Requirements, second: Requirements) -> Requirements:
    """Both requirements at once: every pair of alternatives joined, then the alternatives
    another one already implies dropped (a subgraph with none adds none)."""
    if not first or not second:
        return first or second
    joined = {tuple(sorted(set(a) | set(b))) for a in first for b in second}
    kept: list[tuple[str, ...]] = []
    for candidate in sorted(joined, key=len):
        if not any(set(existing) <= set(candidate) for existing in kept):
            kept.append(candidate)
    return tuple(sorted(kept, key=lambda group: (len(group), ",".join(group))))


def merge_marks(marks: Iterable[Marks]) -> Marks:
    """One element's marks from its declarations; the first deprecation wins, identical
    applications of a composed directive are kept once."""
    merged = Marks()
    for mark in marks:
        merged = Marks(
            inaccessible=merged.inaccessible or mark.inaccessible,
            tags=tuple(dict.fromkeys(merged.tags + mark.tags)),
            deprecated=merged.deprecated or mark.deprecated,
            authenticated=merged.authenticated or mark.authenticated,
            scopes=merge_requirements(merged.scopes, mark.scopes),
            policies=merge_requirements(merged.policies, mark.policies),
            demand=merge_demands(merged.demand, mark.demand),
            composed=tuple(dict.fromkeys(merged.composed + mark.composed)),
        )
    return merged
