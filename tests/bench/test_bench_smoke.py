"""The benchmark's code path without npm, peers or load: its scenario data cannot rot.

Each scenario's checked-in supergraph must match its SDLs, its expected answer must be the
non-federated schema's answer over the same data, and Simpul's engine, in process and over
the benchmark's own subgraph server, must give exactly that answer (the one every gateway
is checked against before it is timed).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson
import pytest

from bench import report
from bench.access_record import record_runs
from bench.federation import Subgraph
from bench.peers import Gateway, SubgraphSource, gateways, grafbase_config
from bench.results import GatewayResult, ScenarioResult, Window, summarize
from bench.run import (
    Cores,
    Processes,
    Running,
    ScenarioRun,
    Settings,
    check_answer,
    last_words,
    scenario_runs,
)
from bench.scenarios import (
    PENDING,
    SCENARIOS,
    Scenario,
    load_scenario,
    without_personal_marks,
    without_security_purpose,
)
from bench.scenarios import city_dashboard as city
from bench.server import SubgraphProtocol
from gateway.audit import FileStore, verify
from gateway.audit.records import load_seal_keys
from gateway.config import LimitSettings, load_config
from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from gateway.supergraph import load_supergraph
from gateway.transport.pooled import PooledTransport
from tests.support.gateway_process import start_gateway, stop_gateway

RUNNABLE = [name for name in SCENARIOS if name not in PENDING]
ROOT = Path(__file__).resolve().parents[2]


class InProcess:
    """A transport handing each subgraph call straight to the bench subgraph's cache."""

    def __init__(self, by_url: Mapping[str, Subgraph]) -> None:
        self.by_url = by_url

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        return self.by_url[url].answer(body)

    async def close(self) -> None:
        return None


def served(scenario: Scenario, urls: dict[str, str]) -> str:
    """The supergraph an anonymous engine can answer the scenario's query over: a
    personal-data scenario's without its marks (with them, the test below)."""
    if scenario.personal:
        return without_personal_marks(scenario.supergraph_with_urls(urls))
    return scenario.supergraph_with_urls(urls)


def simpul_limits(scenario: Scenario) -> LimitSettings:
    """The limits Simpul is started with for ``scenario`` in the benchmark."""
    return load_config(environ=scenario.simpul_env).limits


@pytest.mark.parametrize("name", RUNNABLE)
def test_supergraph_is_composed_from_the_current_sdls(name: str) -> None:
    scenario = load_scenario(name)
    assert "join__Graph" in scenario.supergraph_text()


@pytest.mark.parametrize("name", RUNNABLE)
def test_expected_answer_is_the_monoliths(name: str) -> None:
    scenario = load_scenario(name)
    answer = scenario.build_monolith().run(scenario.query)
    assert orjson.dumps(answer) == orjson.dumps(scenario.expected()), (
        "expected.json is stale: run `python -m bench.compose`"
    )


@pytest.mark.parametrize("name", RUNNABLE)
async def test_simpul_answers_the_expected_response_in_process(name: str) -> None:
    scenario = load_scenario(name)
    subgraphs = scenario.build_subgraphs()
    urls = {n: f"http://{n}.bench/graphql" for n in scenario.subgraph_names}
    supergraph = load_supergraph(served(scenario, urls))
    engine = Engine(
        supergraph,
        InProcess({urls[n]: s for n, s in subgraphs.items()}),
        limits=simpul_limits(scenario),
    )
    try:
        for _ in range(2):  # the second time from the document and plan caches
            response = await engine.execute(GraphQLRequest(scenario.query), RequestContext())
            body = orjson.dumps(response.body)
            assert check_answer(response.status, body, scenario.expected()) is None
    finally:
        await engine.close()
    assert all(s.requests for s in subgraphs.values())
    # Identical requests were answered from the subgraphs' caches the second time.
    assert sum(s.misses for s in subgraphs.values()) * 2 == sum(
        s.requests for s in subgraphs.values()
    )
    # Each answer is in the size range its scenario promises.
    size = len(orjson.dumps(scenario.expected()))
    if name == "deep_fanout":
        assert 50_000 <= size <= 100_000
    if name == "city_dashboard":
        assert 30_000 <= size <= 60_000
    if name == "personal_data":
        assert 3_000 <= size <= 5_000
    if name == "public_benchmark":
        assert 80_000 <= size <= 95_000


