"""The dinkes subgraph: root fields, ``_entities``, the join of the two exports, and one
read of each file per batch."""

from __future__ import annotations

from subgraphs.dinkes.legacy import fasilitas
from subgraphs.dinkes.legacy.seed import RSUD_PROVINSI
from subgraphs.reference import RSUD_KOTA, kelurahan_list
from tests.support.clock import TODAY

from .conftest import CSV_EXPORT, JSON_EXPORT, Wired

FIELDS = """kode nama jenis kepemilikan alamat kelurahan { kode } layanan jamBuka rawatInap
  telepon lintang bujur sumber diperbarui"""


def _by_name(nama: str) -> str:
    return next(item.kode for item in fasilitas(TODAY) if item.nama == nama)


async def test_daftar_fasilitas_kesehatan(wired: Wired) -> None:
    body = await wired.query(f"{{ daftarFasilitasKesehatan {{ {FIELDS} }} }}")
    assert "errors" not in body
    found = body["data"]["daftarFasilitasKesehatan"]
    assert sorted(item["kode"] for item in found) == sorted(item.kode for item in fasilitas(TODAY))
    rsud = next(item for item in found if item["nama"] == RSUD_KOTA)
    assert rsud["jenis"] == "RUMAH_SAKIT" and rsud["kepemilikan"] == "PEMERINTAH"
    assert rsud["rawatInap"] is True and "Instalasi Gawat Darurat" in rsud["layanan"]
    assert rsud["kelurahan"]["kode"].startswith("61.71.") and rsud["lintang"] < 0
    assert rsud["sumber"] == (
        "SATUSEHAT (Kementerian Kesehatan); Registri Fasyankes Dinas Kesehatan Kota Pontianak"
    )
    assert len(rsud["diperbarui"]) == 10
    kinds = {item["jenis"] for item in found}
    assert kinds == {"PUSKESMAS", "PUSKESMAS_PEMBANTU", "RUMAH_SAKIT", "KLINIK", "LABORATORIUM"}


async def test_filters(wired: Wired) -> None:
    body = await wired.query(
        """{ puskesmas: daftarFasilitasKesehatan(jenis: PUSKESMAS) { nama jenis }
             utara: daftarFasilitasKesehatan(kecamatan: "61.71.04") { kelurahan { kode } }
             satu: daftarFasilitasKesehatan(kelurahan: "61.71.03.1003", jenis: RUMAH_SAKIT) {
               nama } }"""
    )
    assert "errors" not in body
    data = body["data"]
    assert len(data["puskesmas"]) == 23 and {p["jenis"] for p in data["puskesmas"]} == {"PUSKESMAS"}
    assert data["utara"] and all(
        item["kelurahan"]["kode"].startswith("61.71.04.") for item in data["utara"]
    )
    assert [item["nama"] for item in data["satu"]] == [RSUD_KOTA]


async def test_one_facility_by_code(wired: Wired) -> None:
    kode = _by_name(RSUD_PROVINSI)
    body = await wired.query(
        "query ($k: String!) { fasilitasKesehatan(kode: $k) { kode nama kepemilikan } }",
        {"k": kode},
    )
    assert body == {
        "data": {
            "fasilitasKesehatan": {"kode": kode, "nama": RSUD_PROVINSI, "kepemilikan": "PEMERINTAH"}
        }
    }
    unknown = await wired.query('{ fasilitasKesehatan(kode: "P6171999999") { nama } }')
    assert unknown == {"data": {"fasilitasKesehatan": None}}


async def test_malformed_codes_are_the_clients_error(wired: Wired) -> None:
    for query in (
        '{ fasilitasKesehatan(kode: "puskesmas") { nama } }',
        '{ daftarFasilitasKesehatan(kecamatan: "617101") { nama } }',
        '{ daftarFasilitasKesehatan(kelurahan: "61.71.01") { nama } }',
    ):
        body = await wired.query(query)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", query
        assert "Traceback" not in str(body)
    assert not wired.source.reads


