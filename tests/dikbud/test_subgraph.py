"""The dikbud subgraph: Dapodik's schools in the graph's names and Kemendagri codes."""

from __future__ import annotations

from subgraphs.dikbud.legacy.seed import Sekolah as SeedSekolah
from subgraphs.reference import dapodik_to_kemendagri, kelurahan_list

from .conftest import Wired

SEKOLAH = """query ($npsn: String!) { sekolah(npsn: $npsn) {
  npsn nama bentukPendidikan status alamat akreditasi lintang bujur sumber diperbarui
  kelurahan { kode }
  pesertaDidik { jumlah lakiLaki perempuan rombel semester
                 perTingkat { tingkat jumlah lakiLaki perempuan rombel } }
  gtk { guru tendik jumlah semester } } }"""


def _kelurahan_of(school: SeedSekolah) -> str:
    return dapodik_to_kemendagri(school.row["kode_wilayah"].strip())


async def test_one_school_in_the_graphs_names(wired: Wired) -> None:
    school = next(s for s in wired.simulator.data.sekolah if s.row["bentuk_pendidikan"] == "MTs")
    body = await wired.query(SEKOLAH, {"npsn": school.npsn})
    assert "errors" not in body
    found = body["data"]["sekolah"]
    assert found["npsn"] == school.npsn and found["nama"] == school.row["nama"]
    assert found["bentukPendidikan"] == "MTS"
    assert found["status"] == school.row["status_sekolah"].upper()
    assert found["alamat"] == school.row["alamat_jalan"]
    assert found["lintang"] == float(school.row["lintang"])
    assert found["sumber"].startswith("Dapodik")
    assert found["diperbarui"].startswith(school.row["last_update"][:10] + "T")
    assert found["diperbarui"].endswith("+07:00")
    # Dapodik's kode_wilayah crosswalked to Kemendagri's, not copied
    assert found["kelurahan"]["kode"] == _kelurahan_of(school)
    assert found["kelurahan"]["kode"].startswith("61.71.")
    peserta = found["pesertaDidik"]
    assert peserta["jumlah"] == sum(lk + pr for _, lk, pr in school.peserta_didik)
    assert peserta["jumlah"] == peserta["lakiLaki"] + peserta["perempuan"]
    assert [t["tingkat"] for t in peserta["perTingkat"]] == [7, 8, 9]
    assert peserta["semester"] == "2026/2027 Ganjil"
    assert found["gtk"] == {
        "guru": school.guru,
        "tendik": school.tendik,
        "jumlah": school.guru + school.tendik,
        "semester": "2026/2027 Ganjil",
    }


async def test_unknown_npsn_is_null_and_a_malformed_one_is_refused(wired: Wired) -> None:
    assert await wired.query('{ sekolah(npsn: "99999999") { nama } }') == {
        "data": {"sekolah": None}
    }
    for bad in ("3010001", "301000011", "3010000A", ""):
        body = await wired.query("query ($n: String!) { sekolah(npsn: $n) { nama } }", {"n": bad})
        assert body["data"] == {"sekolah": None}
        assert body["errors"][0]["message"] == "The NPSN must be 8 digits."
        assert body["errors"][0]["extensions"] == {
            "code": "BAD_USER_INPUT",
            "pesan": "NPSN harus 8 digit.",
        }
    assert wired.simulator.calls["/WebService/getSekolah"] == 1  # only the unknown one


async def test_daftar_sekolah_filters_by_kemendagri_codes(wired: Wired) -> None:
    data = wired.simulator.data.sekolah
    every = await wired.query("{ daftarSekolah { npsn } }")
    assert len(every["data"]["daftarSekolah"]) == len(data)
    kelurahan = kelurahan_list()[7].kode
    body = await wired.query(
        "query ($k: String!) { daftarSekolah(kelurahan: $k) { npsn kelurahan { kode } } }",
        {"k": kelurahan},
    )
    expected = {s.npsn for s in data if _kelurahan_of(s) == kelurahan}
    assert {s["npsn"] for s in body["data"]["daftarSekolah"]} == expected
    assert {s["kelurahan"]["kode"] for s in body["data"]["daftarSekolah"]} == {kelurahan}
    body = await wired.query(
        '{ daftarSekolah(kecamatan: "61.71.02", bentuk: SMP, status: SWASTA) '
        "{ npsn bentukPendidikan status kelurahan { kode } } }"
    )
    found = body["data"]["daftarSekolah"]
    expected = {
        s.npsn
        for s in data
        if _kelurahan_of(s).startswith("61.71.02.")
        and s.row["bentuk_pendidikan"] == "SMP"
        and s.row["status_sekolah"] == "Swasta"
    }
    assert expected and {s["npsn"] for s in found} == expected
    assert {(s["bentukPendidikan"], s["status"]) for s in found} == {("SMP", "SWASTA")}
    unknown = await wired.query('{ daftarSekolah(kelurahan: "61.71.09.1001") { npsn } }')
    assert unknown == {"data": {"daftarSekolah": []}}


