"""The dpmptsp subgraph answers its root fields in the graph's names and codes."""

from __future__ import annotations

from collections import Counter

import pytest

from subgraphs.dpmptsp.legacy import DpmptspSimulator
from subgraphs.dpmptsp.perizinan import JENIS_IZIN
from subgraphs.dpmptsp.records import SUMBER_OSS, SUMBER_SICANTIK
from subgraphs.reference import kelurahan_list, kemendagri_to_bps

from .conftest import Wired

IZIN = """nomor nomorPermohonan kodeJenis jenis status tanggalPermohonan tanggalTerbit
  berlakuSampai kbli { kode judul } sumber diperbarui kelurahan { kode } usaha { nib }"""


def _tahun(row: dict[str, str | None], *dates: str) -> str:
    return str(next(row[d] for d in dates if row[d]))[:4]


async def test_daftar_izin_for_a_kelurahan_and_year(wired: Wired) -> None:
    body = await wired.query(
        f'{{ daftarIzin(tahun: 2025, kelurahan: "61.71.05.1001") {{ {IZIN} }} }}'
    )
    assert "errors" not in body
    found = body["data"]["daftarIzin"]
    data = wired.simulator.data
    sicantik = [
        row
        for row in data.permohonan
        if row["kd_kelurahan"] == kemendagri_to_bps("61.71.05.1001")
        and _tahun(row, "d_terbit", "d_terima_berkas") == "2025"
    ]
    oss = [
        row
        for row in data.izin_usaha
        if row["kd_daerah"] == "6171051001"
        and _tahun(row, "tgl_terbit_izin", "tgl_permohonan") == "2025"
    ]
    assert len(found) == len(sicantik) + len(oss) > 10
    assert {izin["kelurahan"]["kode"] for izin in found} == {"61.71.05.1001"}
    assert {izin["sumber"] for izin in found} == {SUMBER_SICANTIK, SUMBER_OSS}
    dates = [izin["tanggalTerbit"] or izin["tanggalPermohonan"] for izin in found]
    assert dates == sorted(dates) and all(d.startswith("2025-") for d in dates)
    for izin in found:
        assert (izin["usaha"] is not None) == (izin["sumber"] == SUMBER_OSS)
        assert (izin["tanggalTerbit"] is None) == (izin["status"] in {"PROSES", "DITOLAK"})


async def test_bps_codes_translate_to_kemendagri(wired: Wired) -> None:
    # BPS numbers Pontianak's kecamatan in another order: its 6171010 is Pontianak Selatan
    body = await wired.query(
        '{ daftarIzin(kecamatan: "61.71.01", jenis: "PBG") { kelurahan { kode } } }'
    )
    kodes = {izin["kelurahan"]["kode"] for izin in body["data"]["daftarIzin"]}
    assert kodes == {k.kode for k in kelurahan_list("61.71.01")}


async def test_daftar_izin_filters(wired: Wired) -> None:
    body = await wired.query(
        """{ ditolak: daftarIzin(status: DITOLAK, tahun: 2024) { status tanggalPermohonan }
             tdup: daftarIzin(jenis: "TDUP", kecamatan: "61.71.02") { kodeJenis jenis sumber
               kelurahan { kode } }
             proses: daftarIzin(status: PROSES) { status tanggalTerbit nomor nomorPermohonan }
             nowhere: daftarIzin(kelurahan: "61.71.09.1001") { nomor } }"""
    )
    assert "errors" not in body
    data = body["data"]
    assert data["ditolak"] and all(
        i["status"] == "DITOLAK" and i["tanggalPermohonan"].startswith("2024-")
        for i in data["ditolak"]
    )
    assert data["tdup"] and all(
        i["jenis"] == "Tanda Daftar Usaha Pariwisata"
        and i["sumber"] == SUMBER_OSS
        and i["kelurahan"]["kode"].startswith("61.71.02.")
        for i in data["tdup"]
    )
    assert data["proses"] and all(
        i["tanggalTerbit"] is None and i["nomor"] == i["nomorPermohonan"] for i in data["proses"]
    )
    assert data["nowhere"] == []


