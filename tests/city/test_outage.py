"""The running city (``make up``) under a bounded load while an OPD fails: fifty clients ask
the city's questions over real HTTP, one after another, while Dinkes' subgraph is stopped
(SIGSTOP, a server that no longer answers) and continued, and while Diskominfo's is killed
and started again by the launcher.

Every answer is HTTP 200 with the other OPDs' fields whole. A stopped OPD costs its fields
its own timeout (2 s here, where every other subgraph has the default 30 s), then its open
circuit fails them at once. A killed OPD's fields come from the gateway's cache, marked
stale, where the gateway kept them, and are null with the OPD's error where it did not.
Once the OPD is back the answers are whole again, by themselves: its circuit closes.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from subgraphs.kominfo.schema import ADUAN_FRESH
from subgraphs.reference import kelurahan_list, opd_list
from tests.support.city import LAST_YEAR, RunningCity, busy, running_city
from tests.support.load import Answer, Request, bounded_load

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "portal" / "operations"
GATEWAY_PORT = 4954
CLIENTS = 50
DINKES_TIMEOUT = 2.0
SLOW_BOUND = 10.0
"""Longer than Dinkes' own timeout with the gateway busy serving fifty clients, and far
shorter than the 30 s every other subgraph may take: an answer within it did not wait for
the stopped OPD beyond its own timeout."""
RECOVERY = 60.0
"""How long after an OPD is back its fields may still fail or be stale: its circuit's
cooldown (10 s by default) and a probe, with room to spare on a busy machine."""
LOAD_SECONDS = 240.0
WHOLE_IN_A_ROW = 100
"""Whole answers in a row, after the OPD is back, that end the load."""

TAHUN = datetime.date.today().year
BERANDA = (OPERATIONS / "Beranda.graphql").read_text(encoding="utf-8")
PROFIL_OPD = (OPERATIONS / "ProfilOpd.graphql").read_text(encoding="utf-8")
KOMINFO_FIELDS = ("daftarOpd", "daftarAplikasi", "daftarInovasi", "daftarAduan")
"""Beranda's fields Diskominfo answers (one root call)."""
OTHER_FIELDS = ("pendudukKota", "daftarKecamatan", "daftarSekolah", "daftarFasilitasKesehatan")
FASKES = """query Faskes($kelurahan: String!, $batas: Int!) {
  daftarFasilitasKesehatan(kelurahan: $kelurahan, batas: $batas) { kode }
  daftarSekolah(kelurahan: $kelurahan) { npsn }
  pendudukKota { jumlah }
}"""
KELURAHAN = [k.kode for k in kelurahan_list()]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCity]:
    config = tmp_path_factory.mktemp("outage") / "gateway.toml"
    # fifty clients from one address, as ``make bench`` sends them: no per-address caps
    config.write_text(
        "[server]\nmax_requests_per_client = 0\nmax_connections_per_client = 0\n"
        f"[traffic.subgraphs.dinkes]\ntimeout = {DINKES_TIMEOUT}\n"
    )
    with running_city(GATEWAY_PORT, None, "--config", str(config)) as running:
        yield running


@pytest.fixture(scope="module")
def beranda(city: RunningCity) -> tuple[float, Any]:
    """The Beranda, asked once before any OPD fails (so the gateway keeps it), and when."""
    body = city.query(BERANDA, {"tahun": TAHUN}, operation_name="Beranda")
    assert "errors" not in body, body["errors"]
    return time.monotonic(), body


def circuit_state(city: RunningCity, subgraph: str) -> float:
    """``subgraph``'s circuit in ``/metrics``: 0 closed, 1 half-open, 2 open."""
    metrics = httpx.get(f"{city.base}/metrics", timeout=30).text
    line = f'simpul_subgraph_circuit_state{{subgraph="{subgraph}"}} '
    [value] = [row[len(line) :] for row in metrics.splitlines() if row.startswith(line)]
    return float(value)


def process(city: RunningCity, opd: str) -> int:
    return city.child_pid(f"subgraphs.{opd}.serve", "subgraph")


async def until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


def whole_in_a_row(answers: list[Answer], since: float, whole: Callable[[Answer], bool]) -> int:
    """Whole answers at the end of ``answers`` among those asked after ``since``."""
    count = 0
    for answer in reversed(answers):
        if answer.started < since or not whole(answer):
            break
        count += 1
    return count


