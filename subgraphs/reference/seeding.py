"""Deterministic randomness shared by every simulator.

Each simulator draws its seed data from a :class:`random.Random` seeded by a stable string
such as ``"dikbud:sekolah"`` or ``"dinkes:fasilitas:61.71.04.1001"``, so that

- the data is the same on every machine and every run (no dependence on
  ``PYTHONHASHSEED``, the process or the time), and
- adding records for one entity never shifts the records of another: derive one generator
  per entity (or per kelurahan) instead of sharing one across the whole seed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from typing import TypeVar

__all__ = ["distinct", "seed_from", "seeded_rng"]

T = TypeVar("T")


def seed_from(*parts: str | int) -> int:
    """A 64-bit integer seed derived from ``parts`` joined with ``:``.

    ``seed_from("dikbud", "sekolah") == seed_from("dikbud:sekolah")``.
    """
    if not parts:
        raise ValueError("seed_from needs at least one part")
    text = ":".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def seeded_rng(*parts: str | int) -> random.Random:
    """A fresh :class:`random.Random` seeded from ``parts`` (see :func:`seed_from`)."""
    return random.Random(seed_from(*parts))


def distinct(
    make: Callable[[random.Random], T],
    rng: random.Random,
    count: int,
    *,
    taken: set[T] | None = None,
    max_attempts: int = 100_000,
) -> list[T]:
    """``count`` values from ``make(rng)``, all different from each other and from ``taken``.

    Use it for identifiers drawn at random (NPSN, NIB, tracking ids). ``taken`` is updated
    with the new values, so one set can keep several calls apart. Raises
    :class:`RuntimeError` when ``max_attempts`` draws do not yield enough new values.
    """
    seen = taken if taken is not None else set()
    result: list[T] = []
    for _ in range(max_attempts):
        if len(result) == count:
            return result
        value = make(rng)
        if value not in seen:
            seen.add(value)
            result.append(value)
    if len(result) == count:
        return result
    raise RuntimeError(f"only {len(result)} distinct values of {count} after {max_attempts} draws")
