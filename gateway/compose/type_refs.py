"""Type references (``[Product!]!``) compared across subgraphs.

An output field may be typed differently in two subgraphs when one type is a subtype of the
other: ``ID!`` of ``ID``, an object of an interface it implements or of a union it belongs
to. The supergraph takes the most general type, since every subgraph's answer fits it.
Arguments and input fields go the other way: the supergraph takes the most specific type,
since every subgraph must accept what the client sends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["is_subtype", "most_general", "most_specific", "named"]

PossibleTypes = Callable[[str], frozenset[str]]
"""The object types that belong to an abstract type (its implementations or members)."""


def named(type_text: str) -> str:
    """``[Product!]!`` to ``Product``."""
    return type_text.replace("[", "").replace("]", "").replace("!", "")


def is_subtype(sub: str, sup: str, possible: PossibleTypes) -> bool:
    """Whether a value of type ``sub`` is always a valid value of type ``sup``."""
    if sup.endswith("!"):
        return sub.endswith("!") and is_subtype(sub[:-1], sup[:-1], possible)
    if sub.endswith("!"):
        return is_subtype(sub[:-1], sup, possible)
    if sup.startswith("["):
        return sub.startswith("[") and is_subtype(sub[1:-1], sup[1:-1], possible)
    if sub.startswith("["):
        return False
    return sub == sup or sub in possible(sup)


def most_general(types: Sequence[str], possible: PossibleTypes) -> str | None:
    """The type every one of ``types`` is a subtype of, chosen among them; ``None`` if none."""
    best = types[0]
    for candidate in types[1:]:
        if is_subtype(best, candidate, possible):
            best = candidate
        elif not is_subtype(candidate, best, possible):
            return None
    return best


def most_specific(types: Sequence[str]) -> str | None:
    """For inputs: the type that is a subtype of every one of ``types`` (nullability only)."""
    best = types[0]
    for candidate in types[1:]:
        if is_subtype(candidate, best, _none):
            best = candidate
        elif not is_subtype(best, candidate, _none):
            return None
    return best


def _none(_: str) -> frozenset[str]:
    return frozenset()