def faskes(client: int, n: int) -> Request:
    # a kelurahan and page size no request asked before (for the first 14,500): nothing of
    # Dinkes' is kept for it
    index = n * CLIENTS + client
    kelurahan = KELURAHAN[index % len(KELURAHAN)]
    variables = {"kelurahan": kelurahan, "batas": 1 + index // len(KELURAHAN) % 500}
    return "Faskes", {"query": FASKES, "variables": variables}


def faskes_whole(answer: Answer) -> bool:
    return not answer.errors and answer.body["data"]["daftarFasilitasKesehatan"] is not None


async def test_a_stopped_opd_costs_its_fields_only_its_own_timeout(
    city: RunningCity, beranda: tuple[float, Any]
) -> None:
    # the Beranda is asked first, so that what the gateway keeps of it ages meanwhile. The
    # Beranda's facilities are kept six hours, so a stopped Dinkes would cost it nothing:
    # here every request asks for facilities the gateway never kept
    answers: list[Answer] = []
    stop = asyncio.Event()
    continued = float("inf")
    pid = process(city, "dinkes")
    os.kill(pid, signal.SIGSTOP)
    try:
        load = asyncio.create_task(
            bounded_load(
                city.url, faskes, clients=CLIENTS, stop=stop, seconds=LOAD_SECONDS, answers=answers
            )
        )
        try:
            # the first fifty calls wait out Dinkes' timeout; five failures open its circuit
            # and the next requests are answered at once
            await until(lambda: len(answers) >= 4 * CLIENTS, 60, "no answers while stopped")
            os.kill(pid, signal.SIGCONT)
            continued = time.monotonic()
            await until(
                lambda: whole_in_a_row(answers, continued, faskes_whole) >= WHOLE_IN_A_ROW,
                RECOVERY,
                "Dinkes' fields did not come back by themselves",
            )
        finally:
            stop.set()
            await load
    finally:
        os.kill(pid, signal.SIGCONT)

    assert {a.status for a in answers} == {200}
    for answer in answers:
        data = answer.body["data"]
        # the other OPDs' fields are whole in every answer
        assert data["pendudukKota"]["jumlah"] > 0 and data["daftarSekolah"], answer.body
        for error in answer.errors:
            assert error["path"] == ["daftarFasilitasKesehatan"], error
            assert error["extensions"]["service"] == "dinkes", error
    stopped = [a for a in answers if a.started + a.elapsed < continued]
    assert len(stopped) >= 4 * CLIENTS and not any(faskes_whole(a) for a in stopped)
    # waited for until Dinkes' own timeout, then failed at once by its open circuit
    codes = {e["extensions"]["code"] for a in stopped for e in a.errors}
    assert codes == {"SUBREQUEST_TIMEOUT", "SUBGRAPH_CIRCUIT_OPEN"}
    assert max(a.elapsed for a in stopped) < SLOW_BOUND
    # continued: whole again within the recovery bound, its circuit closed
    assert max(a.started for a in answers if not faskes_whole(a)) < continued + RECOVERY
    assert circuit_state(city, "dinkes") == 0.0


CODES = [o.kode for o in opd_list()]


def dashboard(client: int, n: int) -> Request:
    # the Beranda, which the gateway kept, and OPD profiles it never answered
    if n % 2 == 0:
        return "Beranda", {
            "query": BERANDA,
            "operationName": "Beranda",
            "variables": {"tahun": TAHUN},
        }
    variables = {"kode": CODES[(client + n) % len(CODES)], "tahun": LAST_YEAR}
    return "ProfilOpd", {"query": PROFIL_OPD, "operationName": "ProfilOpd", "variables": variables}


def dashboard_whole(answer: Answer) -> bool:
    return not answer.errors and not answer.stale


async def test_a_killed_opd_is_answered_from_the_cache_and_comes_back_by_itself(
    city: RunningCity, beranda: tuple[float, Any]
) -> None:
    asked, kept = beranda
    # past the minute Diskominfo says its complaints hold: what the gateway kept of its
    # Beranda answer is now only good to stand in while Diskominfo cannot answer
    await asyncio.sleep(max(0.0, asked + ADUAN_FRESH + 1 - time.monotonic()))
    printed = len(city.lines)
    os.kill(process(city, "kominfo"), signal.SIGKILL)
    await until(lambda: not busy(4012), 20, "kominfo's subgraph still listens")
    answers: list[Answer] = []
    stop = asyncio.Event()
    back = float("inf")
    load = asyncio.create_task(
        bounded_load(
            city.url, dashboard, clients=CLIENTS, stop=stop, seconds=LOAD_SECONDS, answers=answers
        )
    )
    try:
        # the launcher starts the killed subgraph again (after 1 s) while the load goes on
        await until(
            lambda: any("city: kominfo restarted" in line for line in city.lines[printed:]),
            90,
            "the launcher did not start kominfo's subgraph again",
        )
        back = time.monotonic()
        await until(
            lambda: whole_in_a_row(answers, back, dashboard_whole) >= WHOLE_IN_A_ROW,
            RECOVERY,
            "Diskominfo's fields did not come back by themselves",
        )
    finally:
        stop.set()
        await load

    assert {a.status for a in answers} == {200}
    for answer in answers:
        data = answer.body["data"]
        for error in answer.errors:  # only Diskominfo's fields ever fail
            assert error["extensions"]["service"] == "kominfo", error
            assert error["path"][0] == "opd", error
        if answer.name == "ProfilOpd":
            assert data["anggaranOpd"]["pagu"] > 0, answer.body  # Keuangan's, whole
            assert (data["opd"] is None) == bool(answer.errors), answer.body
        else:
            # the Beranda is whole in every answer: the other OPDs' fields, and
            # Diskominfo's as the gateway kept them while it was down
            assert not answer.errors
            assert all(data[name] for name in (*KOMINFO_FIELDS, *OTHER_FIELDS)), answer.body
            assert data["rekapIzin"] is not None
            if answer.stale:
                assert {name: data[name] for name in KOMINFO_FIELDS} == {
                    name: kept["data"][name] for name in KOMINFO_FIELDS
                }
    marks = [mark for answer in answers for mark in answer.stale]
    assert marks, "no answer was served stale"
    assert {mark["service"] for mark in marks} == {"kominfo"}
    assert {tuple(mark["path"]) for mark in marks} == {(name,) for name in KOMINFO_FIELDS}
    assert min(mark["age"] for mark in marks) >= ADUAN_FRESH
    # Diskominfo failed its calls until its circuit opened, then was not called for a while
    assert "SUBGRAPH_CIRCUIT_OPEN" in {mark["code"] for mark in marks}
    # profiles the gateway never kept: null with Diskominfo's error while it was down
    assert any(a.name == "ProfilOpd" and a.errors for a in answers)
    # back: whole and fresh again within the recovery bound, its circuit closed
    assert max(a.started for a in answers if not dashboard_whole(a)) < back + RECOVERY
    assert circuit_state(city, "kominfo") == 0.0