async def test_a_facility_in_one_export_only_still_appears(wired: Wired) -> None:
    only_registry = [item for item in fasilitas(TODAY) if not item.di_satusehat]
    only_satusehat = [item for item in fasilitas(TODAY) if not item.di_registri]
    assert only_registry and only_satusehat
    representations = [
        {"__typename": "FasilitasKesehatan", "kode": item.kode}
        for item in (*only_registry, *only_satusehat)
    ]
    body = await wired.query(
        f"""query ($r: [_Any!]!) {{ _entities(representations: $r) {{
              ... on FasilitasKesehatan {{ {FIELDS} }} }} }}""",
        {"r": representations},
    )
    assert "errors" not in body
    found = body["data"]["_entities"]
    for item, answer in zip(only_registry, found, strict=False):
        # Known to the registry: services, hours and its kelurahan by name; no position
        assert answer["nama"] == item.nama and answer["jenis"] == "KLINIK"
        assert answer["layanan"] == list(item.layanan) and answer["rawatInap"] is False
        assert answer["kelurahan"] == {"kode": item.kelurahan.kode}
        assert answer["lintang"] is None and answer["bujur"] is None
        assert answer["sumber"] == "Registri Fasyankes Dinas Kesehatan Kota Pontianak"
        assert answer["diperbarui"] == item.diperbarui.isoformat()
    satusehat = found[len(only_registry)]
    item = only_satusehat[0]
    # Known to SATUSEHAT: position, kelurahan and the Organization's telephone; no services
    assert satusehat["nama"] == item.nama and satusehat["jenis"] == "RUMAH_SAKIT"
    assert satusehat["layanan"] == [] and satusehat["rawatInap"] is None
    assert satusehat["kepemilikan"] is None and satusehat["telepon"] == item.telepon
    assert satusehat["lintang"] == item.lintang and satusehat["bujur"] == item.bujur
    assert satusehat["sumber"] == "SATUSEHAT (Kementerian Kesehatan)"


async def test_every_facility_as_entities_reads_each_file_once(wired: Wired) -> None:
    representations = [
        {"__typename": "FasilitasKesehatan", "kode": f.kode} for f in fasilitas(TODAY)
    ]
    representations.append({"__typename": "FasilitasKesehatan", "kode": "P6171999999"})
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on FasilitasKesehatan { kode nama kelurahan { kode } } } }""",
        {"r": representations},
    )
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert [e["kode"] for e in entities[:-1]] == [f.kode for f in fasilitas(TODAY)]
    assert entities[-1] is None
    assert len(representations) == 62
    assert wired.source.reads == {JSON_EXPORT: 1, CSV_EXPORT: 1}
    assert wired.parses == {JSON_EXPORT: 1, CSV_EXPORT: 1}


async def test_29_kelurahan_read_each_file_once(wired: Wired) -> None:
    representations = [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]
    query = """query ($r: [_Any!]!) { _entities(representations: $r) {
                 ... on Kelurahan { kode fasilitasKesehatan { kode jenis kelurahan { kode } }
                   puskesmas: fasilitasKesehatan(jenis: PUSKESMAS) { nama } } } }"""
    body = await wired.query(query, {"r": representations})
    assert "errors" not in body
    entities = body["data"]["_entities"]
    assert len(entities) == 29
    assert all(e["fasilitasKesehatan"] for e in entities)
    for entity in entities:
        assert {f["kelurahan"]["kode"] for f in entity["fasilitasKesehatan"]} == {entity["kode"]}
    assert sum(len(e["puskesmas"]) for e in entities) == 23
    assert wired.source.reads == {JSON_EXPORT: 1, CSV_EXPORT: 1}
    # A second request reads again (to see changes) but parses nothing unchanged
    await wired.query(query, {"r": representations})
    assert wired.source.reads == {JSON_EXPORT: 2, CSV_EXPORT: 2}
    assert wired.parses == {JSON_EXPORT: 1, CSV_EXPORT: 1}


async def test_health(wired: Wired) -> None:
    response = await wired.client.get("/health")
    assert response.json() == {"status": "pass"}


REGISTRY = "public, max-age=21600, stale-if-error=604800"
KELURAHAN_ENTITY = """query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on Kelurahan { fasilitasKesehatan { kode nama } } } }"""
FACILITY_ENTITY = """query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on FasilitasKesehatan { nama jenis kelurahan { kode } } } }"""


async def test_facilities_say_how_long_they_hold(wired: Wired) -> None:
    # the gateway keeps them six hours and serves them a week while dinkes is down
    assert await wired.cache_control("{ daftarFasilitasKesehatan { kode nama } }") == REGISTRY
    kode = _by_name(RSUD_PROVINSI)
    one = "query ($k: String!) { fasilitasKesehatan(kode: $k) { nama layanan } }"
    assert await wired.cache_control(one, {"k": kode}) == REGISTRY
    kelurahan = [{"__typename": "Kelurahan", "kode": "61.71.01.1001"}]
    assert await wired.cache_control(KELURAHAN_ENTITY, {"r": kelurahan}) == REGISTRY
    facility = [{"__typename": "FasilitasKesehatan", "kode": kode}]
    assert await wired.cache_control(FACILITY_ENTITY, {"r": facility}) == REGISTRY
