"""The objects each ``Flatten`` path led to, kept for the rest of one request.

Fetches of several subgraphs often start from the same objects: the products a review
mentions get their names from one subgraph and then, with those, their shipping estimate
from another. Walking a deep path again costs as much as building the representations;
so the targets found at a path are kept, and a later fetch at the same path builds its
representations from them. What a merge brings can change where a path leads: the
objects merged into at one path forget every walk that goes on through a field they
were given (or tells them apart by a ``__typename`` they were given). Merging into the
objects at the end of a walk changes nothing of it: they are still the objects found.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..planner.plan import InputFragment
from .representations import Gathered, builder, gatherer

__all__ = ["Walks", "crossed"]


class Walks:
    """The targets found at each path during one request, while they still hold."""

    __slots__ = ("_found",)

    def __init__(self) -> None:
        self._found: dict[tuple[str, ...], list[dict[str, Any]]] = {}

    def gather(
        self, data: Any, path: tuple[str, ...], requires: tuple[InputFragment, ...]
    ) -> Gathered:
        """The targets at ``path``, their distinct representations and positions (see
        :func:`~gateway.executor.representations.gatherer`), walking only if need be."""
        found = self._found.get(path)
        if found is None:
            gathered = gatherer(path, requires)(data)
            self._found[path] = gathered[0]
            return gathered
        return builder(requires)(found)

    def merged(self, path: tuple[str, ...], objects: Iterable[Any]) -> None:
        """``objects`` (dicts; anything else is ignored) were merged into the targets at
        ``path`` (``()``: into the data itself): forget the walks they may have changed."""
        if not self._found:
            return
        keys: set[str] | None = None
        forgotten: list[tuple[str, ...]] = []
        for walked in self._found:
            fields = _crossing(path, walked)
            if not fields:
                continue
            if keys is None:
                keys = set()
                for obj in objects:
                    if isinstance(obj, dict):
                        keys.update(obj)
            if "@" in fields or not fields.isdisjoint(keys):
                forgotten.append(walked)
        for walked in forgotten:
            del self._found[walked]


_CROSSINGS: dict[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]] = {}
""":func:`crossed` by the paths' identities: a plan's paths are the same tuples at every
request, and hashing two ints costs less than hashing two tuples of names. Each entry
holds its paths, so their identities cannot be taken by other tuples while it is kept."""


def _crossing(merged: tuple[str, ...], walked: tuple[str, ...]) -> frozenset[str]:
    key = (id(merged), id(walked))
    found = _CROSSINGS.get(key)
    if found is not None:
        return found[2]
    if len(_CROSSINGS) >= 4096:
        _CROSSINGS.clear()
    fields = crossed(merged, walked)
    _CROSSINGS[key] = (merged, walked, fields)
    return fields


def crossed(merged: tuple[str, ...], walked: tuple[str, ...]) -> frozenset[str]:
    """The fields of the objects at ``merged`` a walk of ``walked`` reads to go on:
    ``__typename`` where it tells them apart by type, then the field it goes down (``"@"``
    where it would take them for lists: never a key, so anything merged counts); none
    when the walk does not go beyond them (it ends there, or never reaches them)."""
    # a type condition on the merged path only narrows which objects were merged into:
    # the walk is compared with every object the path's fields lead to
    fields = [element for element in merged if not element.startswith("|[")]
    matched = 0
    read: set[str] = set()
    for element in walked:
        if matched < len(fields):
            if element.startswith("|["):
                continue  # the walk's condition narrows the objects it goes through
            if element != fields[matched]:
                return frozenset()
            matched += 1
        elif element.startswith("|["):
            read.add("__typename")
        else:
            read.add(element)
            break
    return frozenset(read)
