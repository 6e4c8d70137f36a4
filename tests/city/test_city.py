"""``make up`` end to end: the launcher starts every simulated legacy system and OPD
subgraph of ``schema/subgraphs.toml`` and the gateway as separate processes on 127.0.0.1,
and the portal's cross-OPD questions come back complete through the gateway alone, over
real HTTP.

The fixed ports of ``make up`` are used (a running ``make up`` makes these tests fail with
a clear message, not wrong answers); the gateway gets a port of its own.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from subgraphs.reference import kelurahan_by_code
from subgraphs.registry import city_opds
from tests.support.city import LAST_YEAR, RunningCity, busy, running_city

ROOT = Path(__file__).resolve().parents[2]
GATEWAY_PORT = 4950

PROFILE = """
query ProfilKelurahan($kode: String!, $tahun: Int!) {
  kelurahan(kode: $kode) {
    kode
    nama
    kecamatan { kode nama }
    penduduk { jumlah lakiLaki perempuan }
    sekolah { npsn nama kelurahan { kode } }
    fasilitasKesehatan { kode nama jenis }
    izin(tahun: $tahun) { nomor jenis status }
    aduan { trackingId topik status }
  }
}
"""

DAFTAR_OPD = """
query DaftarOpd($tahun: Int!) {
  daftarOpd {
    kode
    nama
    anggaran(tahun: $tahun) { pagu realisasi }
    aplikasi { nama }
    inovasi { nama }
  }
}
"""

KELURAHAN = "61.71.05.1001"
OTHER_KELURAHAN = "61.71.02.1001"  # Parit Mayor, Pontianak Timur


@pytest.fixture(scope="module")
def city() -> Iterator[RunningCity]:
    with running_city(GATEWAY_PORT) as running:
        yield running


def test_make_up_prints_every_url(city: RunningCity) -> None:
    output = "".join(city.lines)
    assert f"http://127.0.0.1:{GATEWAY_PORT}/graphql" in output
    for opd in city_opds():
        assert opd.url in output and opd.simulator in output, opd.name


def test_kelurahan_profile_joins_five_opds(city: RunningCity) -> None:
    body = city.query(PROFILE, {"kode": KELURAHAN, "tahun": LAST_YEAR})
    assert "errors" not in body, body["errors"]
    kelurahan = body["data"]["kelurahan"]
    assert kelurahan["kode"] == KELURAHAN
    assert kelurahan["nama"] == "Sungai Bangkong"  # dukcapil's master wilayah
    assert kelurahan["kecamatan"] == {"kode": "61.71.05", "nama": "Pontianak Kota"}
    penduduk = kelurahan["penduduk"]
    assert penduduk["jumlah"] == penduduk["lakiLaki"] + penduduk["perempuan"] > 1000
    assert kelurahan["sekolah"], "dikbud: no schools"
    assert {s["kelurahan"]["kode"] for s in kelurahan["sekolah"]} == {KELURAHAN}
    assert kelurahan["fasilitasKesehatan"], "dinkes: no health facility"
    assert kelurahan["izin"], "dpmptsp: no permits last year"
    assert kelurahan["aduan"], "kominfo: no complaints"


def test_every_kelurahan_has_data_from_every_opd(city: RunningCity) -> None:
    # a page of permits per kelurahan: all of them, for the whole city at once, would cost
    # more than demand control lets one anonymous operation cost
    body = city.query(
        """{ daftarKecamatan { kode kelurahan { kode penduduk { jumlah } sekolah { npsn }
             fasilitasKesehatan { kode } izin(batas: 20) { nomor } aduan { trackingId } } } }"""
    )
    assert "errors" not in body, body["errors"]
    kecamatan = body["data"]["daftarKecamatan"]
    assert len(kecamatan) == 6
    kelurahan = [k for kec in kecamatan for k in kec["kelurahan"]]
    assert len(kelurahan) == 29
    for k in kelurahan:
        assert k["penduduk"]["jumlah"] > 0, k["kode"]
        for field_name in ("sekolah", "fasilitasKesehatan", "izin", "aduan"):
            assert k[field_name], (k["kode"], field_name)


def test_opd_list_with_budgets_applications_and_innovations(city: RunningCity) -> None:
    body = city.query(DAFTAR_OPD, {"tahun": LAST_YEAR})
    assert "errors" not in body, body["errors"]
    opds = body["data"]["daftarOpd"]
    assert len(opds) >= 30
    for opd in opds:
        assert opd["anggaran"] and opd["anggaran"]["pagu"] > 0, opd["kode"]
        assert opd["aplikasi"], opd["kode"]
    assert sum(len(opd["inovasi"]) for opd in opds) > 0


KATALOG = """
query KatalogPenduduk {
  pendudukKota { jumlah }
  cariDataset(kata: "penduduk kelurahan", opd: "2.12.0.00.0.00.01.0000") {
    jumlah
    dataset {
      id judul tahun
      opd { kode nama }
      dataTerkini {
        __typename
        ... on PendudukPerKelurahan { kelurahan { kode nama penduduk { jumlah } } }
      }
    }
  }
  opd(kode: "1.02.0.00.0.00.01.0000") {
    nama jumlahDataset
    dataset(batas: 50) {
      id
      dataTerkini { ... on RealisasiAnggaranOpd { tahunAnggaran opd { kode nama } } }
    }
  }
}
"""


def test_catalogue_data_sets_show_the_live_figures_of_other_opds(city: RunningCity) -> None:
    body = city.query(KATALOG)
    assert "errors" not in body, body["errors"]
    data = body["data"]
    found = {d["id"]: d for d in data["cariDataset"]["dataset"]}
    penduduk = found["jumlah-penduduk-menurut-kelurahan"]
    # the OPD's name from kominfo, the kelurahan's from dukcapil, beside the portal's metadata
    assert penduduk["opd"]["nama"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert penduduk["tahun"] and penduduk["dataTerkini"]["__typename"] == "PendudukPerKelurahan"
    kelurahan = penduduk["dataTerkini"]["kelurahan"]
    assert len(kelurahan) == 29 and all(k["nama"] for k in kelurahan)
    assert sum(k["penduduk"]["jumlah"] for k in kelurahan) == data["pendudukKota"]["jumlah"]
    dinkes = data["opd"]
    assert dinkes["jumlahDataset"] == len(dinkes["dataset"]) >= 15
    budgets = [d["dataTerkini"] for d in dinkes["dataset"] if d["dataTerkini"]]
    assert [b["opd"] for b in budgets] == [
        [{"kode": "1.02.0.00.0.00.01.0000", "nama": "Dinas Kesehatan"}]
    ]


def test_one_opd_down_leaves_the_rest_of_the_answer(city: RunningCity) -> None:
    before = city.query(PROFILE, {"kode": KELURAHAN, "tahun": LAST_YEAR})
    assert "errors" not in before, before["errors"]
    pid = city.child_pid("subgraphs.dinkes.serve", "subgraph")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while busy(4015) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not busy(4015), "dinkes' subgraph did not stop"
    # dinkes says its facilities hold six hours: the gateway answers what it kept, whole,
    # without asking dinkes (nothing is stale yet, nothing is missing)
    assert city.query(PROFILE, {"kode": KELURAHAN, "tahun": LAST_YEAR}) == before
    # a kelurahan whose facilities (with these fields) the gateway never kept: null, with
    # dinkes' error, and everything else whole
    body = city.query(PROFILE, {"kode": OTHER_KELURAHAN, "tahun": LAST_YEAR})
    kelurahan = body["data"]["kelurahan"]
    assert kelurahan["fasilitasKesehatan"] is None
    assert kelurahan["nama"] == kelurahan_by_code(OTHER_KELURAHAN).nama
    assert kelurahan["sekolah"] and kelurahan["izin"]
    assert kelurahan["aduan"] and kelurahan["penduduk"]["jumlah"] > 0
    assert body["errors"] and "extensions" not in body  # nothing kept to stand in
    for error in body["errors"]:
        assert error["path"][:2] == ["kelurahan", "fasilitasKesehatan"]
        assert error["extensions"]["service"] == "dinkes"
    # the launcher reports the stopped OPD, keeps the others serving and starts it again
    deadline = time.monotonic() + 10
    while not any("city: dinkes stopped" in line for line in city.lines):
        assert time.monotonic() < deadline, "".join(city.lines[-20:])
        time.sleep(0.1)
    assert any("restarting it in 1 s" in line for line in city.lines)
    deadline = time.monotonic() + 60
    while not any("city: dinkes restarted" in line for line in city.lines):
        assert time.monotonic() < deadline, "".join(city.lines[-20:])
        time.sleep(0.2)
    again = city.query(PROFILE, {"kode": OTHER_KELURAHAN, "tahun": LAST_YEAR})
    assert "errors" not in again and again["data"]["kelurahan"]["fasilitasKesehatan"]
