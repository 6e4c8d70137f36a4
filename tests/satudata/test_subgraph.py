"""The satudata subgraph over the simulated portal: search with facets, one data set,
OPDs' data sets in one call, links to the live figures, refused input, a broken portal."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from subgraphs.satudata.schema import make_app
from subgraphs.satudata.source import connect
from subgraphs.toolkit import GatewayTrust
from tests.support.faults import Faulty
from tests.support.wired import FAST_RETRY, TIMEOUT, in_process

from .conftest import Wired

DUKCAPIL = "2.12.0.00.0.00.01.0000"
DINKES = "1.02.0.00.0.00.01.0000"
BKD = "5.02.0.00.0.00.01.0000"


async def test_search_answers_a_page_with_counts_per_facet(wired: Wired) -> None:
    body = await wired.query(
        """{ cariDataset(kata: "penduduk", batas: 5) {
              jumlah dataset { id judul produsen opd { kode } format tahun }
              perOpd { opd { kode } nama jumlah } perTopik { kode nama jumlah }
              perFormat { kode jumlah } } }"""
    )
    found = body["data"]["cariDataset"]
    assert "errors" not in body
    assert len(found["dataset"]) == 5 < found["jumlah"]
    assert sum(item["jumlah"] for item in found["perOpd"]) == found["jumlah"]
    # Disdukcapil's data sets, and those of the OPD with "Penduduk" in its name
    assert {"kode": "kependudukan", "nama": "Kependudukan", "jumlah": 11} in found["perTopik"]
    assert {
        "opd": {"kode": DUKCAPIL},
        "nama": "Dinas Kependudukan dan Pencatatan Sipil",
        "jumlah": 21,
    } in found["perOpd"]
    for dataset in found["dataset"]:  # title matches first
        assert "penduduk" in dataset["judul"].lower()
        assert dataset["tahun"] == sorted(dataset["tahun"]) and dataset["format"]


async def test_filters_by_opd_topic_and_format(wired: Wired) -> None:
    body = await wired.query(
        """query ($opd: String) { cariDataset(opd: $opd, topik: "kesehatan", format: "csv",
              batas: 100, urutan: JUDUL) {
                jumlah dataset { judul topik { kode } format opd { kode } } } }""",
        {"opd": DINKES},
    )
    found = body["data"]["cariDataset"]
    assert found["jumlah"] == len(found["dataset"]) > 3
    titles = [d["judul"] for d in found["dataset"]]
    assert titles == sorted(titles, key=str.lower)
    for dataset in found["dataset"]:
        assert dataset["opd"] == {"kode": DINKES}
        assert dataset["topik"] == [{"kode": "kesehatan"}] and "CSV" in dataset["format"]


async def test_one_data_set_with_its_files_and_licence(wired: Wired) -> None:
    body = await wired.query(
        """{ dataset(id: "jumlah-sekolah-menurut-kecamatan") {
              id judul frekuensi tingkatPenyajian satuan lisensi { kode nama url }
              topik { kode jumlahDataset } kataKunci tautan diperbarui
              sumberDaya { nama format tahun url ukuran diperbarui }
              dataTerkini { __typename ... on SekolahPerKecamatan { kecamatan { kode } } } }
            tidakAda: dataset(id: "tidak-ada") { id } }"""
    )
    dataset = body["data"]["dataset"]
    assert body["data"]["tidakAda"] is None
    assert dataset["tingkatPenyajian"] == "KECAMATAN" and dataset["frekuensi"] == "Tahunan"
    assert dataset["lisensi"]["kode"] in ("cc-by", "cc-by-sa")
    assert dataset["topik"][0]["kode"] == "pendidikan" and dataset["topik"][0]["jumlahDataset"] > 10
    assert dataset["tautan"] == "http://data.test/dataset/jumlah-sekolah-menurut-kecamatan"
    years = [r["tahun"] for r in dataset["sumberDaya"]]
    assert years == sorted(years, reverse=True) and years[0] == 2025
    assert all(r["url"].startswith("http://data.test/dataset/") for r in dataset["sumberDaya"])
    assert dataset["dataTerkini"]["__typename"] == "SekolahPerKecamatan"
    assert len(dataset["dataTerkini"]["kecamatan"]) == 6


LIVE = """
query ($id: ID!) { dataset(id: $id) { dataTerkini { __typename
  ... on PendudukPerKelurahan { kelurahan { kode } }
  ... on IzinPerTahun { tahun }
  ... on RealisasiAnggaranOpd { tahunAnggaran opd { kode } } } } }"""


@pytest.mark.parametrize(
    ("name", "kind", "check"),
    [
        (
            "jumlah-penduduk-menurut-kelurahan",
            "PendudukPerKelurahan",
            lambda live: len(live["kelurahan"]) == 29,
        ),
        (
            "jumlah-izin-terbit-per-tahun",
            "IzinPerTahun",
            lambda live: live["tahun"][-1] == 2026 and live["tahun"][0] == 2019,
        ),
        (
            "realisasi-anggaran-dinkes",
            "RealisasiAnggaranOpd",
            lambda live: (
                live
                == {
                    "__typename": "RealisasiAnggaranOpd",
                    "tahunAnggaran": 2026,
                    "opd": [{"kode": DINKES}],
                }
            ),
        ),
        (
            "realisasi-anggaran-perangkat-daerah",
            "RealisasiAnggaranOpd",
            lambda live: len(live["opd"]) == 31 and {"kode": BKD} in live["opd"],
        ),
    ],
)
async def test_data_sets_the_graph_holds_link_to_the_live_fields(
    wired: Wired, name: str, kind: str, check: Any
) -> None:
    body = await wired.query(LIVE, {"id": name})
    live = body["data"]["dataset"]["dataTerkini"]
    assert live["__typename"] == kind and check(live)


async def test_other_data_sets_have_no_live_link(wired: Wired) -> None:
    body = await wired.query(LIVE, {"id": "volume-sampah-terangkut-ke-tpa"})
    assert body["data"]["dataset"] == {"dataTerkini": None}


async def test_opds_data_sets_come_in_one_search_for_the_whole_batch(wired: Wired) -> None:
    wired.simulator.calls.clear()
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on Opd { kode jumlahDataset
                           dataset(batas: 3) { id opd { kode } diperbarui } } } }""",
        {
            "r": [
                {"__typename": "Opd", "kode": k}
                for k in (DUKCAPIL, DINKES, "9.99.0.00.0.00.01.0000")
            ]
        },
    )
    dukcapil, dinkes, unknown = body["data"]["_entities"]
    assert wired.simulator.calls["package_search"] == 1
    assert dukcapil["jumlahDataset"] >= 15 and len(dukcapil["dataset"]) == 3
    assert {d["opd"]["kode"] for d in dukcapil["dataset"]} == {DUKCAPIL}
    stamps = [d["diperbarui"] for d in dinkes["dataset"]]
    assert stamps == sorted(stamps, reverse=True)
    assert unknown == {"kode": "9.99.0.00.0.00.01.0000", "jumlahDataset": 0, "dataset": []}


