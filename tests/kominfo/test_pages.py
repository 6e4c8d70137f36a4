"""kominfo's lists in pages: ``batas`` and ``lewati`` (subgraphs.toolkit.pages)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from subgraphs.reference import kelurahan_list
from tests.support.pages import assert_refused, walk

from .conftest import Wired

DAFTAR_ADUAN = """query ($batas: Int!, $lewati: Int!, $status: StatusAduan) {
  daftarAduan(status: $status, batas: $batas, lewati: $lewati) { trackingId } }"""
OPD = """query ($kode: String!, $batas: Int!, $lewati: Int!) { opd(kode: $kode) {
  aplikasi(batas: $batas, lewati: $lewati) { id }
  inovasi(batas: $batas, lewati: $lewati) { id }
  aduan(batas: $batas, lewati: $lewati) { trackingId } } }"""
KELURAHAN = """query ($r: [_Any!]!, $batas: Int!, $lewati: Int!) {
  _entities(representations: $r) { ... on Kelurahan {
    aduan(batas: $batas, lewati: $lewati) { trackingId } } } }"""


def _ids(items: list[dict[str, Any]], key: str = "id") -> list[str]:
    return [item[key] for item in items]


async def test_the_default_page_is_todays_whole_list(wired: Wired) -> None:
    data = wired.simulator.data
    assert max(len(data.laporan), len(data.aplikasi), len(data.inovasi)) < 500
    body = await wired.query(
        """{ daftarAduan { trackingId opd { kode } }
             daftarAplikasi { id } daftarInovasi { id }
             daftarOpd { kode aplikasi { id } inovasi { id } aduan { trackingId } } }"""
    )
    assert "errors" not in body
    found = body["data"]
    # The upstreams' order, as before pages
    assert _ids(found["daftarAduan"], "trackingId") == [r["tracking_id"] for r in data.laporan]
    assert _ids(found["daftarAplikasi"]) == [str(r["id_aplikasi"]) for r in data.aplikasi]
    assert _ids(found["daftarInovasi"]) == [str(r["id_inovasi"]) for r in data.inovasi]
    for opd in found["daftarOpd"]:
        kode = opd["kode"]
        assert _ids(opd["aplikasi"]) == [
            str(r["id_aplikasi"]) for r in data.aplikasi if r["kode_skpd_pemilik"] == kode
        ]
        assert _ids(opd["inovasi"]) == [
            str(r["id_inovasi"]) for r in data.inovasi if r["kode_skpd"] == kode
        ]
        assert _ids(opd["aduan"], "trackingId") == [
            a["trackingId"] for a in found["daftarAduan"] if (a["opd"] or {}).get("kode") == kode
        ]
    every = {"r": [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]}
    body = await wired.query(
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { kode "
        "aduan { trackingId } } } }",
        every,
    )
    for kelurahan in body["data"]["_entities"]:
        assert _ids(kelurahan["aduan"], "trackingId") == [
            r["tracking_id"] for r in data.laporan if r["kode_wilayah"] == kelurahan["kode"]
        ]


async def test_pages_walk_the_complaints_in_order(wired: Wired) -> None:
    laporan = [r["tracking_id"] for r in wired.simulator.data.laporan]
    pages = await walk(
        wired.query, DAFTAR_ADUAN, lambda data: _ids(data["daftarAduan"], "trackingId"), 50
    )
    assert [len(page) for page in pages] == [50, 50, 50, len(laporan) - 150]
    walked = [tracking_id for page in pages for tracking_id in page]
    assert walked == laporan and len(set(walked)) == len(walked)  # none lost or repeated
    # Paged after filtering: the pages of the finished complaints are those complaints
    whole = await wired.query("{ daftarAduan(status: SELESAI) { trackingId } }")
    selesai = _ids(whole["data"]["daftarAduan"], "trackingId")
    assert len(selesai) > 10
    pages = await walk(
        wired.query,
        DAFTAR_ADUAN,
        lambda data: _ids(data["daftarAduan"], "trackingId"),
        10,
        {"status": "SELESAI"},
    )
    assert [tracking_id for page in pages for tracking_id in page] == selesai


async def test_catalogue_lists_in_pages(wired: Wired) -> None:
    data = wired.simulator.data
    aplikasi = await walk(
        wired.query,
        "query ($batas: Int!, $lewati: Int!) { daftarAplikasi(batas: $batas, lewati: $lewati) "
        "{ id } }",
        lambda found: _ids(found["daftarAplikasi"]),
        20,
    )
    assert [i for page in aplikasi for i in page] == [str(r["id_aplikasi"]) for r in data.aplikasi]
    inovasi = await walk(
        wired.query,
        "query ($batas: Int!, $lewati: Int!) { daftarInovasi(batas: $batas, lewati: $lewati) "
        "{ id } }",
        lambda found: _ids(found["daftarInovasi"]),
        20,
    )
    assert [i for page in inovasi for i in page] == [str(r["id_inovasi"]) for r in data.inovasi]


async def test_an_opds_and_a_kelurahans_lists_in_pages(wired: Wired) -> None:
    # The OPD with the most applications, and the kelurahan with the most complaints
    kode = Counter(r["kode_skpd_pemilik"] for r in wired.simulator.data.aplikasi).most_common(1)
    whole = await wired.query(OPD, {"kode": kode[0][0], "batas": 500, "lewati": 0})
    opd = whole["data"]["opd"]
    for field, key in (("aplikasi", "id"), ("inovasi", "id"), ("aduan", "trackingId")):
        pages = await walk(
            wired.query,
            OPD,
            lambda data, f=field, k=key: _ids(data["opd"][f], k),
            2,
            {"kode": kode[0][0]},
        )
        assert [i for page in pages for i in page] == _ids(opd[field], key), field
    wilayah = Counter(r["kode_wilayah"] for r in wired.simulator.data.laporan).most_common(1)
    representation = {"r": [{"__typename": "Kelurahan", "kode": wilayah[0][0]}]}
    whole = await wired.query(KELURAHAN, {**representation, "batas": 500, "lewati": 0})
    expected = _ids(whole["data"]["_entities"][0]["aduan"], "trackingId")
    assert len(expected) == wilayah[0][1] > 4
    pages = await walk(
        wired.query,
        KELURAHAN,
        lambda data: _ids(data["_entities"][0]["aduan"], "trackingId"),
        4,
        representation,
    )
    assert [i for page in pages for i in page] == expected


async def test_a_page_out_of_range_is_the_clients_error(wired: Wired) -> None:
    for field in ("daftarAduan", "daftarAplikasi", "daftarInovasi"):
        await assert_refused(wired.query, f"{{ {field}({{page}}) {{ __typename }} }}", [field])
    assert wired.simulator.calls == {}  # refused before the service is asked
    await assert_refused(
        wired.query,
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { "
        "aduan({page}) { trackingId } } } }",
        ["_entities", 0, "aduan"],
        {"r": [{"__typename": "Kelurahan", "kode": "61.71.05.1001"}]},
    )
    opd = "2.16.2.20.2.21.01.0000"
    for field in ("aplikasi", "inovasi", "aduan"):
        await assert_refused(
            wired.query,
            f'{{ opd(kode: "{opd}") {{ {field}({{page}}) {{ __typename }} }} }}',
            ["opd", field],
        )
