"""dikbud's school lists in pages: ``batas`` and ``lewati`` (subgraphs.toolkit.pages)."""

from __future__ import annotations

from typing import Any

from subgraphs.reference import dapodik_to_kemendagri, kelurahan_list
from tests.support.pages import assert_refused, walk

from .conftest import Wired

DAFTAR = """query ($batas: Int!, $lewati: Int!, $bentuk: BentukPendidikan) {
  daftarSekolah(bentuk: $bentuk, batas: $batas, lewati: $lewati) { npsn } }"""
KELURAHAN = """query ($r: [_Any!]!, $batas: Int!, $lewati: Int!) {
  _entities(representations: $r) { ... on Kelurahan {
    sekolah(batas: $batas, lewati: $lewati) { npsn } } } }"""


def _npsn(items: list[dict[str, Any]]) -> list[str]:
    return [item["npsn"] for item in items]


def _representation(kode: str) -> dict[str, Any]:
    return {"r": [{"__typename": "Kelurahan", "kode": kode}]}


async def test_the_default_page_is_todays_whole_list(wired: Wired) -> None:
    schools = wired.simulator.data.sekolah
    assert len(schools) < 500  # today's 294 schools fit in one page
    body = await wired.query("{ daftarSekolah { npsn } }")
    assert _npsn(body["data"]["daftarSekolah"]) == [s.npsn for s in schools]
    every = {"r": [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]}
    body = await wired.query(
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { kode "
        "sekolah { npsn } } } }",
        every,
    )
    for kelurahan in body["data"]["_entities"]:
        mine = [
            s.npsn
            for s in schools
            if dapodik_to_kemendagri(s.row["kode_wilayah"].strip()) == kelurahan["kode"]
        ]
        assert _npsn(kelurahan["sekolah"]) == mine


async def test_pages_walk_the_filtered_list_in_order(wired: Wired) -> None:
    whole = await wired.query("{ daftarSekolah(bentuk: SD) { npsn } }")
    expected = _npsn(whole["data"]["daftarSekolah"])
    assert len(expected) > 40
    pages = await walk(
        wired.query, DAFTAR, lambda data: _npsn(data["daftarSekolah"]), 40, {"bentuk": "SD"}
    )
    assert [len(page) for page in pages[:-1]] == [40] * (len(pages) - 1)
    walked = [npsn for page in pages for npsn in page]
    assert walked == expected and len(set(walked)) == len(walked)  # none lost or repeated
    beyond = await wired.query(DAFTAR, {"bentuk": "SD", "batas": 10, "lewati": len(expected)})
    assert beyond["data"]["daftarSekolah"] == []


async def test_a_kelurahans_schools_in_pages(wired: Wired) -> None:
    kode = "61.71.03.1004"  # 13 schools, the most in one kelurahan
    whole = await wired.query(KELURAHAN, {**_representation(kode), "batas": 500, "lewati": 0})
    expected = _npsn(whole["data"]["_entities"][0]["sekolah"])
    assert len(expected) == 13
    pages = await walk(
        wired.query,
        KELURAHAN,
        lambda data: _npsn(data["_entities"][0]["sekolah"]),
        5,
        _representation(kode),
    )
    assert [len(page) for page in pages] == [5, 5, 3]
    assert [npsn for page in pages for npsn in page] == expected


async def test_a_page_out_of_range_is_the_clients_error(wired: Wired) -> None:
    await assert_refused(wired.query, "{ daftarSekolah({page}) { npsn } }", ["daftarSekolah"])
    await assert_refused(
        wired.query,
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { "
        "sekolah({page}) { npsn } } } }",
        ["_entities", 0, "sekolah"],
        _representation("61.71.05.1001"),
    )
    assert wired.simulator.calls == {}  # refused before Dapodik is asked
