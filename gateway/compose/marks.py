"""The directives an element keeps in the supergraph, and how they merge across subgraphs.

``@inaccessible`` and ``@tag``; ``@deprecated``; the access requirements ``@authenticated``,
``@requiresScopes`` and ``@policy``; the demand-control weights ``@cost`` and
``@listSize``; and the applications of directives a subgraph keeps with
``@composeDirective``. Merging follows the reference composer: an element is
``@inaccessible`` or ``@authenticated`` if any subgraph says so, scopes and policies add up
as requirements (every subgraph's must hold), the highest cost wins; the access and cost
specs merge their own (:mod:`gateway.specs.access_control`, :mod:`gateway.specs.cost`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..specs.access_control import AccessMarks, merge_access_marks
from ..specs.cost import Demand, merge_demands

__all__ = ["Marks", "merge_marks"]


@dataclass(frozen=True, slots=True)
class Marks:
    """Directives an element keeps in the supergraph."""

    inaccessible: bool = False
    tags: tuple[str, ...] = ()
    deprecated: str | None = None
    """The printed ``@deprecated`` application, when there is one."""
    access: AccessMarks = field(default_factory=AccessMarks)
    """``@authenticated``, ``@requiresScopes`` and ``@policy``."""
    demand: Demand = field(default_factory=Demand)
    """``@cost`` and ``@listSize``."""
    composed: tuple[tuple[str, str], ...] = ()
    """Applications of composed directives: ``(name, printed application)``."""


def merge_marks(marks: Iterable[Marks]) -> Marks:
    """One element's marks from its declarations; the first deprecation wins, identical
    applications of a composed directive are kept once."""
    merged = Marks()
    for mark in marks:
        merged = Marks(
            inaccessible=merged.inaccessible or mark.inaccessible,
            tags=tuple(dict.fromkeys(merged.tags + mark.tags)),
            deprecated=merged.deprecated or mark.deprecated,
            access=merge_access_marks(merged.access, mark.access),
            demand=merge_demands(merged.demand, mark.demand),
            composed=tuple(dict.fromkeys(merged.composed + mark.composed)),
        )
    return merged