async def test_one_permit_by_number(wired: Wired) -> None:
    data = wired.simulator.data
    issued = next(r for r in data.permohonan if r["kd_perizinan"] == "SLF" and r["no_surat"])
    pending = next(r for r in data.permohonan if r["status"] == "Verifikasi Berkas")
    oss = next(r for r in data.izin_usaha if r["nomor_izin"] and r["tgl_berlaku_izin"])
    body = await wired.query(
        f"""query ($a: String!, $b: String!, $c: String!) {{ a: izin(nomor: $a) {{ {IZIN} }}
              b: izin(nomor: $b) {{ {IZIN} }} c: izin(nomor: $c) {{ {IZIN} }}
              none: izin(nomor: "503/9999/PBG/DPMPTSP/2024") {{ nomor }} }}""",
        {"a": issued["no_surat"], "b": pending["no_permohonan"], "c": oss["nomor_izin"]},
    )
    assert "errors" not in body
    a, b, c = body["data"]["a"], body["data"]["b"], body["data"]["c"]
    assert a["jenis"] == "Sertifikat Laik Fungsi" and a["status"] in {"TERBIT", "DICABUT"}
    assert a["tanggalTerbit"] == issued["d_terbit"]
    assert a["berlakuSampai"] == issued["d_berlaku_sampai"]
    assert a["nomorPermohonan"] == issued["no_permohonan"]
    assert b["status"] == "PROSES" and b["nomor"] == pending["no_permohonan"]
    assert c["usaha"] == {"nib": oss["nib"]} and c["kbli"]["kode"] == oss["kbli"]
    assert c["berlakuSampai"] == oss["tgl_berlaku_izin"]
    assert body["data"]["none"] is None


async def test_one_business_by_nib(wired: Wired) -> None:
    row = next(r for r in wired.simulator.data.usaha if len(r["kbli"]) > 1)
    body = await wired.query(
        """query ($nib: String!) { usaha(nib: $nib) { nib nama bentuk skala
             kbli { kode judul } tanggalTerbitNib sumber diperbarui kelurahan { kode }
             izin { nomor kodeJenis usaha { nib } } }
           unknown: usaha(nib: "1000000000000") { nib } }""",
        {"nib": row["nib"]},
    )
    assert "errors" not in body
    usaha = body["data"]["usaha"]
    assert usaha["nama"] == row["nama_perusahaan"] and usaha["bentuk"] == row["jenis_perusahaan"]
    assert usaha["skala"] == row["skala_usaha"].split()[1].upper()
    assert [k["kode"] for k in usaha["kbli"]] == [k["kode_kbli"] for k in row["kbli"]]
    assert usaha["kelurahan"]["kode"].replace(".", "") == row["kd_daerah"]
    assert usaha["izin"] and all(i["usaha"]["nib"] == row["nib"] for i in usaha["izin"])
    assert body["data"]["unknown"] is None


@pytest.mark.parametrize(
    "query",
    [
        '{ usaha(nib: "12345") { nib } }',
        '{ usaha(nib: "12345678901ab") { nib } }',
        '{ izin(nomor: "izin-saya") { nomor } }',
        '{ daftarIzin(kelurahan: "6171051001") { nomor } }',
        '{ daftarIzin(kecamatan: "Pontianak Kota") { nomor } }',
        '{ daftarIzin(jenis: "SIUP") { nomor } }',
        "{ rekapIzin(tahun: 25) { bulan } }",
        '{ daftarUsaha(kelurahan: "61.71.5.1001") { nib } }',
    ],
)
async def test_malformed_input_is_the_clients_error(wired: Wired, query: str) -> None:
    body = await wired.query(query)
    assert body["data"] is None or all(v is None for v in body["data"].values())
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert wired.simulator.calls.total() == 0


async def test_rekap_counts_match_the_list(wired: Wired) -> None:
    # The year's 723 permits take two pages of daftarIzin
    body = await wired.query(
        """fragment I on Izin { kodeJenis status tanggalTerbit tanggalPermohonan }
           { rekapIzin(tahun: 2025) { bulan kodeJenis jenis terbit proses ditolak }
             daftarIzin(tahun: 2025) { ...I }
             sisa: daftarIzin(tahun: 2025, lewati: 500) { ...I }
             timur: rekapIzin(tahun: 2025, kecamatan: "61.71.02") { terbit } }"""
    )
    assert "errors" not in body
    rows = body["data"]["rekapIzin"]
    assert len(body["data"]["daftarIzin"]) == 500 and 0 < len(body["data"]["sisa"]) < 500
    expected: Counter[tuple[int, str, str]] = Counter()
    for izin in body["data"]["daftarIzin"] + body["data"]["sisa"]:
        month = int((izin["tanggalTerbit"] or izin["tanggalPermohonan"])[5:7])
        kind = {"TERBIT": "terbit", "DICABUT": "terbit"}.get(izin["status"], izin["status"].lower())
        expected[(month, izin["kodeJenis"], kind)] += 1
    got = Counter(
        {
            (r["bulan"], r["kodeJenis"], k): r[k]
            for r in rows
            for k in ("terbit", "proses", "ditolak")
        }
    )
    assert +got == +expected
    assert {r["bulan"] for r in rows} == set(range(1, 13))
    assert 0 < sum(r["terbit"] for r in body["data"]["timur"]) < sum(r["terbit"] for r in rows)


