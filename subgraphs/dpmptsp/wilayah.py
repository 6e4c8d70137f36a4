"""The region codes SiCantik and OSS-RBA use, to and from the graph's Kemendagri codes.

- SiCantik stores an applicant's location as a kelurahan in BPS's scheme (``kd_kelurahan``,
  10 digits, e.g. ``6171011001``) and filters kecamatan by BPS's 7-digit code; BPS numbers
  places in its own order, so the reference crosswalk translates, not string surgery.
- OSS-RBA writes ``kd_daerah`` as the Kemendagri code without dots (``6171051001``).

A code outside Kota Pontianak (or not a kelurahan) translates to ``None``: the record has
no place in the city graph. Which scheme each system uses is a SAMPLE of how the city's
deployments are configured.
"""

from __future__ import annotations

from subgraphs.reference import (
    KELURAHAN_KODE_RE,
    UnknownCodeError,
    bps_to_kemendagri,
    kelurahan_by_code,
    kemendagri_to_bps,
)

__all__ = [
    "kelurahan_from_oss",
    "kelurahan_from_sicantik",
    "oss_daerah",
    "sicantik_wilayah",
]


def kelurahan_from_sicantik(kd_kelurahan: str | None) -> str | None:
    """The Kemendagri code of SiCantik's BPS kelurahan code, or ``None``."""
    if not kd_kelurahan:
        return None
    try:
        kode = bps_to_kemendagri(kd_kelurahan)
    except UnknownCodeError:
        return None
    return kode if KELURAHAN_KODE_RE.match(kode) else None


def sicantik_wilayah(kode: str) -> str:
    """SiCantik's (BPS) code for the kecamatan or kelurahan with Kemendagri code ``kode``;
    :class:`UnknownCodeError` for a place the city does not have."""
    return kemendagri_to_bps(kode)


def kelurahan_from_oss(kd_daerah: str | None) -> str | None:
    """The Kemendagri code of OSS's ``kd_daerah``, or ``None``."""
    if not kd_daerah or len(kd_daerah) != 10 or not kd_daerah.isdigit():
        return None
    kode = f"{kd_daerah[0:2]}.{kd_daerah[2:4]}.{kd_daerah[4:6]}.{kd_daerah[6:]}"
    try:
        return kelurahan_by_code(kode).kode
    except UnknownCodeError:
        return None


def oss_daerah(kode: str) -> str:
    """OSS's ``kd_daerah`` for the kelurahan with Kemendagri code ``kode``."""
    return kelurahan_by_code(kode).digits