@pytest.mark.parametrize("name", RUNNABLE)
async def test_simpul_answers_the_expected_response_over_the_subgraph_server(name: str) -> None:
    scenario = load_scenario(name)
    subgraphs = scenario.build_subgraphs()
    loop = asyncio.get_running_loop()
    servers = []
    urls = {}
    for subgraph_name, subgraph in subgraphs.items():
        server = await loop.create_server(
            lambda subgraph=subgraph: SubgraphProtocol(subgraph), "127.0.0.1", 0
        )
        servers.append(server)
        urls[subgraph_name] = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/graphql"
    engine = Engine(
        load_supergraph(served(scenario, urls)), PooledTransport(), limits=simpul_limits(scenario)
    )
    try:
        response = await engine.execute(GraphQLRequest(scenario.query), RequestContext())
        assert (
            check_answer(response.status, orjson.dumps(response.body), scenario.expected()) is None
        )
    finally:
        await engine.close()
        for server in servers:
            server.close()
            await server.wait_closed()
    assert all(s.requests for s in subgraphs.values())


def test_city_subgraphs_are_the_real_sdls_over_a_current_snapshot() -> None:
    scenario = load_scenario("city_dashboard")
    for name in scenario.subgraph_names:
        assert scenario.sdl(name) == (ROOT / "schema" / f"{name}.graphql").read_text()
    assert city.recorded()["sdl_digest"] == scenario.inputs_digest(), (
        "snapshot.json was taken over other SDLs: run "
        "`python -m bench.compose city_dashboard --snapshot`"
    )
    assert city.SNAPSHOT.stat().st_size < 300_000
    # Every OPD answers a part of the dashboard.
    assert all(city.recorded()["subgraphs"][name] for name in scenario.subgraph_names)


def test_city_subgraphs_refuse_what_the_snapshot_does_not_hold() -> None:
    subgraphs = load_scenario("city_dashboard").build_subgraphs()
    kelurahan = [{"__typename": "Kelurahan", "kode": "61.71.05.1001"}]
    entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Kelurahan { %s } } }"

    def ask(subgraph: str, query: str, variables: dict[str, Any] | None = None) -> Any:
        body = orjson.dumps({"query": query, "variables": variables or {}})
        return orjson.loads(subgraphs[subgraph].answer(body))

    held = ask("dpmptsp", entities % "izin(tahun: 2025) { nomor }", {"r": kelurahan})
    assert "errors" not in held and held["data"]["_entities"][0]["izin"]
    other_year = ask("dpmptsp", entities % "izin(tahun: 2024) { nomor }", {"r": kelurahan})
    assert "the snapshot holds" in other_year["errors"][0]["message"]
    unknown = ask("dikbud", entities % "kode", {"r": [{"__typename": "Kelurahan", "kode": "x"}]})
    assert "not in the snapshot" in unknown["errors"][0]["message"]
    root = ask("dukcapil", "{ pendudukKota { jumlah } }")
    assert "not in the snapshot" in root["errors"][0]["message"]


def test_public_benchmark_has_the_shape_of_the_original() -> None:
    """The public gateway benchmark's data in our values: 6 members, 9 products of which
    the first 5 are the top ones, 11 reviews on products 1, 1, 1, 1, 2, 2, 2, 2, 3, 4, 4,
    all by the first member, whose every member's reviews are the first two."""
    data = load_scenario("public_benchmark").expected()["data"]
    members = data["users"]
    assert [m["id"] for m in members] == ["1", "2", "3", "4", "5", "6"]
    assert all([r["id"] for r in m["reviews"]] == ["1", "2"] for m in members)
    top = data["topProducts"]
    assert [p["upc"] for p in top] == ["1", "2", "3", "4", "5"]
    on_top = [[r["id"] for r in p["reviews"]] for p in top]
    assert on_top == [["1", "2", "3", "4"], ["5", "6", "7", "8"], ["9"], ["10", "11"], []]
    bodies = {r["id"]: r["body"] for p in top for r in p["reviews"]}
    lengths = [len(bodies[str(n)]) for n in range(1, 12)]
    assert lengths == [445, 289, 275, 143, 445, 289, 275, 143, 143, 143, 844]
    authors = {r["author"]["id"] for p in top for r in p["reviews"]}
    assert authors == {"1"}
    # the shipping estimate is computed from the fields inventory requires, never null
    assert all(p["shippingEstimate"] is not None for p in top)


