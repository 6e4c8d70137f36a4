"""A day of the running city (``make up``) on record: portal visitors and integrators go
about their work, then a resident asks who processed their personal data, and
``simpul audit subject`` (and the data-protection officer's GraphQL query) list exactly
the processing that touched them: who, when, with which application and officer, for what
purpose, on which legal basis, which fields.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from simpul.city import AUDIT_STORE, city_secrets
from tests.support.city import LAST_YEAR, RunningCity, running_city, sso_token
from tests.support.docs import shell_block

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ROOT / ".cache" / "secrets"
REGISTRY = ROOT / ".cache" / "dukcapil-siak.sqlite"
GATEWAY_PORT = 4953
SIKS = "PNK/GOV/1.06.0.00.0.00.01.0000/siks-ng"
SIKS_PURPOSE = "Verifikasi calon penerima bantuan sosial"
SICANTIK = "PNK/GOV/2.18.0.00.0.00.01.0000/sicantik"
SICANTIK_PURPOSE = "Verifikasi identitas pemohon perizinan"
PDP_PURPOSE = "Pemenuhan hak subjek data pribadi"
OFFICER = "198709152010011003"
VERIFY = """mutation Verifikasi($nik: String!, $nama: String!, $lahir: String!) {
  verifikasiPenduduk(nik: $nik, nama: $nama, tanggalLahir: $lahir) { hasil } }"""
RIWAYAT = """query Riwayat($nik: String!) { riwayatPemrosesan(nik: $nik) {
  hasil pencatat aplikasi petugas keperluan dasarHukum data permintaan } }"""
PORTAL_VARIABLES = {
    "Beranda": {"tahun": LAST_YEAR},
    "ProfilKecamatan": {"kecamatan": "61.71.02", "tahun": LAST_YEAR},
    "ProfilKelurahan": {"kelurahan": "61.71.02.1001", "tahun": LAST_YEAR},
    "ProfilOpd": {"kode": "2.16.2.20.2.21.01.0000", "tahun": LAST_YEAR},
}


@pytest.fixture(scope="module")
def city() -> Iterator[RunningCity]:
    with running_city(GATEWAY_PORT) as running:
        yield running


def post(city: RunningCity, query: str, variables: Any, **headers: str) -> httpx.Response:
    return httpx.post(
        city.url, json={"query": query, "variables": variables}, headers=headers, timeout=60
    )


def simpul_audit(*argv: str) -> subprocess.CompletedProcess[str]:
    """``simpul audit`` as the data-protection officer runs it on the city's host."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env.update(city_secrets().audit_env["gateway"])
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", "audit", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def history(nik: str, *flags: str) -> list[dict[str, Any]]:
    done = simpul_audit("subject", nik, "--json", *flags)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_a_residents_history_lists_exactly_the_processing_that_touched_them(
    city: RunningCity,
) -> None:
    with sqlite3.connect(REGISTRY) as registry:
        living = registry.execute(
            "SELECT NIK, NAMA_LGKP, TGL_LHR FROM BIODATA_WNI WHERE STAT_HIDUP = 1"
        ).fetchall()
    chosen = random.Random().sample(living, 6)
    (nik, nama, lahir), others = chosen[0], chosen[1:]
    lahir = str(lahir)[:10]
    before = {(h["request"], h["source"]) for h in history(nik, "--refused")}

    # the portal's visitors: public data, no entry
    for path in sorted((ROOT / "portal" / "operations").glob("*.graphql")):
        assert post(city, path.read_text(), PORTAL_VARIABLES.get(path.stem, {})).status_code == 200
    siks = {
        "authorization": f"Bearer {sso_token('dinsos-siks')}",
        "simpul-purpose": SIKS_PURPOSE,
        "simpul-officer": OFFICER,
    }
    sicantik = {
        "authorization": f"Bearer {sso_token('dpmptsp-sicantik')}",
        "simpul-purpose": SICANTIK_PURPOSE,
    }
    simpus = {
        "x-api-key": (SECRETS / "api-key-simpus.txt").read_text().strip(),
        "simpul-purpose": SIKS_PURPOSE,
    }
    # Dinsos checks the resident and others; DPMPTSP checks the resident under another name;
    # the puskesmas system, not granted, tries; an anonymous caller tries
    ours = post(city, VERIFY, {"nik": nik, "nama": nama, "lahir": lahir}, **siks)
    assert ours.json()["data"]["verifikasiPenduduk"] == {"hasil": "SESUAI"}
    for other, other_nama, other_lahir in others:
        post(
            city, VERIFY, {"nik": other, "nama": other_nama, "lahir": str(other_lahir)[:10]}, **siks
        )
    wrong = post(city, VERIFY, {"nik": nik, "nama": nama + " X", "lahir": lahir}, **sicantik)
    assert wrong.json()["data"]["verifikasiPenduduk"] == {"hasil": "TIDAK_SESUAI"}
    refused = post(city, VERIFY, {"nik": nik, "nama": nama, "lahir": lahir}, **simpus)
    assert refused.json()["data"] == {"verifikasiPenduduk": None}
    anonymous = post(city, VERIFY, {"nik": nik, "nama": nama, "lahir": lahir})
    assert anonymous.json()["data"] == {"verifikasiPenduduk": None}

    # the resident asks; the officer answers from the log
    processed = {ours.headers["x-request-id"], wrong.headers["x-request-id"]}
    after = [h for h in history(nik) if (h["request"], h["source"]) not in before]
    assert sorted((h["request"], h["source"]) for h in after) == sorted(
        (request, source) for request in processed for source in ("gateway", "dukcapil")
    )
    by_request = {(h["request"], h["source"]): h for h in after}
    mine = by_request[ours.headers["x-request-id"], "gateway"]
    assert (mine["client"], mine["officer"], mine["purpose"]) == (SIKS, OFFICER, SIKS_PURPOSE)
    assert mine["legal_basis"] and mine["outcome"] == "answered"
    assert [f["field"] for f in mine["fields"]] == ["Mutation.verifikasiPenduduk"]
    assert by_request[wrong.headers["x-request-id"], "dukcapil"]["detail"] == {
        "hasil": "TIDAK_SESUAI"
    }
    assert by_request[wrong.headers["x-request-id"], "gateway"]["client"] == SICANTIK
    with_refusals = [
        h for h in history(nik, "--refused") if (h["request"], h["source"]) not in before
    ]
    assert {h["request"] for h in with_refusals} == processed | {refused.headers["x-request-id"]}
    assert anonymous.headers["x-request-id"] not in {h["request"] for h in with_refusals}

    # the same through the graph: Diskominfo's officer sees it all, Disdukcapil's its own
    officer = {
        "authorization": f"Bearer {sso_token('kominfo-pdp')}",
        "simpul-purpose": PDP_PURPOSE,
        "simpul-officer": "197001012000011001",
    }
    graph = post(city, RIWAYAT, {"nik": nik}, **officer).json()
    assert "errors" not in graph, graph
    requests = {h["permintaan"] for h in graph["data"]["riwayatPemrosesan"]}
    assert processed | {refused.headers["x-request-id"]} <= requests
    assert anonymous.headers["x-request-id"] not in requests
    # ... and the officer's own lookup is on record too
    lookups = [
        h
        for h in history(nik)
        if h["fields"][:1] and h["fields"][0]["field"] == "Query.riwayatPemrosesan"
    ]
    assert lookups and lookups[-1]["client"] == "PNK/GOV/2.16.2.20.2.21.01.0000/layanan-pdp"

    verified = simpul_audit("verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # the procedure of docs/operators.md, as written, on the machine make up runs on
    block = shell_block("operators.md", "On the machine `make up` runs on")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        input=nik + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the log is intact" in done.stdout
    assert f"{len(history(nik))} processing(s) on record" in done.stdout
    assert nik not in done.stdout and all(r in done.stdout for r in processed)
    assert str(AUDIT_STORE) in city_secrets().audit_env["gateway"]["SIMPUL_AUDIT_STORE"]
