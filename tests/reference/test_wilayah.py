"""Kecamatan, kelurahan and the crosswalks: the names DOMAIN.md lists, codes, plausibility."""

from __future__ import annotations

import re
from statistics import mean

import pytest

from subgraphs.reference import (
    BPS_KECAMATAN_RE,
    BPS_KELURAHAN_RE,
    DAPODIK_KODE_RE,
    KECAMATAN_KODE_RE,
    KELURAHAN_KODE_RE,
    Kecamatan,
    Kelurahan,
    UnknownCodeError,
    bps_crosswalk,
    bps_to_kemendagri,
    dapodik_crosswalk,
    dapodik_to_kemendagri,
    kecamatan_by_code,
    kecamatan_list,
    kelurahan_by_code,
    kelurahan_by_name,
    kelurahan_list,
    kemendagri_to_bps,
    kemendagri_to_dapodik,
    kota,
)

# Exactly as ../shared/DOMAIN.md lists them.
DOMAIN = {
    "Pontianak Barat": {"Pal Lima", "Sungai Beliung", "Sungai Jawi Dalam", "Sungai Jawi Luar"},
    "Pontianak Kota": {"Darat Sekip", "Mariana", "Sungai Bangkong", "Sungai Jawi", "Tengah"},
    "Pontianak Selatan": {
        "Akcaya",
        "Benua Melayu Darat",
        "Benua Melayu Laut",
        "Kota Baru",
        "Parit Tokaya",
    },
    "Pontianak Tenggara": {
        "Bangka Belitung Darat",
        "Bangka Belitung Laut",
        "Bansir Darat",
        "Bansir Laut",
    },
    "Pontianak Timur": {
        "Banjar Serasan",
        "Dalam Bugis",
        "Parit Mayor",
        "Saigon",
        "Tambelan Sampit",
        "Tanjung Hilir",
        "Tanjung Hulu",
    },
    "Pontianak Utara": {"Batu Layang", "Siantan Hilir", "Siantan Hulu", "Siantan Tengah"},
}

# The city's extent, generously: Batu Layang and Siantan Hulu to the north, Kota Baru and
# Bangka Belitung Darat to the south, Pal Lima to the west, Parit Mayor to the east.
LAT_MIN, LAT_MAX = -0.09, 0.05
LON_MIN, LON_MAX = 109.27, 109.41


def kecamatan_kode(name: str) -> str:
    return next(k.kode for k in kecamatan_list() if k.nama == name)


def latitudes(name: str) -> list[float]:
    return [k.lintang for k in kelurahan_list(kecamatan_kode(name))]


def longitudes(name: str) -> list[float]:
    return [k.bujur for k in kelurahan_list(kecamatan_kode(name))]


def kelurahan_name(kode: str) -> str:
    try:
        return kelurahan_by_code(kode).nama
    except UnknownCodeError:
        return ""


def test_city() -> None:
    city = kota()
    assert (city.kode, city.nama, city.kode_bps) == ("61.71", "Kota Pontianak", "6171")
    assert city.kode_dapodik == "136000"


def test_six_kecamatan_and_twenty_nine_kelurahan_as_domain_lists_them() -> None:
    assert len(kecamatan_list()) == 6
    assert len(kelurahan_list()) == 29
    listed = {k.nama: {x.nama for x in kelurahan_list(k.kode)} for k in kecamatan_list()}
    assert listed == DOMAIN


def test_kecamatan_know_their_kelurahan() -> None:
    for kecamatan in kecamatan_list():
        members = kelurahan_list(kecamatan.kode)
        assert kecamatan.kelurahan_kode == tuple(k.kode for k in members)
        assert kecamatan.penduduk_2024 == sum(k.penduduk_2024 for k in members)
        assert kecamatan.luas_km2 == pytest.approx(sum(k.luas_km2 for k in members))


def test_code_formats_and_uniqueness() -> None:
    kecamatan = [k.kode for k in kecamatan_list()]
    kelurahan = [k.kode for k in kelurahan_list()]
    assert all(KECAMATAN_KODE_RE.match(k) for k in kecamatan)
    assert all(KELURAHAN_KODE_RE.match(k) for k in kelurahan)
    assert all(re.match(r"^\d{2}\.\d{2}\.\d{2}\.1\d{3}$", k) for k in kelurahan)
    assert len(set(kecamatan)) == 6
    assert len(set(kelurahan)) == 29
    assert kecamatan == sorted(kecamatan)
    assert kelurahan == sorted(kelurahan)


def test_each_kelurahan_code_starts_with_its_kecamatan_code() -> None:
    for kelurahan in kelurahan_list():
        assert kelurahan.kode.startswith(kelurahan.kecamatan_kode + ".")
        assert kelurahan.digits == kelurahan.kode.replace(".", "")
        assert kecamatan_by_code(kelurahan.kecamatan_kode).digits == kelurahan.digits[:6]


def test_official_codes_pinned() -> None:
    # Kepmendagri 300.2.2-2138/2025; a change here means the data file was edited by mistake.
    assert kecamatan_by_code("61.71.01").nama == "Pontianak Selatan"
    assert kecamatan_by_code("61.71.04").nama == "Pontianak Utara"
    assert kecamatan_by_code("61.71.06").nama == "Pontianak Tenggara"
    assert kelurahan_by_code("61.71.01.1002").nama == "Benua Melayu Laut"
    assert kelurahan_by_code("61.71.03.1001").nama == "Pal Lima"
    assert kelurahan_by_code("61.71.06.1004").nama == "Bangka Belitung Darat"


