"""The kominfo subgraph answers its root fields and ``_entities`` through batched reads."""

from __future__ import annotations

from subgraphs.reference import kelurahan_list, opd_list

from .conftest import Wired

KOMINFO = "2.16.2.20.2.21.01.0000"
DINKES = "1.02.0.00.0.00.01.0000"


async def test_daftar_opd(wired: Wired) -> None:
    body = await wired.query(
        "{ daftarOpd { kode nama singkatan jenis urusan { kode nama } sumber diperbarui } }"
    )
    assert "errors" not in body
    opds = body["data"]["daftarOpd"]
    assert [o["kode"] for o in opds] == [o.kode for o in opd_list()]
    kominfo = next(o for o in opds if o["kode"] == KOMINFO)
    assert kominfo["singkatan"] == "Diskominfo" and kominfo["jenis"] == "DINAS"
    assert kominfo["urusan"] == {"kode": "2.16", "nama": "Komunikasi dan Informatika"}
    assert kominfo["diperbarui"] and len(kominfo["diperbarui"]) == 10
    kecamatan = await wired.query("{ daftarOpd(jenis: KECAMATAN) { kode kecamatan { kode } } }")
    assert len(kecamatan["data"]["daftarOpd"]) == 6
    assert all(o["kecamatan"]["kode"].startswith("61.71.") for o in kecamatan["data"]["daftarOpd"])


async def test_opd_by_kode_and_its_lists(wired: Wired) -> None:
    body = await wired.query(
        """query ($kode: String!) { opd(kode: $kode) { nama
             aplikasi { id nama jenis terintegrasi opd { kode } }
             inovasi { nama jenis bentuk tahapan inisiator urusan { kode } }
             aduan { trackingId topik status tanggalLapor kelurahan { kode } opd { kode } } } }""",
        {"kode": DINKES},
    )
    assert "errors" not in body
    opd = body["data"]["opd"]
    assert opd["nama"] == "Dinas Kesehatan"
    assert {a["nama"] for a in opd["aplikasi"]} >= {"SIMPUS", "Pontianak Sehat"}
    assert all(a["opd"]["kode"] == DINKES for a in opd["aplikasi"])
    assert {i["nama"] for i in opd["inovasi"]} >= {"Posyandu Digital"}
    assert opd["aduan"] and all(a["opd"]["kode"] == DINKES for a in opd["aduan"])
    assert all(a["topik"] == "Kesehatan" for a in opd["aduan"])
    none = await wired.query('{ opd(kode: "9.99.0.00.0.00.01.0000") { nama } }')
    assert none == {"data": {"opd": None}}