async def test_subgraph_server_answers_over_http() -> None:
    subgraphs = load_scenario("deep_fanout").build_subgraphs()
    products = subgraphs["products"]
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SubgraphProtocol(products), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    query = {"query": "{ topProducts(first: 2) { upc category } }"}
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(2):
                async with session.post(f"http://127.0.0.1:{port}/graphql", json=query) as r:
                    assert r.status == 200
                    data = await r.json()
            async with session.get(f"http://127.0.0.1:{port}/stats") as r:
                stats = await r.json()
    finally:
        server.close()
        await server.wait_closed()
    assert [p["category"] for p in data["data"]["topProducts"]] == ["FOOD", "TEXTILE"]
    assert (stats["requests"], stats["misses"], stats["distinct"]) == (2, 1, 1)


async def test_a_late_subgraph_serves_others_while_it_waits() -> None:
    scenario = load_scenario("public_benchmark_latency")
    assert scenario.subgraph_latency_ms == 20
    products = scenario.build_subgraphs()["products"]
    loop = asyncio.get_running_loop()
    waiting = await loop.create_server(lambda: SubgraphProtocol(products, 3600), "127.0.0.1", 0)
    quick = await loop.create_server(lambda: SubgraphProtocol(products, 0.01), "127.0.0.1", 0)
    url = "http://127.0.0.1:{}/graphql"
    query = {"query": "{ topProducts { upc name } }"}
    try:
        async with aiohttp.ClientSession() as session:
            port = waiting.sockets[0].getsockname()[1]
            pending = asyncio.ensure_future(session.post(url.format(port), json=query))
            for _ in range(500):
                async with session.get(url.format(port).replace("graphql", "stats")) as r:
                    stats = await r.json()
                if stats["requests"]:
                    break
                await asyncio.sleep(0.01)
            # answered (from the cache) but not sent: the loop went on serving /stats
            assert stats["requests"] == 1 and not pending.done()
            pending.cancel()
            async with session.post(url.format(quick.sockets[0].getsockname()[1]), json=query) as r:
                late = await r.json()
    finally:
        for server in (waiting, quick):
            server.close()
            await server.wait_closed()
    assert [p["upc"] for p in late["data"]["topProducts"]] == ["1", "2", "3", "4", "5"]


def test_the_late_variant_measures_every_gateway_without_dedup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs, _ = gateways({"simpul", "hive", "apollo"}, Path("/node"))
    scenario = load_scenario("public_benchmark_latency")
    with scenario_runs(scenario, runs) as (measured, notes):
        assert [(g.name, g.dedup) for g in measured] == [
            ("Simpul", "off"),
            ("Hive Gateway", "off"),
            ("Apollo Gateway", "off"),
        ]
        assert "de-duplication off only" in notes[0]
    # BENCH_SUBGRAPH_LATENCY_MS changes the delay where there is one, and only there
    monkeypatch.setenv("BENCH_SUBGRAPH_LATENCY_MS", "50")
    settings, cores = Settings.from_env(), Cores(None, None)
    assert ScenarioRun(scenario, settings, cores, Processes()).latency_ms == 50
    plain = load_scenario("public_benchmark")
    assert ScenarioRun(plain, settings, cores, Processes()).latency_ms == 0


def test_mismatch_is_found_with_its_place() -> None:
    expected = {"data": {"a": [{"b": 1, "c": 2}]}}
    assert check_answer(200, b'{"data":{"a":[{"b":1,"c":2}]}}', expected) is None
    assert "data.a[0].c" in (check_answer(200, b'{"data":{"a":[{"b":1,"c":3}]}}', expected) or "")
    assert "keys" in (check_answer(200, b'{"data":{"a":[{"c":2,"b":1}]}}', expected) or "")
    assert "HTTP 500" in (check_answer(500, b"{}", expected) or "")
    # One JSON number type: JavaScript writes a whole Float without ".0".
    assert (
        check_answer(200, b'{"data":{"pagu":15388000000}}', {"data": {"pagu": 1.5388e10}}) is None
    )
    assert check_answer(200, b'{"data":{"pagu":1}}', {"data": {"pagu": True}})