async def test_kelurahan_recaps_add_up_to_the_city(wired: Wired) -> None:
    body = await wired.query(
        """query ($r: [_Any!]!) { rekapIzin(tahun: 2024) { terbit proses ditolak }
             _entities(representations: $r) { ... on Kelurahan { rekapIzin(tahun: 2024) {
               terbit proses ditolak } } } }""",
        {"r": [{"__typename": "Kelurahan", "kode": k.kode} for k in kelurahan_list()]},
    )
    assert "errors" not in body

    def total(rows: list[dict[str, int]]) -> int:
        return sum(r["terbit"] + r["proses"] + r["ditolak"] for r in rows)

    city = total(body["data"]["rekapIzin"])
    assert city > 500
    assert sum(total(e["rekapIzin"]) for e in body["data"]["_entities"]) == city


async def test_daftar_usaha_and_jenis(wired: Wired, simulator: DpmptspSimulator) -> None:
    body = await wired.query(
        """{ semua: daftarUsaha { nib } sisa: daftarUsaha(lewati: 500) { nib }
             besar: daftarUsaha(skala: BESAR) { skala }
             kelurahan: daftarUsaha(kelurahan: "61.71.04.1004") { kelurahan { kode } }
             daftarJenisIzin { kode nama sumber } }"""
    )
    assert "errors" not in body
    data = body["data"]
    # 697 businesses: a first page of 500, the rest on the second
    assert len(data["semua"]) == 500
    nibs = [u["nib"] for u in data["semua"] + data["sisa"]]
    assert sorted(nibs) == sorted(u["nib"] for u in simulator.data.usaha)
    assert data["besar"] and {u["skala"] for u in data["besar"]} == {"BESAR"}
    assert data["kelurahan"] and {u["kelurahan"]["kode"] for u in data["kelurahan"]} == {
        "61.71.04.1004"
    }
    assert [j["kode"] for j in data["daftarJenisIzin"]] == [j.kode for j in JENIS_IZIN]


async def test_health(wired: Wired) -> None:
    response = await wired.client.get("/health")
    assert response.json() == {"status": "pass"}


PERMITS = "public, max-age=600, stale-if-error=86400"
BUSINESSES = "public, max-age=21600, stale-if-error=604800"
TYPES = "public, max-age=86400, stale-if-error=2592000"
ENTITY = "query ($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {} }} }}"


async def test_answers_say_how_long_they_hold(wired: Wired) -> None:
    # permits and their summaries ten minutes (a day stale), businesses six hours (a week),
    # the permit types a day (a month)
    assert await wired.cache_control("{ daftarIzin(tahun: 2025) { nomor status } }") == PERMITS
    assert await wired.cache_control("{ rekapIzin(tahun: 2025) { bulan terbit } }") == PERMITS
    assert await wired.cache_control("{ daftarUsaha { nib nama skala } }") == BUSINESSES
    assert await wired.cache_control("{ daftarUsaha { nib izin { status } } }") == PERMITS
    assert await wired.cache_control("{ daftarJenisIzin { kode nama } }") == TYPES
    data = wired.simulator.data
    nomor = next(r["no_surat"] for r in data.permohonan if r["no_surat"])
    nib = data.usaha[0]["nib"]
    kelurahan = {"__typename": "Kelurahan", "kode": "61.71.05.1001"}
    for selection, representation, expected in [
        ("Izin { status usaha { nama } }", {"__typename": "Izin", "nomor": nomor}, PERMITS),
        ("Usaha { nama kbli { kode } }", {"__typename": "Usaha", "nib": nib}, BUSINESSES),
        ("Kelurahan { usaha { nib } }", kelurahan, BUSINESSES),
        ("Kelurahan { izin(tahun: 2025) { nomor } }", kelurahan, PERMITS),
        ("Kelurahan { rekapIzin(tahun: 2025) { terbit } }", kelurahan, PERMITS),
    ]:
        query = ENTITY.format(selection)
        assert await wired.cache_control(query, {"r": [representation]}) == expected, selection