def test_lookups() -> None:
    assert kelurahan_by_code("61.71.04.1003").nama == "Siantan Hilir"
    assert kelurahan_by_name("  siantan   HILIR ").kode == "61.71.04.1003"
    assert kelurahan_list("61.71.04")[0].nama == "Siantan Hulu"
    for bad in ("61.71.07", "61.71.4", ""):
        with pytest.raises(UnknownCodeError):
            kecamatan_by_code(bad)
    with pytest.raises(UnknownCodeError):
        kelurahan_list("61.71.09")
    with pytest.raises(LookupError, match=r"unknown kelurahan code: '61\.71\.01\.1001'"):
        kelurahan_by_code("61.71.01.1001")
    with pytest.raises(UnknownCodeError):
        kelurahan_by_name("Menteng")


def test_population_is_plausible() -> None:
    total = sum(k.penduduk_2024 for k in kelurahan_list())
    assert 650_000 <= total <= 700_000
    assert all(1_000 < k.penduduk_2024 < 80_000 for k in kelurahan_list())
    # Dense old centre, sparse outskirts.
    assert (
        kelurahan_by_name("Tengah").kepadatan_per_km2
        > kelurahan_by_name("Siantan Hulu").kepadatan_per_km2
    )


def test_area_is_plausible() -> None:
    assert 100 <= sum(k.luas_km2 for k in kelurahan_list()) <= 120
    assert all(0.1 < k.luas_km2 < 20 for k in kelurahan_list())
    assert max(kecamatan_list(), key=lambda k: k.luas_km2).nama == "Pontianak Utara"


def test_coordinates_inside_the_city() -> None:
    places: list[Kecamatan | Kelurahan] = [*kecamatan_list(), *kelurahan_list()]
    for place in places:
        assert LAT_MIN < place.lintang < LAT_MAX, place
        assert LON_MIN < place.bujur < LON_MAX, place
    points = {(k.lintang, k.bujur) for k in kelurahan_list()}
    assert len(points) == 29


def test_kecamatan_lie_roughly_where_their_names_say() -> None:
    left_bank = ("Pontianak Barat", "Pontianak Kota", "Pontianak Selatan", "Pontianak Tenggara")
    south_of_river = [lat for name in left_bank for lat in latitudes(name)]
    assert min(latitudes("Pontianak Utara")) > max(south_of_river)

    assert min(longitudes("Pontianak Timur")) > max(longitudes("Pontianak Barat"))
    assert mean(longitudes("Pontianak Timur")) > mean(longitudes("Pontianak Kota"))
    assert mean(longitudes("Pontianak Barat")) < mean(longitudes("Pontianak Kota"))
    assert mean(latitudes("Pontianak Tenggara")) < mean(latitudes("Pontianak Kota"))
    assert mean(longitudes("Pontianak Tenggara")) > mean(longitudes("Pontianak Kota"))


def test_dapodik_crosswalk_is_a_bijection_over_every_place() -> None:
    rows = dapodik_crosswalk()
    places = {"61.71"} | {k.kode for k in kecamatan_list()} | {k.kode for k in kelurahan_list()}
    assert {row.kode_kemendagri for row in rows} == places
    assert len({row.kode for row in rows}) == len(rows) == len(places) == 36
    assert all(DAPODIK_KODE_RE.match(row.kode) for row in rows)
    for row in rows:
        assert dapodik_to_kemendagri(row.kode) == row.kode_kemendagri
        assert kemendagri_to_dapodik(row.kode_kemendagri) == row.kode
    for kelurahan in kelurahan_list():
        assert dapodik_to_kemendagri(kelurahan.kode_dapodik) == kelurahan.kode
        assert kelurahan.nama_dapodik
    # Not a renumbering one can guess: the wrapper must use the table.
    assert dapodik_to_kemendagri("136101") == "61.71.01.1006"
    assert sum(1 for row in rows if row.nama != kelurahan_name(row.kode_kemendagri)) > 0


def test_bps_crosswalk_is_a_bijection_with_nested_codes() -> None:
    rows = bps_crosswalk()
    assert len({row.kode for row in rows}) == len({row.kode_kemendagri for row in rows}) == 36
    for kecamatan in kecamatan_list():
        assert BPS_KECAMATAN_RE.match(kecamatan.kode_bps)
        assert bps_to_kemendagri(kecamatan.kode_bps) == kecamatan.kode
    for kelurahan in kelurahan_list():
        assert BPS_KELURAHAN_RE.match(kelurahan.kode_bps)
        assert kemendagri_to_bps(kelurahan.kode) == kelurahan.kode_bps
        assert kelurahan.kode_bps.startswith(kecamatan_by_code(kelurahan.kecamatan_kode).kode_bps)
    assert bps_to_kemendagri("6171011001") == "61.71.06.1003"


def test_unknown_crosswalk_codes() -> None:
    for lookup in (dapodik_to_kemendagri, bps_to_kemendagri):
        with pytest.raises(UnknownCodeError):
            lookup("61.71.01")
    for lookup in (kemendagri_to_dapodik, kemendagri_to_bps):
        with pytest.raises(UnknownCodeError):
            lookup("136101")