async def test_data_sets_are_entities_found_by_id(wired: Wired) -> None:
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) { ... on Dataset { judul } } }""",
        {"r": [{"__typename": "Dataset", "id": i} for i in ("daftar-cagar-budaya", "x) OR (y")]},
    )
    assert body["data"]["_entities"] == [{"judul": "Daftar Cagar Budaya"}, None]


@pytest.mark.parametrize(
    ("arguments", "pesan"),
    [
        ('opd: "dinkes"', "Kode SKPD"),
        ('topik: "x) OR name:(y"', "topik hanya boleh"),
        ('format: "CSV\\" OR x"', "format hanya boleh"),
        ("batas: 0", "batas harus"),
        (f'kata: "{"a" * 201}"', "paling banyak 200"),
    ],
)
async def test_bad_input_is_refused_before_the_portal_is_asked(
    wired: Wired, arguments: str, pesan: str
) -> None:
    wired.simulator.calls.clear()
    body = await wired.query(f"{{ cariDataset({arguments}) {{ jumlah }} }}")
    error = body["errors"][0]
    assert body["data"] == {"cariDataset": None}
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and pesan in error["extensions"]["pesan"]
    assert wired.simulator.calls["package_search"] == 0


@pytest.mark.parametrize(
    ("kata", "jumlah"),
    [
        ("SP4N-LAPOR!", 1),  # "-" and "!" are Solr operators: found as written
        ("*:*", 0),  # Solr's "everything", as a word no data set holds
        ("penduduk OR *:*", 0),
        ("name:*", 0),
        ("{!lucene}*:*", 0),  # local parameters, which the portal refuses
        ("penduduk) OR (", 0),
    ],
)
async def test_search_words_are_text_to_find_never_solr_syntax(
    wired: Wired, kata: str, jumlah: int
) -> None:
    body = await wired.query(
        "query ($kata: String) { cariDataset(kata: $kata) { jumlah } }", {"kata": kata}
    )
    assert body == {"data": {"cariDataset": {"jumlah": jumlah}}}


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("down", "UPSTREAM_UNAVAILABLE"),
        ("slow", "UPSTREAM_TIMEOUT"),
        ("500", "UPSTREAM_UNAVAILABLE"),
        ("malformed", "UPSTREAM_BAD_RESPONSE"),
        ("shape", "UPSTREAM_BAD_RESPONSE"),
    ],
)
async def test_a_broken_portal_fails_its_fields_with_a_code(
    wired: Wired, mode: str, code: str
) -> None:
    wired.faulty.break_upstream(mode, "/api/3/action/package_search")
    body = await wired.query('{ cariDataset(kata: "penduduk") { jumlah } topikData { kode } }')
    assert body["data"]["cariDataset"] is None
    assert len(body["data"]["topikData"]) == 14
    assert [e["path"] for e in body["errors"]] == [["cariDataset"]]
    assert body["errors"][0]["extensions"] == {"code": code, "upstream": "satudata"}


async def test_two_subgraphs_in_one_process_each_read_their_own_portal(wired: Wired) -> None:
    # made after ``wired``'s: a subgraph reading the last adapter made would see it down
    down = Faulty(wired.simulator.app, mode="down")
    source = connect(
        "http://mirror.test",
        timeout=TIMEOUT,
        retry=FAST_RETRY,
        transport=httpx.ASGITransport(app=down),
    )
    app = make_app(source, trust=GatewayTrust.unsigned())
    async with in_process(wired.simulator, down, source, app) as mirror:
        healthy, broken = await asyncio.gather(
            wired.query("{ topikData { kode } }"), mirror.query("{ topikData { kode } }")
        )
    assert "errors" not in healthy and len(healthy["data"]["topikData"]) == 14
    assert broken["data"] == {"topikData": None}
    assert broken["errors"][0]["extensions"] == {
        "code": "UPSTREAM_UNAVAILABLE",
        "upstream": "satudata",
    }
    assert down.hits == ["/api/3/action/group_list"] * 2  # two tries, both refused


CATALOGUE = "public, max-age=21600, stale-if-error=604800"


@pytest.mark.parametrize(
    ("query", "representations"),
    [
        (
            '{ cariDataset(kata: "penduduk") { jumlah dataset { id judul } perOpd { jumlah } } }',
            None,
        ),
        ('{ dataset(id: "jumlah-sekolah-menurut-kecamatan") { judul sumberDaya { url } } }', None),
        ("{ topikData { kode jumlahDataset } }", None),
        (
            """query ($r: [_Any!]!) { _entities(representations: $r) {
                 ... on Opd { jumlahDataset dataset(batas: 3) { id } } } }""",
            [{"__typename": "Opd", "kode": DINKES}],
        ),
        (
            """query ($r: [_Any!]!) { _entities(representations: $r) {
                 ... on Dataset { judul opd { kode } } } }""",
            [{"__typename": "Dataset", "id": "jumlah-sekolah-menurut-kecamatan"}],
        ),
    ],
)
async def test_the_catalogue_says_how_long_it_holds(
    wired: Wired, query: str, representations: list[dict[str, str]] | None
) -> None:
    # six hours fresh, a week to stand in while the portal is down
    variables = None if representations is None else {"r": representations}
    assert await wired.cache_control(query, variables) == CATALOGUE
