"""What the reference data can refuse.

::

    LookupError
     └── UnknownCodeError       a code (wilayah, OPD, urusan, KBLI, crosswalk) that is not in
                                the reference data
    ValueError
     └── ReferenceDataError     a data file that contradicts itself: a kelurahan without its
                                kecamatan, a crosswalk that misses or repeats a code, a field
                                in the wrong format. Raised when the data is first loaded.
"""

from __future__ import annotations

__all__ = ["ReferenceDataError", "UnknownCodeError"]


class UnknownCodeError(LookupError):
    """A code that the reference data does not know."""

    def __init__(self, kind: str, code: str) -> None:
        super().__init__(f"unknown {kind} code: {code!r}")
        self.kind = kind
        self.code = code

    def __str__(self) -> str:
        # LookupError would print the repr of the message (KeyError does); keep it plain.
        return str(self.args[0])


class ReferenceDataError(ValueError):
    """A data file of this package is inconsistent; the message names the file and row."""