def test_matrix_has_every_mode_on_offer() -> None:
    runs, _ = gateways({"hive", "apollo"}, Path("/node"))
    assert [(g.name, g.dedup) for g in runs] == [
        ("Hive Gateway", "off"),
        ("Hive Gateway", "subgraph"),
        ("Hive Gateway", "subgraph+inbound"),
        ("Apollo Gateway", "off"),
    ]
    runs, _ = gateways({"hive-router"}, Path("/node"))
    assert [(g.name, g.dedup) for g in runs] == [
        ("Hive Gateway (Rust planner)", "off"),
        ("Hive Gateway (Rust planner)", "subgraph"),
        ("Hive Gateway (Rust planner)", "subgraph+inbound"),
    ]
    # the Rust planner is asked for, and JIT is not
    assert all(g.argv[-1] == "rust" and "--jit" not in g.argv for g in runs)
    runs, notes = gateways({"hive"}, None)
    assert runs == [] and notes
    runs, _ = gateways({"simpul"}, None)
    assert [(g.name, g.dedup) for g in runs] == [
        ("Simpul", "off"),
        ("Simpul", "subgraph"),
        ("Simpul", "subgraph+inbound"),
    ]
    # each mode's environment names settings the gateway really has
    printed = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "config", "--supergraph", "x"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for run in runs:
        for name in run.env:
            assert f"# env: {name}" in printed, name


def test_grafbase_is_told_each_subgraph_and_its_dedup() -> None:
    sources = {
        "accounts": SubgraphSource("http://127.0.0.1:4101/graphql", Path("/b/accounts.graphql")),
        "reviews": SubgraphSource("http://127.0.0.1:4102/graphql", Path("/b/reviews.graphql")),
    }
    off = tomllib.loads(grafbase_config(False, sources))
    assert off["subgraphs"] == {
        "accounts": {"url": "http://127.0.0.1:4101/graphql", "schema_path": "/b/accounts.graphql"},
        "reviews": {"url": "http://127.0.0.1:4102/graphql", "schema_path": "/b/reviews.graphql"},
    }
    assert off["traffic_shaping"] == {"inflight_deduplication": False}
    on = tomllib.loads(grafbase_config(True, sources))
    assert on["traffic_shaping"] == {"inflight_deduplication": True}


def test_a_gateway_that_does_not_start_says_why(tmp_path: Path) -> None:
    log = tmp_path / "gateway.log"
    log.write_text("Composing graph...\n\x1b[31mError:\x1b[0m unknown directive @policy\n\n")
    assert last_words(log) == "Error: unknown directive @policy"
    assert last_words(tmp_path / "missing.log") == ""


def test_an_answer_with_nulls_for_data_is_caught() -> None:
    # What Hive Gateway with the Rust planner and JIT answered here: 200, the shape of the
    # data, nulls in place of lists or objects, with or without errors beside them.
    expected = load_scenario("public_benchmark").expected()
    nulls = {"data": {name: None for name in expected["data"]}}
    assert "data.users: got null" in (check_answer(200, orjson.dumps(nulls), expected) or "")
    deep = json.loads(json.dumps(expected))
    deep["data"]["topProducts"][2]["reviews"][0]["author"] = None
    assert "author: got null" in (check_answer(200, orjson.dumps(deep), expected) or "")
    with_errors = {**expected, "errors": [{"message": "Cannot return null"}]}
    assert "keys" in (check_answer(200, orjson.dumps(with_errors), expected) or "")


def _document() -> dict[str, Any]:
    timed = {
        "answer": "ok",
        "fetches_per_query": 8,
        "p50_ms": 10.0,
        "p99_ms": 20.0,
        "requests": 1000,
        "errors": 0,
        "cpu_ms_per_request": 1.0,
        "rss_start_mb": 50.0,
        "rss_end_mb": 60.0,
        "subgraph_calls_per_request": 8.0,
        "subgraph_cache_misses": 0,
        "gateway_cpu": 1.0,
        "bench_cpu": 0.1,
        "unattributed_cpu": 0.01,
        "attempts": 1,
        "load_tool": "wrk",
    }
    return {
        "date": "2025-01-01 00:00 UTC",
        "machine": {"nproc": 2, "cpu": "cpu", "memory_gib": 1, "kernel": "k", "python": "3"},
        "pinning": {"gateway": 0, "other": 1},
        "settings": {"concurrency": 50, "seconds": 20, "warmup": 5},
        "load_generator": "wrk",
        "versions": {"simpul": "abc", "node": "v22"},
        "notes": [],
        "elapsed_seconds": 1,
        "scenarios": [
            {
                "name": "deep_fanout",
                "title": "Deep fan-out",
                "pending": None,
                "response_bytes": 70_000,
                "subgraphs": [],
                "gateways": [
                    {**timed, "gateway": "Simpul", "dedup": "off", "rps": 500.0},
                    {**timed, "gateway": "Hive Gateway", "dedup": "off", "rps": 100.0},
                    {
                        **timed,
                        "gateway": "Apollo Gateway",
                        "dedup": "off",
                        "answer": "MISMATCH at .data",
                        "rps": None,
                    },
                ],
            },
            {"name": "city_dashboard", "title": "city_dashboard", "pending": "pending"},
        ],
    }


