"""The KBLI 2020 sector list."""

from __future__ import annotations

import pytest

from subgraphs.reference import KBLI_RE, UnknownCodeError, kbli_by_code, kbli_list

# KBLI 2020 categories by two-digit golongan pokok, for the ranges the list uses.
CATEGORIES = [
    (range(1, 4), "A"),
    (range(10, 34), "C"),
    (range(41, 44), "F"),
    (range(45, 48), "G"),
    (range(49, 54), "H"),
    (range(55, 57), "I"),
    (range(58, 64), "J"),
    (range(68, 69), "L"),
    (range(77, 83), "N"),
    (range(94, 97), "S"),
]


def category(kode: str) -> str:
    division = int(kode[:2])
    return next(letter for divisions, letter in CATEGORIES if division in divisions)


def test_about_thirty_common_sectors() -> None:
    sectors = kbli_list()
    assert 30 <= len(sectors) <= 45
    codes = [k.kode for k in sectors]
    assert all(KBLI_RE.match(c) for c in codes)
    assert codes == sorted(set(codes))


def test_category_matches_the_code() -> None:
    for sector in kbli_list():
        assert sector.kategori == category(sector.kode), sector


def test_every_sector_has_naming_hints() -> None:
    for sector in kbli_list():
        assert sector.judul and sector.sebutan
        assert sector.bentuk
        assert len(set(sector.bentuk)) == len(sector.bentuk)


def test_lookup() -> None:
    assert kbli_by_code("56303").judul == "Rumah Minum/Kafe"
    assert kbli_by_code("47521").sebutan == "Toko Bangunan"
    with pytest.raises(UnknownCodeError):
        kbli_by_code("99999")
