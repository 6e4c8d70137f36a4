"""Take the city dashboard's data snapshot from the real OPD subgraphs.

    python -m bench.compose city_dashboard --snapshot

Starts the six simulated legacy systems and the six OPD subgraphs (``python -m
subgraphs.<opd>.serve``, as ``make up`` does) on ports the system picks, with their own
databases and export folder under ``.cache/bench/city-snapshot/`` so that a running city is
left alone, asks each subgraph directly for what the dashboard query needs from it (root
fields, then ``_entities`` for the keys found), stops them all and writes
``snapshot.json``: per subgraph, each root answer and each entity record exactly as that
subgraph gave it. The benchmark's subgraphs answer from this file, so they cost nothing
the gateways could be blamed for, and the monolith joins the same records by key.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from simpul.city import city_secrets

ROOT = Path(__file__).resolve().parents[3]
WORK = ROOT / ".cache" / "bench" / "city-snapshot"
READY_TIMEOUT = 300.0  # a first start seeds the SQL registries at full scale

KECAMATAN = "61.71.05"
"""Pontianak Kota: the kecamatan whose kelurahan the dashboard profiles."""
TAHUN = 2025
"""The budget and permit year."""

ARGUMENTS: dict[str, dict[str, Any]] = {
    "Query.kecamatan": {"kode": KECAMATAN},
    "Kelurahan.izin": {"tahun": TAHUN},
    "Opd.anggaran": {"tahun": TAHUN},
}
"""The arguments the snapshot's fields were asked with; any other is refused when served."""

PENDUDUK = "penduduk { jumlah lakiLaki perempuan jumlahKepalaKeluarga tanggalData }"
DUKCAPIL_ROOT = f"""{{ kecamatan(kode: "{KECAMATAN}") {{
  __typename kode nama {PENDUDUK}
  kelurahan {{ __typename kode nama {PENDUDUK} }}
}} }}"""
KOMINFO_ROOT = """{ daftarOpd {
  __typename kode nama singkatan jenis
  aplikasi { __typename id nama platform status terintegrasi }
  inovasi { __typename id nama tahapan }
} }"""
KELURAHAN_FIELDS = {
    "dikbud": """kode
      sekolah { __typename npsn nama bentukPendidikan status akreditasi }
      ringkasanPendidikan { jumlahSekolah pesertaDidik guru tendik }""",
    "dinkes": "kode fasilitasKesehatan { __typename kode nama jenis rawatInap }",
    "dpmptsp": f"kode izin(tahun: {TAHUN}) {{ __typename nomor jenis status tanggalTerbit }}",
    "kominfo": """kode aduan { __typename trackingId topik status tanggalLapor
      opd { __typename kode singkatan } }""",
}
OPD_FIELDS = {
    "keuangan": f"kode anggaran(tahun: {TAHUN}) {{ tahun pagu realisasi persentase }}",
}

OPDS = ("dukcapil", "kominfo", "keuangan", "dikbud", "dinkes", "dpmptsp")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(url: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    if answer.get("errors"):
        raise RuntimeError(f"{url}: {answer['errors']}")
    return answer["data"]


def _options(opd: str) -> list[str]:
    """Where the OPD keeps its data, away from ``make up``'s own copies."""
    if opd in ("dukcapil", "keuangan"):
        return ["--db", f"sqlite+aiosqlite:///{WORK / (opd + '.sqlite')}"]
    if opd == "dinkes":
        return ["--exports", str(WORK / "dinkes-exports")]
    return []


@contextlib.contextmanager
def running_city() -> Iterator[dict[str, str]]:
    """The six OPD subgraphs over their simulators; yields each subgraph's URL."""
    WORK.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []
    secrets = city_secrets(WORK / "secrets", audit_store=WORK / "audit")

    def start(opd: str, what: str, extra: list[str]) -> str:
        port = _free_port()
        log = (WORK / f"{opd}-{what}.log").open("wb")
        command = [sys.executable, "-m", f"subgraphs.{opd}.serve", what, "--port", str(port)]
        # the snapshot asks the subgraphs directly, so they serve unsigned calls (on loopback)
        env = {k: v for k, v in secrets.opd_env[opd].items() if k != "SIMPUL_CALL_KEY_FILE"}
        env.update(secrets.audit_env[opd])
        started.append(
            subprocess.Popen(
                [*command, *_options(opd), *extra],
                cwd=ROOT,
                env={**os.environ, **env, "SIMPUL_CALL_SIGNING": "none"},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        return f"http://127.0.0.1:{port}"

    def wait_ready(urls: list[str]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        for url in urls:
            while True:
                if any(p.poll() is not None for p in started):
                    raise RuntimeError(f"an OPD process stopped; see {WORK}/*.log")
                with (
                    contextlib.suppress(urllib.error.URLError, ConnectionError, OSError),
                    urllib.request.urlopen(f"{url}/health", timeout=5) as response,
                ):
                    if response.status == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} not ready within {READY_TIMEOUT:.0f} s")
                time.sleep(0.3)

    try:
        simulators = {opd: start(opd, "simulator", []) for opd in OPDS}
        wait_ready(list(simulators.values()))
        subgraphs = {opd: start(opd, "subgraph", ["--simulator", simulators[opd]]) for opd in OPDS}
        wait_ready(list(subgraphs.values()))
        yield {opd: f"{url}/graphql" for opd, url in subgraphs.items()}
    finally:
        for process in started:  # each in its own group: stopped with its children
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _entities(url: str, typename: str, key: str, values: list[str], fields: str) -> list[Any]:
    query = (
        "query($r: [_Any!]!) { _entities(representations: $r) "
        f"{{ __typename ... on {typename} {{ {fields} }} }} }}"
    )
    representations = [{"__typename": typename, key: value} for value in values]
    found: list[Any] = _post(url, query, {"r": representations})["_entities"]
    if any(record is None for record in found):
        raise RuntimeError(f"{url}: some {typename} unknown")
    return found


def take(sdl_digest: str) -> dict[str, Any]:
    """The snapshot, from the real subgraphs (started and stopped here)."""
    with running_city() as urls:
        kecamatan = _post(urls["dukcapil"], DUKCAPIL_ROOT)["kecamatan"]
        opds = _post(urls["kominfo"], KOMINFO_ROOT)["daftarOpd"]
        kelurahan = [k["kode"] for k in kecamatan["kelurahan"]]
        subgraphs: dict[str, dict[str, Any]] = {
            "dukcapil": {"roots": {"kecamatan": kecamatan}, "entities": []},
            "kominfo": {"roots": {"daftarOpd": opds}, "entities": []},
        }
        for opd, fields in KELURAHAN_FIELDS.items():
            found = _entities(urls[opd], "Kelurahan", "kode", kelurahan, fields)
            subgraphs.setdefault(opd, {"roots": {}, "entities": []})["entities"] += found
        for opd, fields in OPD_FIELDS.items():
            found = _entities(urls[opd], "Opd", "kode", [o["kode"] for o in opds], fields)
            subgraphs.setdefault(opd, {"roots": {}, "entities": []})["entities"] += found
    return {
        "sdl_digest": sdl_digest,
        "arguments": ARGUMENTS,
        "subgraphs": {opd: subgraphs[opd] for opd in OPDS},
    }


def write(path: Path, sdl_digest: str) -> None:
    snapshot = take(sdl_digest)
    path.write_bytes(orjson.dumps(snapshot, option=orjson.OPT_INDENT_2) + b"\n")
    print(f"city_dashboard: snapshot.json ({path.stat().st_size:,} bytes) taken", flush=True)