def test_report_rewrites_only_its_section(tmp_path: Path) -> None:
    table = report.render(_document())
    assert "| dedup off | Hive Gateway, dedup off | 5.00x |" in table
    assert "not timed: MISMATCH at .data" in table
    page = tmp_path / "performance.md"
    page.write_text(f"# Performance\n\nMethod.\n\n{report.START}\nold\n{report.END}\n\nAfter.\n")
    report.write_docs(page, table)
    text = page.read_text()
    assert "old" not in text and "Method." in text and text.endswith("After.\n")
    assert text.count(report.START) == 1
    json.dumps(_document())  # the document is plain JSON, as results.json stores it


def test_report_names_simpuls_interpreter_only_when_simpul_ran() -> None:
    assert "Simpul's interpreter" not in report.render(_document())
    document = _document()
    document["machine"]["simpul_python"] = "CPython 3.11.2 (/usr/bin/python3.11)"
    assert "- Simpul's interpreter: CPython 3.11.2 (/usr/bin/python3.11)" in report.render(document)


def _window(rps: float, p99_ms: float, cpu_ms: float, other: float = 0.01) -> Window:
    return Window(
        rps=rps,
        p50_ms=50_000 / rps,
        p99_ms=p99_ms,
        requests=int(rps * 6),
        errors=1,
        cpu_ms_per_request=cpu_ms,
        rss_end_mb=60.0,
        subgraph_calls_per_request=7.0,
        subgraph_cache_misses=0,
        gateway_cpu=1.0,
        bench_cpu=0.1,
        unattributed_cpu=other,
    )


def test_each_gateway_reports_the_median_window_and_the_spread() -> None:
    simpul = GatewayResult("Simpul", "off", answer="ok", fetches_per_query=7)
    # a window disturbed by other work does not move the median
    simpul.windows = [_window(500, 90, 1.9), _window(510, 80, 1.8), _window(250, 400, 3.0, 0.9)]
    simpul.windows += [_window(490, 85, 1.95), _window(505, 95, 1.85)]
    summarize(simpul)
    assert (simpul.rps, simpul.p99_ms, simpul.cpu_ms_per_request) == (500, 90, 1.9)
    assert simpul.errors == 5 and simpul.requests == sum(w.requests for w in simpul.windows)
    hive = GatewayResult("Hive Gateway", "off", answer="ok", fetches_per_query=7)
    hive.windows = [_window(100, 900, 9.0)]
    summarize(hive)
    scenario = ScenarioResult("public_benchmark", "Public", response_bytes=88_000)
    scenario.gateways = [simpul, hive]
    document = {**_document(), "scenarios": [asdict(scenario)]}
    document["settings"] = {"concurrency": 50, "seconds": 6, "warmup": 5, "runs": 5}
    table = report.render(document)
    assert "5 timed windows of 6 s per gateway and mode, taken round-robin" in table
    assert "| Simpul | off | 500.0 (250.0-510.0) | 100.0 (98.0-200.0) | 90.0 (80.0-400.0) | 5 " in (
        table
    )
    assert "| 1.90 (1.80-3.00) |" in table
    assert "| Hive Gateway | off | 100.0 | 500.0 | 900.0 | 1 | 9.00 |" in table
    assert "| dedup off | Hive Gateway, dedup off | 5.00x | 0.10x | 0.21x |" in table