async def test_malformed_wilayah_filters_are_refused(wired: Wired) -> None:
    for argument in ('kelurahan: "136101"', 'kelurahan: "61.71.01"', 'kecamatan: "6171010"'):
        body = await wired.query(f"{{ daftarSekolah({argument}) {{ npsn }} }}")
        assert body["data"] == {"daftarSekolah": None}
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert wired.simulator.calls == {}


async def test_kelurahan_schools_and_summary(wired: Wired) -> None:
    kode = "61.71.05.1001"
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { kode
             semua: sekolah { npsn kelurahan { kode } }
             sd: sekolah(bentuk: SD, status: NEGERI) { bentukPendidikan status }
             ringkasanPendidikan { jumlahSekolah pesertaDidik guru tendik } } } }""",
        {"r": [{"__typename": "Kelurahan", "kode": kode}]},
    )
    assert "errors" not in body
    kelurahan = body["data"]["_entities"][0]
    mine = [s for s in wired.simulator.data.sekolah if _kelurahan_of(s) == kode]
    assert {s["npsn"] for s in kelurahan["semua"]} == {s.npsn for s in mine}
    assert {s["kelurahan"]["kode"] for s in kelurahan["semua"]} == {kode}
    assert kelurahan["sd"] and {(s["bentukPendidikan"], s["status"]) for s in kelurahan["sd"]} == {
        ("SD", "NEGERI")
    }
    assert kelurahan["ringkasanPendidikan"] == {
        "jumlahSekolah": len(mine),
        "pesertaDidik": sum(lk + pr for s in mine for _, lk, pr in s.peserta_didik),
        "guru": sum(s.guru for s in mine),
        "tendik": sum(s.tendik for s in mine),
    }


async def test_entities_resolve_schools_and_unknown_kelurahan(wired: Wired) -> None:
    school = wired.simulator.data.sekolah[42]
    body = await wired.query(
        """query ($r: [_Any!]!) { _entities(representations: $r) {
             ... on Sekolah { npsn nama } ... on Kelurahan { kode sekolah { npsn } } } }""",
        {
            "r": [
                {"__typename": "Sekolah", "npsn": school.npsn},
                {"__typename": "Sekolah", "npsn": "99999999"},
                {"__typename": "Sekolah", "npsn": "bukan-npsn"},
                {"__typename": "Kelurahan", "kode": "61.71.09.1001"},
            ]
        },
    )
    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {"npsn": school.npsn, "nama": school.row["nama"]},
        None,
        None,
        {"kode": "61.71.09.1001", "sekolah": []},
    ]


REGISTRY = "public, max-age=21600, stale-if-error=604800"
COUNTS = "public, max-age=1800, stale-if-error=604800"
ENTITY = "query ($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on {} }} }}"
KELURAHAN = "61.71.05.1001"


async def test_schools_and_their_counts_say_how_long_they_hold(wired: Wired) -> None:
    # a school six hours (a week stale), its counts half an hour: a count selected shortens
    # the answer's
    assert await wired.cache_control("{ daftarSekolah { npsn nama akreditasi } }") == REGISTRY
    counted = "{ daftarSekolah(batas: 5) { npsn pesertaDidik { jumlah } } }"
    assert await wired.cache_control(counted) == COUNTS
    npsn = wired.simulator.data.sekolah[0].npsn
    for selection, representation, expected in [
        ("Sekolah { nama kelurahan { kode } }", {"__typename": "Sekolah", "npsn": npsn}, REGISTRY),
        ("Sekolah { gtk { guru } }", {"__typename": "Sekolah", "npsn": npsn}, COUNTS),
        (
            "Kelurahan { sekolah { npsn } }",
            {"__typename": "Kelurahan", "kode": KELURAHAN},
            REGISTRY,
        ),
        (
            "Kelurahan { ringkasanPendidikan { jumlahSekolah pesertaDidik } }",
            {"__typename": "Kelurahan", "kode": KELURAHAN},
            COUNTS,
        ),
    ]:
        query = ENTITY.format(selection)
        assert await wired.cache_control(query, {"r": [representation]}) == expected, selection
