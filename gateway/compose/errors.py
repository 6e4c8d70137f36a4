"""Composition errors: the standard Apollo Federation error codes, with messages that name
the subgraphs, types and fields involved.

Composition never stops at the first problem: every rule reports into a list, and
:class:`CompositionFailed` carries all of them. The codes are the ones Apollo's composer,
The Guild's composer and the federation docs use, so an error can be looked up by its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..error_codes import CompositionErrorCode

__all__ = ["CompositionError", "CompositionErrorCode", "CompositionFailed", "and_list"]


@dataclass(frozen=True, slots=True)
class CompositionError:
    """One composition problem; ``message`` says what to change, and where."""

    code: CompositionErrorCode
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class CompositionFailed(Exception):
    """The subgraphs do not compose; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[CompositionError]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def and_list(items: Iterable[str], quote: str = '"') -> str:
    """``"a"``, ``"a" and "b"``, ``"a", "b" and "c"``: names in a message."""
    quoted = [f"{quote}{item}{quote}" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
