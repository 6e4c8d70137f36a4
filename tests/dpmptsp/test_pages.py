"""dpmptsp's permit and business lists in pages: ``batas`` and ``lewati``
(subgraphs.toolkit.pages). The lists a field answered whole before pages are the reads'
(:mod:`subgraphs.dpmptsp.reads`), which the tests compare the pages with."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from subgraphs.dpmptsp.reads import izin_where, usaha_where
from subgraphs.reference import kelurahan_list
from tests.support.pages import assert_refused, walk

from .conftest import HEAVY, Wired

DAFTAR_IZIN = """query ($batas: Int!, $lewati: Int!, $status: StatusIzin, $tahun: Int) {
  daftarIzin(status: $status, tahun: $tahun, batas: $batas, lewati: $lewati) { nomor } }"""
DAFTAR_USAHA = """query ($batas: Int!, $lewati: Int!) {
  daftarUsaha(batas: $batas, lewati: $lewati) { nib } }"""
KELURAHAN = """query ($r: [_Any!]!, $batas: Int!, $lewati: Int!) {
  _entities(representations: $r) { ... on Kelurahan {
    izin(tahun: 2025, batas: $batas, lewati: $lewati) { nomor }
    usaha(batas: $batas, lewati: $lewati) { nib } } } }"""


def _nomor(items: list[dict[str, Any]]) -> list[str]:
    return [item["nomor"] for item in items]


def _nib(items: list[dict[str, Any]]) -> list[str]:
    return [item["nib"] for item in items]


def _kelurahan(kode: str) -> dict[str, Any]:
    return {"r": [{"__typename": "Kelurahan", "kode": kode}]}


@pytest.mark.parametrize("wired", [HEAVY], indirect=True, ids=["heavy"])
async def test_the_default_page_is_todays_list_when_it_fits(wired: Wired) -> None:
    body = await wired.query(
        """{ daftarIzin(tahun: 2025, kecamatan: "61.71.02") { nomor }
             daftarUsaha(kecamatan: "61.71.02") { nib } }"""
    )
    izin = await izin_where(wired.source, tahun=2025, kecamatan="61.71.02")
    usaha = await usaha_where(wired.source, kecamatan="61.71.02", kelurahan=None)
    assert len(izin) < 500 and len(usaha) < 500
    assert _nomor(body["data"]["daftarIzin"]) == [item.nomor for item in izin]
    assert _nib(body["data"]["daftarUsaha"]) == [item.nib for item in usaha]
    every = {"r": [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]}
    body = await wired.query(
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { kode "
        "izin { nomor } usaha { nib izin { nomor } } } } }",
        every,
    )
    assert "errors" not in body
    for kelurahan in body["data"]["_entities"]:
        kode = kelurahan["kode"]
        izin = await izin_where(wired.source, kelurahan_kodes=[kode])
        assert _nomor(kelurahan["izin"]) == [item.nomor for item in izin]
        usaha = await usaha_where(wired.source, kecamatan=None, kelurahan=kode)
        assert _nib(kelurahan["usaha"]) == [item.nib for item in usaha]


async def test_a_list_longer_than_a_page_is_read_in_pages(wired: Wired) -> None:
    every = [item.nomor for item in await izin_where(wired.source)]
    assert len(every) > 3000  # today's 3,321 permits: 7 pages
    first = await wired.query("{ daftarIzin { nomor } }")
    assert _nomor(first["data"]["daftarIzin"]) == every[:500]
    pages = await walk(wired.query, DAFTAR_IZIN, lambda data: _nomor(data["daftarIzin"]), 500)
    assert [len(page) for page in pages] == [500] * 6 + [len(every) - 3000]
    walked = [nomor for page in pages for nomor in page]
    assert walked == every and len(set(walked)) == len(walked)  # none lost or repeated
    usaha = [item.nib for item in await usaha_where(wired.source, kecamatan=None, kelurahan=None)]
    pages = await walk(wired.query, DAFTAR_USAHA, lambda data: _nib(data["daftarUsaha"]), 500)
    assert [len(page) for page in pages] == [500, len(usaha) - 500]
    assert [nib for page in pages for nib in page] == usaha


async def test_pages_come_after_the_filters(wired: Wired) -> None:
    whole = await wired.query("{ daftarIzin(status: DITOLAK, tahun: 2024) { nomor } }")
    ditolak = _nomor(whole["data"]["daftarIzin"])
    assert len(ditolak) > 7
    pages = await walk(
        wired.query,
        DAFTAR_IZIN,
        lambda data: _nomor(data["daftarIzin"]),
        7,
        {"status": "DITOLAK", "tahun": 2024},
    )
    assert [nomor for page in pages for nomor in page] == ditolak


async def test_a_kelurahans_and_a_businesss_lists_in_pages(wired: Wired) -> None:
    kode = "61.71.02.1001"
    whole = await wired.query(KELURAHAN, {**_kelurahan(kode), "batas": 500, "lewati": 0})
    izin = _nomor(whole["data"]["_entities"][0]["izin"])
    usaha = _nib(whole["data"]["_entities"][0]["usaha"])
    assert len(izin) > 10 and len(usaha) > 10
    pages = await walk(
        wired.query,
        KELURAHAN,
        lambda data: _nomor(data["_entities"][0]["izin"]),
        10,
        _kelurahan(kode),
    )
    assert [nomor for page in pages for nomor in page] == izin
    pages = await walk(
        wired.query,
        KELURAHAN,
        lambda data: _nib(data["_entities"][0]["usaha"]),
        10,
        _kelurahan(kode),
    )
    assert [nib for page in pages for nib in page] == usaha
    # A business with two OSS permits, one per page
    nib = next(
        nib
        for nib, n in Counter(r["nib"] for r in wired.simulator.data.izin_usaha).items()
        if n == 2
    )
    document = """query ($nib: String!, $batas: Int!, $lewati: Int!) { usaha(nib: $nib) {
      izin(batas: $batas, lewati: $lewati) { nomor } } }"""
    whole = await wired.query(document, {"nib": nib, "batas": 500, "lewati": 0})
    pages = await walk(
        wired.query, document, lambda data: _nomor(data["usaha"]["izin"]), 1, {"nib": nib}
    )
    assert [len(page) for page in pages] == [1, 1, 0]
    assert [nomor for page in pages for nomor in page] == _nomor(whole["data"]["usaha"]["izin"])


async def test_a_page_out_of_range_is_the_clients_error(wired: Wired) -> None:
    await assert_refused(wired.query, "{ daftarIzin({page}) { nomor } }", ["daftarIzin"])
    await assert_refused(wired.query, "{ daftarUsaha({page}) { nib } }", ["daftarUsaha"])
    assert wired.simulator.calls.total() == 0  # refused before SiCantik or OSS is asked
    for field in ("izin", "usaha"):
        await assert_refused(
            wired.query,
            "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { "
            f"{field}({{page}}) {{ __typename }} }} }} }}",
            ["_entities", 0, field],
            _kelurahan("61.71.02.1001"),
        )
    nib = wired.simulator.data.izin_usaha[0]["nib"]
    await assert_refused(
        wired.query,
        f'{{ usaha(nib: "{nib}") {{ izin({{page}}) {{ nomor }} }} }}',
        ["usaha", "izin"],
    )
