"""KBLI 2020 business sectors common among Pontianak's small businesses.

KBLI (Klasifikasi Baku Lapangan Usaha Indonesia, Peraturan BPS 2/2020) classifies a
business's activity; OSS records one or more five-digit KBLI codes per NIB and SiCantik's
permits refer to them. This is a short list for seeding, not the whole classification.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from .datafiles import read_csv
from .errors import ReferenceDataError, UnknownCodeError

__all__ = ["KBLI_RE", "BentukUsaha", "Kbli", "kbli_by_code", "kbli_list"]

KBLI_RE = re.compile(r"^\d{5}\Z", re.ASCII)
"""A KBLI 2020 kelompok code: five digits (``56303``)."""

BentukUsaha = Literal["Perorangan", "UD", "CV", "PT"]
"""A business's legal form: sole proprietor trading under a shop name, UD, CV or PT."""

_BENTUK: dict[str, BentukUsaha] = {"Perorangan": "Perorangan", "UD": "UD", "CV": "CV", "PT": "PT"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Kbli:
    """A KBLI 2020 sector, with the hints name generation needs.

    ``sebutan`` is what such a business calls itself ("Toko Bangunan", "Warung Kopi");
    ``bentuk`` lists the legal forms typical for the sector, most common first.
    """

    kode: str
    judul: str
    kategori: str
    sebutan: str
    bentuk: tuple[BentukUsaha, ...]


def kbli_list() -> tuple[Kbli, ...]:
    """Every sector in the list, in code order."""
    return tuple(_kbli_index().values())


def kbli_by_code(kode: str) -> Kbli:
    """The sector with KBLI code ``kode``; :class:`UnknownCodeError` if it is not listed."""
    found = _kbli_index().get(kode)
    if found is None:
        raise UnknownCodeError("KBLI", kode)
    return found


@functools.cache
def _kbli_index() -> dict[str, Kbli]:
    result: dict[str, Kbli] = {}
    for row in read_csv("kbli.csv", ("kode", "judul", "kategori", "sebutan", "bentuk")):
        kode = row["kode"]
        bentuk = tuple(_BENTUK.get(b) for b in row["bentuk"].split("|"))
        if not KBLI_RE.match(kode) or kode in result or not row["kategori"].isalpha():
            raise ReferenceDataError(f"kbli.csv: bad or repeated row {kode!r}")
        checked = tuple(b for b in bentuk if b is not None)
        if not checked or len(checked) != len(bentuk):
            raise ReferenceDataError(f"kbli.csv: {kode}: unknown bentuk {row['bentuk']!r}")
        result[kode] = Kbli(
            kode=kode,
            judul=row["judul"],
            kategori=row["kategori"],
            sebutan=row["sebutan"],
            bentuk=checked,
        )
    return dict(sorted(result.items()))