async def test_bad_kode_is_the_clients_error(wired: Wired) -> None:
    body = await wired.query('{ opd(kode: "dinkes") { nama } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = await wired.query('{ daftarAduan(kelurahan: "6171011002") { trackingId } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_root_lists_with_filters(wired: Wired) -> None:
    body = await wired.query(
        """query ($kode: String!) { umum: daftarAplikasi(jenis: UMUM) { nama jenis }
             semua: daftarAplikasi { id }
             kominfo: daftarAplikasi(opd: $kode) { nama }
             digital: daftarInovasi(jenis: DIGITAL) { jenis }
             inovasiKominfo: daftarInovasi(opd: $kode) { nama }
             selesai: daftarAduan(status: SELESAI, tahun: 2025) { status tanggalLapor }
             kelurahan: daftarAduan(kelurahan: "61.71.02.1001") { kelurahan { kode } } }""",
        {"kode": KOMINFO},
    )
    assert "errors" not in body
    data = body["data"]
    assert {a["jenis"] for a in data["umum"]} == {"UMUM"} and len(data["umum"]) == 7
    assert len(data["semua"]) > len(opd_list())
    assert "Portal Satu Data Pontianak" in {a["nama"] for a in data["kominfo"]}
    assert {i["jenis"] for i in data["digital"]} == {"DIGITAL"}
    assert "Pontianak Satu Data" in {i["nama"] for i in data["inovasiKominfo"]}
    assert data["selesai"] and all(
        a["status"] == "SELESAI" and a["tanggalLapor"].startswith("2025-") for a in data["selesai"]
    )
    assert {a["kelurahan"]["kode"] for a in data["kelurahan"]} == {"61.71.02.1001"}


async def test_single_records_by_key(wired: Wired) -> None:
    body = await wired.query(
        '{ aplikasi(id: "1001") { nama jenis } inovasi(id: "501") { id } '
        'aduan(trackingId: "1") { trackingId } }'
    )
    assert body["data"]["aplikasi"] == {"nama": "SRIKANDI", "jenis": "UMUM"}
    assert body["data"]["inovasi"] == {"id": "501"}
    assert body["data"]["aduan"] is None


ENTITIES = """query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on Opd { kode nama aplikasi { nama } inovasi { nama } aduan { trackingId } }
  ... on Kelurahan { kode aduan { trackingId status } }
  ... on Aplikasi { id nama }
  ... on Inovasi { id nama }
  ... on Aduan { trackingId topik }
} }"""


async def test_opd_entities_cost_one_call_per_page(wired: Wired) -> None:
    representations = [{"__typename": "Opd", "kode": o.kode} for o in opd_list()]
    representations.append({"__typename": "Opd", "kode": "9.99.0.00.0.00.01.0000"})
    body = await wired.query(ENTITIES, {"r": representations})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert entities[-1] is None
    assert all(e["nama"] and e["aplikasi"] for e in entities[:-1])
    calls = wired.simulator.calls
    assert calls["/api/v1/perangkat-daerah"] == 1
    assert calls["/api/v1/aplikasi"] == 1
    assert calls["/api/v1/inovasi"] == 1
    # ~180 complaints to all OPDs: two pages of 100
    assert calls["/api/lapor/laporan"] == 2


async def test_kelurahan_entities_cost_one_call_per_page(wired: Wired) -> None:
    representations = [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]
    body = await wired.query(ENTITIES, {"r": representations})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert [e["kode"] for e in entities] == [k.kode for k in kelurahan_list()]
    assert all(e["aduan"] for e in entities)
    assert wired.simulator.calls["/api/lapor/laporan"] == 2


async def test_record_entities_by_key(wired: Wired) -> None:
    tracking = [row["tracking_id"] for row in wired.simulator.data.laporan[:40]]
    representations = [
        *({"__typename": "Aplikasi", "id": str(n)} for n in range(1001, 1041)),
        *({"__typename": "Inovasi", "id": str(n)} for n in range(501, 531)),
        *({"__typename": "Aduan", "trackingId": t} for t in tracking),
    ]
    body = await wired.query(ENTITIES, {"r": representations})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert all(e is not None for e in entities)
    assert [e["trackingId"] for e in entities[70:]] == tracking
    calls = wired.simulator.calls
    assert calls["/api/v1/aplikasi"] == calls["/api/v1/inovasi"] == 1
    assert calls["/api/lapor/laporan"] == 1


async def test_health(wired: Wired) -> None:
    response = await wired.client.get("/health")
    assert response.json() == {"status": "pass"}


REGISTRY = "public, max-age=86400, stale-if-error=2592000"
CATALOGUE = "public, max-age=21600, stale-if-error=604800"
COMPLAINTS = "public, max-age=60, stale-if-error=86400"
ONE_ENTITY = "query ($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {} }} }}"


async def test_answers_say_how_long_they_hold(wired: Wired) -> None:
    # the OPD registry a day (a month stale), the catalogue six hours (a week), complaints
    # a minute (a day): an answer holds as long as the liveliest data it selects
    assert await wired.cache_control("{ daftarOpd { kode nama } }") == REGISTRY
    assert await wired.cache_control("{ daftarAplikasi { nama opd { nama } } }") == CATALOGUE
    assert await wired.cache_control("{ daftarInovasi { nama } }") == CATALOGUE
    assert await wired.cache_control("{ daftarOpd { kode aplikasi { nama } } }") == CATALOGUE
    assert await wired.cache_control("{ daftarAduan { trackingId status } }") == COMPLAINTS
    beranda = "{ daftarOpd { kode } daftarAplikasi { id } daftarAduan { status } }"
    assert await wired.cache_control(beranda) == COMPLAINTS
    tracking = wired.simulator.data.laporan[0]["tracking_id"]
    for selection, representation, expected in [
        ("Opd { nama }", {"__typename": "Opd", "kode": KOMINFO}, REGISTRY),
        ("Opd { inovasi { nama } }", {"__typename": "Opd", "kode": KOMINFO}, CATALOGUE),
        ("Aplikasi { nama opd { kode } }", {"__typename": "Aplikasi", "id": "1001"}, CATALOGUE),
        (
            "Kelurahan { aduan { status } }",
            {"__typename": "Kelurahan", "kode": "61.71.01.1001"},
            COMPLAINTS,
        ),
        ("Aduan { status }", {"__typename": "Aduan", "trackingId": tracking}, COMPLAINTS),
    ]:
        query = ONE_ENTITY.format(selection)
        assert await wired.cache_control(query, {"r": [representation]}) == expected, selection
