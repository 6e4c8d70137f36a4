"""dinkes's facility lists in pages: ``batas`` and ``lewati`` (subgraphs.toolkit.pages)."""

from __future__ import annotations

from typing import Any

from subgraphs.dinkes.legacy import fasilitas
from subgraphs.reference import kelurahan_list
from tests.support.clock import TODAY
from tests.support.pages import assert_refused, walk

from .conftest import Wired

DAFTAR = """query ($batas: Int!, $lewati: Int!, $jenis: JenisFasilitasKesehatan) {
  daftarFasilitasKesehatan(jenis: $jenis, batas: $batas, lewati: $lewati) { kode } }"""
KELURAHAN = """query ($r: [_Any!]!, $batas: Int!, $lewati: Int!) {
  _entities(representations: $r) { ... on Kelurahan {
    fasilitasKesehatan(batas: $batas, lewati: $lewati) { kode } } } }"""


def _kode(items: list[dict[str, Any]]) -> list[str]:
    return [item["kode"] for item in items]


def _representation(kode: str) -> dict[str, Any]:
    return {"r": [{"__typename": "Kelurahan", "kode": kode}]}


async def test_the_default_page_is_todays_whole_list(wired: Wired) -> None:
    seeded = fasilitas(TODAY)
    assert len(seeded) < 500  # today's 61 facilities fit in one page
    body = await wired.query("{ daftarFasilitasKesehatan { kode } }")
    # In code order, as the joined catalogue lists them
    assert _kode(body["data"]["daftarFasilitasKesehatan"]) == sorted(f.kode for f in seeded)
    every = {"r": [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]}
    body = await wired.query(
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { kode "
        "fasilitasKesehatan { kode } } } }",
        every,
    )
    for kelurahan in body["data"]["_entities"]:
        mine = sorted(f.kode for f in seeded if f.kelurahan.kode == kelurahan["kode"])
        assert _kode(kelurahan["fasilitasKesehatan"]) == mine


async def test_pages_walk_the_filtered_list_in_order(wired: Wired) -> None:
    whole = await wired.query("{ daftarFasilitasKesehatan(jenis: PUSKESMAS) { kode } }")
    expected = _kode(whole["data"]["daftarFasilitasKesehatan"])
    assert len(expected) == 23
    pages = await walk(
        wired.query,
        DAFTAR,
        lambda data: _kode(data["daftarFasilitasKesehatan"]),
        10,
        {"jenis": "PUSKESMAS"},
    )
    assert [len(page) for page in pages] == [10, 10, 3]
    walked = [kode for page in pages for kode in page]
    assert walked == expected and len(set(walked)) == len(walked)  # none lost or repeated
    every = await walk(wired.query, DAFTAR, lambda data: _kode(data["daftarFasilitasKesehatan"]), 7)
    assert [kode for page in every for kode in page] == sorted(f.kode for f in fasilitas(TODAY))


async def test_a_kelurahans_facilities_in_pages(wired: Wired) -> None:
    kode = "61.71.05.1002"  # 6 facilities, the most in one kelurahan
    whole = await wired.query(KELURAHAN, {**_representation(kode), "batas": 500, "lewati": 0})
    expected = _kode(whole["data"]["_entities"][0]["fasilitasKesehatan"])
    assert len(expected) == 6
    pages = await walk(
        wired.query,
        KELURAHAN,
        lambda data: _kode(data["_entities"][0]["fasilitasKesehatan"]),
        4,
        _representation(kode),
    )
    assert [len(page) for page in pages] == [4, 2]
    assert [kode for page in pages for kode in page] == expected


async def test_a_page_out_of_range_is_the_clients_error(wired: Wired) -> None:
    await assert_refused(
        wired.query,
        "{ daftarFasilitasKesehatan({page}) { kode } }",
        ["daftarFasilitasKesehatan"],
    )
    await assert_refused(
        wired.query,
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { "
        "fasilitasKesehatan({page}) { kode } } } }",
        ["_entities", 0, "fasilitasKesehatan"],
        _representation("61.71.05.1002"),
    )
    assert not wired.parses  # refused before the exports are read
