"""``make up`` end to end: the launcher starts the six simulated legacy systems, the six
OPD subgraphs and the gateway as separate processes on 127.0.0.1, and the portal's two
cross-OPD questions come back complete through the gateway alone, over real HTTP.

The fixed ports of ``make up`` are used (a running ``make up`` makes these tests fail with
a clear message, not wrong answers); the gateway gets a port of its own.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from subgraphs.city import CITY_OPDS

ROOT = Path(__file__).resolve().parents[2]
GATEWAY_PORT = 4950
START_TIMEOUT = 240.0  # a clean clone seeds the SQL registries at full scale first
PORTS = [4101 + i for i in range(6)] + [4011 + i for i in range(6)] + [GATEWAY_PORT]

PROFILE = """
query ProfilKelurahan($kode: String!) {
  kelurahan(kode: $kode) {
    kode
    nama
    kecamatan { kode nama }
    penduduk { jumlah lakiLaki perempuan }
    sekolah { npsn nama kelurahan { kode } }
    fasilitasKesehatan { kode nama jenis }
    izin(tahun: 2025) { nomor jenis status }
    aduan { trackingId topik status }
  }
}
"""

DAFTAR_OPD = """
query DaftarOpd {
  daftarOpd {
    kode
    nama
    anggaran(tahun: 2025) { pagu realisasi }
    aplikasi { nama }
    inovasi { nama }
  }
}
"""

KELURAHAN = "61.71.05.1001"


@dataclass
class RunningCity:
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    url: str = f"http://127.0.0.1:{GATEWAY_PORT}/graphql"

    def query(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = httpx.post(
            self.url, json={"query": query, "variables": variables or {}}, timeout=60
        )
        assert response.status_code == 200, response.text
        return response.json()

    def child_pid(self, *argv_part: str) -> int:
        """The process id of the launcher's child whose command line has ``argv_part``."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            words = [a.decode() for a in argv]
            if parent == self.process.pid and all(p in words for p in argv_part):
                return int(entry.name)
        raise AssertionError(f"no child process {argv_part}")


def _busy(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def city() -> Iterator[RunningCity]:
    busy = [port for port in PORTS if _busy(port)]
    assert not busy, f"ports {busy} are in use: stop `make up` before running these tests"
    process = subprocess.Popen(
        [sys.executable, "-m", "subgraphs.city", "--port", str(GATEWAY_PORT)],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    running = RunningCity(process)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.lines.append(line)
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.1))
            assert line is not None, "the launcher stopped:\n" + "".join(running.lines)
            if "Press Ctrl-C to stop." in line:
                break
        yield running
    finally:
        process.send_signal(signal.SIGINT)
        try:
            status = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        finally:
            reader.join(timeout=10)
            assert process.stdout is not None
            process.stdout.close()
    assert status == 0, "".join(running.lines)
    assert "city: stopped." in "".join(running.lines)
    assert [port for port in PORTS if _busy(port)] == []


def test_make_up_prints_every_url(city: RunningCity) -> None:
    output = "".join(city.lines)
    assert f"http://127.0.0.1:{GATEWAY_PORT}/graphql" in output
    for index, opd in enumerate(CITY_OPDS):
        assert f"http://127.0.0.1:{4011 + index}/graphql" in output, opd
        assert f"http://127.0.0.1:{4101 + index}" in output, opd


def test_kelurahan_profile_joins_five_opds(city: RunningCity) -> None:
    body = city.query(PROFILE, {"kode": KELURAHAN})
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
    assert kelurahan["izin"], "dpmptsp: no permits in 2025"
    assert kelurahan["aduan"], "kominfo: no complaints"


def test_every_kelurahan_has_data_from_every_opd(city: RunningCity) -> None:
    body = city.query(
        """{ daftarKecamatan { kode kelurahan { kode penduduk { jumlah } sekolah { npsn }
             fasilitasKesehatan { kode } izin { nomor } aduan { trackingId } } } }"""
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
    body = city.query(DAFTAR_OPD)
    assert "errors" not in body, body["errors"]
    opds = body["data"]["daftarOpd"]
    assert len(opds) >= 30
    for opd in opds:
        assert opd["anggaran"] and opd["anggaran"]["pagu"] > 0, opd["kode"]
        assert opd["aplikasi"], opd["kode"]
    assert sum(len(opd["inovasi"]) for opd in opds) > 0


def test_one_opd_down_leaves_the_rest_of_the_answer(city: RunningCity) -> None:
    pid = city.child_pid("subgraphs.dinkes.serve", "subgraph")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while _busy(4015) and time.monotonic() < deadline:
        time.sleep(0.1)
    body = city.query(PROFILE, {"kode": KELURAHAN})
    kelurahan = body["data"]["kelurahan"]
    assert kelurahan["fasilitasKesehatan"] is None
    assert kelurahan["nama"] == "Sungai Bangkong" and kelurahan["sekolah"] and kelurahan["izin"]
    assert kelurahan["aduan"] and kelurahan["penduduk"]["jumlah"] > 0
    assert body["errors"]
    for error in body["errors"]:
        assert error["path"][:2] == ["kelurahan", "fasilitasKesehatan"]
        assert error["extensions"]["service"] == "dinkes"
    # the launcher reports the stopped OPD and keeps the others serving
    deadline = time.monotonic() + 10
    while not any("city: dinkes stopped" in line for line in city.lines):
        assert time.monotonic() < deadline, "".join(city.lines[-20:])
        time.sleep(0.1)
