"""Dapodik's region codes to and from the graph's Kemendagri codes, through the reference
crosswalk (Kemendikbud numbers places in its own scheme: ``136101`` is Akcaya, Kemendagri's
``61.71.01.1006``; no string surgery gets from one to the other).

Dapodik stores ``kode_wilayah`` as char(8), padded with spaces; a code outside the city, or
one that is not a kelurahan, has no place in the graph and translates to ``None``.
"""

from __future__ import annotations

from subgraphs.reference import (
    KELURAHAN_KODE_RE,
    UnknownCodeError,
    dapodik_to_kemendagri,
    kelurahan_list,
    kemendagri_to_dapodik,
)

__all__ = ["dapodik_kelurahan", "kelurahan_from_dapodik"]


def kelurahan_from_dapodik(kode_wilayah: object) -> str | None:
    """The Kemendagri kelurahan code of a school's ``kode_wilayah``, or ``None``."""
    if not isinstance(kode_wilayah, str) or not kode_wilayah.strip():
        return None
    try:
        kode = dapodik_to_kemendagri(kode_wilayah.strip())
    except UnknownCodeError:
        return None
    return kode if KELURAHAN_KODE_RE.match(kode) else None


def dapodik_kelurahan(
    *, kelurahan: str | None = None, kecamatan: str | None = None
) -> list[str] | None:
    """Dapodik's codes of the kelurahan a filter selects, or ``None`` for no filter.

    ``kelurahan`` and ``kecamatan`` are Kemendagri codes; a kecamatan selects its kelurahan
    (Dapodik's kecamatan codes are not prefixes of its kelurahan codes). An unknown place
    selects nothing (``[]``); both filters select their intersection.
    """
    if kelurahan is None and kecamatan is None:
        return None
    chosen = [
        k.kode
        for k in kelurahan_list()
        if (kelurahan is None or k.kode == kelurahan)
        and (kecamatan is None or k.kecamatan_kode == kecamatan)
    ]
    return [kemendagri_to_dapodik(kode) for kode in chosen]