def test_gateways_are_measured_round_robin_and_checked_before_each_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = load_scenario("public_benchmark")
    run = ScenarioRun(scenario, Settings(runs=3), Cores(None, None), Processes())
    gateways_up = [
        Running(Gateway(name, "off", ()), GatewayResult(name, "off", answer="ok"), 0, url, 1)
        for name, url in (("A", "http://a"), ("B", "http://b"), ("C", "http://c"))
    ]
    measured: list[str] = []
    right = orjson.dumps(scenario.expected())

    def answer(url: str, body: bytes, headers: Any = None) -> tuple[int, bytes]:
        # C answers wrong from its third window on
        wrong = url == "http://c" and measured.count("C") == 2
        return 200, b'{"data":null}' if wrong else right

    def window(running: Running) -> Window:
        measured.append(running.gateway.name)
        return _window(100.0 * len(measured), 10, 1)

    monkeypatch.setattr("bench.run.post", answer)
    monkeypatch.setattr(run, "measure_quietly", window)
    run.measure_rounds(gateways_up)
    assert measured == ["A", "B", "C", "A", "B", "C", "A", "B"]
    a, b, c = (g.result for g in gateways_up)
    assert [w.rps for w in a.windows] == [100, 400, 700] and a.rps == 400
    assert b.rps == 500
    assert c.answer.startswith("MISMATCH at .data: got null") and "before window 3" in c.answer
    assert c.windows == [] and c.rps is None


def record_entries(store: Path) -> list[dict[str, Any]]:
    return [
        record["body"]
        for chain in store.glob("*.jsonl")
        for record in map(orjson.loads, chain.read_bytes().splitlines())
        if record.get("kind") == "entry"
    ]


async def test_personal_data_runs_answer_through_the_access_record(tmp_path: Path) -> None:
    """The personal-data scenario's gateway runs, as the benchmark starts them: the
    unmarked one answers without a record, the recording one only to the benchmark's
    client and with one entry naming the 25 residents; anonymous callers get nothing."""
    scenario = load_scenario("personal_data")
    subgraphs = scenario.build_subgraphs()
    loop = asyncio.get_running_loop()
    servers, urls = [], {}
    for subgraph_name, subgraph in subgraphs.items():
        server = await loop.create_server(
            lambda subgraph=subgraph: SubgraphProtocol(subgraph), "127.0.0.1", 0
        )
        servers.append(server)
        urls[subgraph_name] = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/graphql"
    marked, unmarked = tmp_path / "marked.graphql", tmp_path / "unmarked.graphql"
    marked.write_text(scenario.supergraph_with_urls(urls))
    unmarked.write_text(without_personal_marks(marked.read_text()))
    assert '"pdp:' in marked.read_text() and '"pdp:' not in unmarked.read_text()
    simpul = next(g for g in gateways({"simpul"}, None)[0] if g.dedup == "off")
    try:
        with record_runs(simpul, tmp_path / "bench", postgres=None) as (runs, _notes):
            baseline, files = runs[0], runs[1]
            store = Path(files.env["SIMPUL_AUDIT_STORE"])
            for run, supergraph in ((baseline, unmarked), (files, marked)):
                env = {
                    k: v.replace(str(ROOT / ".cache"), str(tmp_path)) for k, v in run.env.items()
                }
                env["SIMPUL_CALL_SIGNING"] = "none"
                process, url = start_gateway("--supergraph", str(supergraph), env=env)
                try:
                    json_body = {"content-type": "application/json"}
                    async with httpx.AsyncClient(timeout=30, headers=json_body) as http:
                        answer = await http.post(
                            f"{url}/graphql", content=scenario.request_body, headers=run.headers
                        )
                        anonymous = await http.post(f"{url}/graphql", content=scenario.request_body)
                finally:
                    stop_gateway(process)
                assert check_answer(answer.status_code, answer.content, scenario.expected()) is None
                if run is baseline:
                    assert record_entries(store) == []
                    assert anonymous.json()["data"] == scenario.expected()["data"]
                else:
                    assert anonymous.json()["data"] is None
    finally:
        for server in servers:
            server.close()
            await server.wait_closed()
    answered = [e for e in record_entries(store) if e["outcome"] == "answered"]
    assert len(answered) == 1 and len(answered[0]["subjects"]) == 25
    public = Path(files.env["SIMPUL_AUDIT_SEAL_PUBLIC_KEYS"]).read_text()
    report = await verify(FileStore(store), load_seal_keys(public))
    assert report.ok, report


def test_apollo_gateway_is_given_the_city_graph_without_security_purposes() -> None:
    # Apollo Gateway refuses a supergraph linking a security feature it does not enforce;
    # the dashboard reaches no protected field, so only the link's purpose is dropped.
    supergraph = load_scenario("city_dashboard").supergraph_text()
    assert "for: SECURITY" in supergraph
    changed = without_security_purpose(supergraph)
    assert "for: SECURITY" not in changed and "@policy(" in changed
    assert changed.count("@link(") == supergraph.count("@link(")
    apollo = next(g for g in gateways({"apollo"}, Path("/node"))[0])
    assert not apollo.security_links
