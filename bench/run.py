"""Run the benchmark: every scenario, every gateway and de-duplication mode, one run.

    python -m bench.run            (make bench)

Environment: ``BENCH_RUNS`` (timed windows per gateway and mode, default 5),
``BENCH_SECONDS`` (each window's seconds, default 6), ``BENCH_WARMUP`` (seconds of load
once after each gateway starts, default 5), ``BENCH_CONCURRENCY`` (default 50),
``BENCH_SUBGRAPH_SECONDS`` (default 3), ``BENCH_GATEWAYS`` (default
``simpul,hive,hive-router,apollo,grafbase``), ``BENCH_SCENARIOS`` (default all),
``BENCH_WRITE_DOCS`` (``0`` leaves docs/performance.md alone), ``BENCH_NOISE_LIMIT``
(default 0.10) and ``BENCH_RETRIES`` (default 0): a window in which processes outside the
benchmark used more than that share of a core is measured again, that many times at most.
``BENCH_SIMPUL_WORKERS`` (default 1) runs Simpul with that many workers, on every core.
``BENCH_PYTHON`` names the interpreter Simpul runs on (default: the fastest CPython 3.11+
here, see :mod:`bench.interpreter`; ``venv``: the project venv's).
``BENCH_SUBGRAPH_LATENCY_MS`` sets the delay of the scenarios whose subgraphs answer late
(``public_benchmark_latency``: 20 ms).

For each scenario: its subgraphs start (pinned to the second core with the load generator
and this script); every gateway is started in turn on the first core, and its answer to
the scenario query is compared with the expected one while the others already started
idle (a mismatch is reported and that gateway is not timed); those answering right stay
up. The subgraphs are then measured alone; each gateway is warmed up once; then the
gateways are loaded round-robin, one timed window each per round, ``BENCH_RUNS`` rounds,
each window after the gateway's answer is checked again, while its CPU time, memory, the
subgraph calls it made and both cores' busy time are recorded. Each gateway's figures are
the medians of its windows (:mod:`bench.results`). Results go to
``.cache/bench/results.json`` and the table section of ``docs/performance.md``.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from bench import report
from bench.access_record import record_runs
from bench.interpreter import simpul_interpreter
from bench.load import LoadResult, run_load, wrk_path
from bench.peers import (
    NODE_PEERS,
    SIMPUL,
    Gateway,
    SubgraphSource,
    gateways,
    install_peers,
    peer_versions,
)
from bench.procstat import core_times, tree_cpu_seconds, tree_rss_bytes
from bench.results import GatewayResult, ScenarioResult, SubgraphResult, Window, summarize
from bench.scenarios import (
    PENDING,
    SCENARIOS,
    Scenario,
    load_scenario,
    without_personal_marks,
    without_security_purpose,
)

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "bench"
LOGS = WORK / "logs"


@dataclass(frozen=True)
class Settings:
    runs: int = 5
    seconds: float = 6.0
    warmup: float = 5.0
    concurrency: int = 50
    subgraph_seconds: float = 3.0
    subgraph_latency_ms: float | None = None
    """Overrides the delay of the scenarios whose subgraphs answer late."""
    gateways: tuple[str, ...] = ("simpul", "hive", "hive-router", "apollo", "grafbase")
    scenarios: tuple[str, ...] = SCENARIOS
    write_docs: bool = True
    retries: int = 0
    noise_limit: float = 0.10
    simpul_workers: int = 1

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ

        def names(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
            value = env.get(key, "").strip()
            return tuple(v.strip() for v in value.split(",") if v.strip()) if value else default

        latency = env.get("BENCH_SUBGRAPH_LATENCY_MS", "").strip()
        return cls(
            runs=max(1, int(env.get("BENCH_RUNS", cls.runs))),
            seconds=float(env.get("BENCH_SECONDS", cls.seconds)),
            subgraph_latency_ms=float(latency) if latency else None,
            warmup=float(env.get("BENCH_WARMUP", cls.warmup)),
            concurrency=int(env.get("BENCH_CONCURRENCY", cls.concurrency)),
            subgraph_seconds=float(env.get("BENCH_SUBGRAPH_SECONDS", cls.subgraph_seconds)),
            gateways=names("BENCH_GATEWAYS", cls.gateways),
            scenarios=names("BENCH_SCENARIOS", cls.scenarios),
            write_docs=env.get("BENCH_WRITE_DOCS", "1") != "0",
            retries=int(env.get("BENCH_RETRIES", cls.retries)),
            noise_limit=float(env.get("BENCH_NOISE_LIMIT", cls.noise_limit)),
            simpul_workers=int(env.get("BENCH_SIMPUL_WORKERS", cls.simpul_workers)),
        )


@dataclass
class Cores:
    gateway: int | None
    other: int | None
    every: str | None = None
    """All the cores (``0,1``), for a gateway of several processes."""


class Processes:
    """Processes this run started, each in its own process group, stopped by id."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def start(
        self,
        command: list[str],
        cpu: int | str | None,
        log: Path,
        env: dict[str, str] | None = None,
    ) -> subprocess.Popen[bytes]:
        if cpu is not None:
            command = ["taskset", "-c", str(cpu), *command]  # taskset execs: same pid
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
                start_new_session=True,
            )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process in self.running:
            self.running.remove(process)
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            if process.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)  # its own group: the process and its children
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(wait)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # children left behind, if any

    def stop_all(self) -> None:
        for process in list(self.running):
            self.stop(process)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(
    url: str, body: bytes, headers: Mapping[str, str] | None = None, timeout: float = 30.0
) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            **(headers or {}),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read())


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


STARTED = 10
"""Answers in a row that say a freshly started gateway has loaded (see wait_answering)."""


def wait_answering(
    process: subprocess.Popen[bytes],
    url: str,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    limit: float = 90.0,
) -> tuple[int, bytes]:
    """The answer of a freshly started gateway to ``body``, once it has loaded.

    A gateway of several processes answers as soon as one listens, and a process still
    loading answers 503; each request here is a new connection, which may reach any of them,
    so the answer taken is the last of ``STARTED`` in a row that are not 503."""
    deadline = time.monotonic() + limit
    answered = 0
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"exited with status {process.returncode}")
        try:
            status, answer = post(url, body, headers)
            answered = answered + 1 if status != 503 else 0
            if answered >= STARTED:
                return status, answer
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            answered = 0
        if time.monotonic() > deadline:
            raise RuntimeError(f"no answer within {limit:.0f} s") from None
        if not answered:
            time.sleep(0.2)


def last_words(log: Path) -> str:
    """The last line a process wrote to ``log`` (without terminal colours), to say why it
    stopped; empty when it wrote nothing."""
    with contextlib.suppress(OSError):
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", log.read_text(errors="replace"))
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            return lines[-1][:300]
    return ""


def wait_idle(pid: int, limit: float = 30.0) -> None:
    """Wait until the process tree ``pid`` uses (almost) no CPU for a quarter second."""
    deadline = time.monotonic() + limit
    before = tree_cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        after = tree_cpu_seconds(pid)
        if after - before <= 0.02:
            return
        before = after


def first_difference(got: Any, expected: Any, path: str = "") -> str | None:
    """Where two JSON values first differ (key order included), or None.

    Numbers are compared by value: JSON has one number type, and a Float that is whole is
    written ``15388000000.0`` by Python and ``15388000000`` by JavaScript.
    """
    if _is_number(got) and _is_number(expected):
        return None if got == expected else f"{path}: got {got!r}, expected {expected!r}"
    if type(got) is not type(expected):
        return f"{path or '.'}: got {json.dumps(got)[:120]}, expected {json.dumps(expected)[:120]}"
    if isinstance(got, dict):
        if list(got) != list(expected):
            return f"{path or '.'}: keys {list(got)} instead of {list(expected)}"
        for key in got:
            found = first_difference(got[key], expected[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(got, list):
        if len(got) != len(expected):
            return f"{path}: {len(got)} items instead of {len(expected)}"
        for index, (a, b) in enumerate(zip(got, expected, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if got == expected else f"{path}: got {got!r}, expected {expected!r}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_answer(status: int, body: bytes, expected: Any) -> str | None:
    """Why an answer is not the expected one, or None."""
    if status != 200:
        return f"HTTP {status}: {body[:300]!r}"
    try:
        got = json.loads(body)
    except ValueError:
        return f"not JSON: {body[:300]!r}"
    return first_difference(got, expected)


@dataclass(frozen=True)
class Running:
    """A gateway started and checked, kept running for its windows."""

    gateway: Gateway
    result: GatewayResult
    pid: int
    url: str
    answer_bytes: int
    """The length of its checked answer: any other under load counts as an error."""


def _said(window: Window) -> str:
    return (
        f"{window.rps:,.1f} requests/s, p50 {window.p50_ms:.1f} ms, "
        f"p99 {window.p99_ms:.1f} ms, {window.errors} errors, "
        f"{window.cpu_ms_per_request or 0:.2f} ms CPU/request, RSS {window.rss_end_mb:.0f} MB; "
        f"CPU: gateway {window.gateway_cpu:.0%}, subgraphs and load {window.bench_cpu:.0%}, "
        f"other {window.unattributed_cpu:.0%} of a core"
    )


class ScenarioRun:
    """One scenario's subgraphs, running, and the gateways measured over them."""

    def __init__(
        self, scenario: Scenario, settings: Settings, cores: Cores, processes: Processes
    ) -> None:
        self.scenario = scenario
        self.settings = settings
        self.cores = cores
        self.processes = processes
        self.expected = scenario.expected()
        self.body = scenario.request_body
        self.folder = WORK / scenario.name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ports: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.supergraph = self.folder / "supergraph.graphql"
        self.subgraph_pid: int | None = None
        self.results: list[GatewayResult] = []
        """Every gateway started, in order, whether it answered right or not."""
        self.latency_ms = scenario.subgraph_latency_ms
        if self.latency_ms and settings.subgraph_latency_ms is not None:
            self.latency_ms = settings.subgraph_latency_ms

    @contextlib.contextmanager
    def subgraphs(self) -> Iterator[None]:
        log = LOGS / f"{self.scenario.name}-subgraphs.log"
        ports_file = self.folder / "ports.json"
        with ports_file.open("wb") as output:
            latency = ["--latency-ms", f"{self.latency_ms:g}"] if self.latency_ms else []
            process = subprocess.Popen(
                [sys.executable, "-m", "bench.server", self.scenario.name, *latency],
                stdout=output,
                stderr=log.open("wb"),
                stdin=subprocess.DEVNULL,
                cwd=ROOT,
                start_new_session=True,
            )
        self.processes.running.append(process)
        self.subgraph_pid = process.pid
        try:
            deadline = time.monotonic() + 30
            while not ports_file.read_text().strip():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the subgraphs did not start; see {log}")
                time.sleep(0.1)
            self.ports = json.loads(ports_file.read_text().splitlines()[0])
            self.urls = {
                name: f"http://127.0.0.1:{port}/graphql" for name, port in self.ports.items()
            }
            self.supergraph.write_text(self.scenario.supergraph_with_urls(self.urls))
            yield
        finally:
            self.processes.stop(process)

    def subgraph_stats(self) -> dict[str, dict[str, Any]]:
        return {
            name: get_json(f"http://127.0.0.1:{port}/stats") for name, port in self.ports.items()
        }

    def _calls(self) -> tuple[int, int]:
        stats = self.subgraph_stats().values()
        return sum(s["requests"] for s in stats), sum(s["misses"] for s in stats)

    @contextlib.contextmanager
    def gateway(self, gateway: Gateway, result: GatewayResult) -> Iterator[Running | None]:
        """Start ``gateway``; yield it running once its answer is the expected one (None
        when it did not start or answered something else); stop it on leaving."""
        port = free_port()
        slug = re.sub(
            r"[^a-z0-9]+", "-", f"{gateway.name}-{gateway.dedup}-{gateway.variant}".lower()
        )
        log = LOGS / f"{self.scenario.name}-{slug.strip('-')}.log"
        supergraph = self._supergraph_for(gateway, slug.strip("-"))
        config = None
        if gateway.config is not None:
            config = self.folder / f"{slug.strip('-')}.toml"
            sources = {
                name: SubgraphSource(url, self.scenario.sdl_path(name).resolve())
                for name, url in self.urls.items()
            }
            config.write_text(gateway.config(sources))
        env = gateway.env
        if gateway.name == "Simpul":
            env = {**self.scenario.simpul_env, **env}
        process = self.processes.start(
            gateway.command(supergraph, port, config),
            self.cores.gateway if gateway.workers == 1 else self.cores.every,
            log,
            env,
        )
        url = f"http://127.0.0.1:{port}/graphql"
        try:
            try:
                status, body = wait_answering(process, url, self.body, gateway.headers)
            except RuntimeError as error:
                said = last_words(log)
                result.answer = f"did not start: {error}{f': {said}' if said else ''}"
                result.answer += f" (see {log.relative_to(ROOT)})"
                print(f"  !! {gateway.label}: {result.answer}", flush=True)
                yield None
                return
            problem = check_answer(status, body, self.expected)
            if problem:
                wrong = self.folder / f"{slug}-answer.json"
                wrong.write_bytes(body)
                result.answer = f"MISMATCH at {problem}"
                print(
                    f"\n  !!!!!! {gateway.label}: ANSWER DIFFERS FROM THE EXPECTED ONE, NOT TIMED\n"
                    f"  !!!!!! {problem}\n  !!!!!! (answer saved in {wrong})\n",
                    flush=True,
                )
                yield None
                return
            result.answer = "ok"
            yield Running(gateway, result, process.pid, url, len(body))
        finally:
            self.processes.stop(process)

    def _supergraph_for(self, gateway: Gateway, slug: str) -> Path:
        """The supergraph file ``gateway`` is started with: the scenario's, or a variant."""
        if not gateway.unmarked and gateway.security_links:
            return self.supergraph
        text = self.supergraph.read_text()
        if gateway.unmarked:
            text = without_personal_marks(text)
        if not gateway.security_links:
            text = without_security_purpose(text)
        path = self.folder / f"supergraph-{slug}.graphql"
        path.write_text(text)
        return path

    def start_all(self, runs: list[Gateway], stack: contextlib.ExitStack) -> list[Running]:
        """Start every gateway of ``runs`` in turn, each alone on its core for its check:
        compare its answer and count the subgraph fetches one query causes. The ones
        answering right are kept running (until ``stack`` closes) for the timed windows."""
        started = []
        for gateway in runs:
            result = GatewayResult(gateway.name, gateway.dedup, gateway.variant)
            running = stack.enter_context(self.gateway(gateway, result))
            self.results.append(result)
            if running is None:
                continue
            before, _ = self._calls()
            post(running.url, self.body, gateway.headers)
            after, _ = self._calls()
            result.fetches_per_query = after - before
            result.rss_start_mb = tree_rss_bytes(running.pid) / 1e6
            print(
                f"  {gateway.label}: answer ok, {result.fetches_per_query} subgraph fetches",
                flush=True,
            )
            started.append(running)
        return started

    def measure_subgraphs(self) -> list[SubgraphResult]:
        """Each subgraph alone, loaded with its largest cached request."""
        measured = []
        for name, stats in self.subgraph_stats().items():
            if not stats["largest_request"]:
                continue
            load = run_load(
                f"http://127.0.0.1:{self.ports[name]}/graphql",
                stats["largest_request"].encode(),
                self.settings.subgraph_seconds,
                self.settings.concurrency,
                stats["largest_response_bytes"],
                self.folder,
                self.cores.other,
            )
            measured.append(
                SubgraphResult(
                    name, load.rps, load.p99_ms, load.errors, stats["largest_response_bytes"]
                )
            )
            print(
                f"  subgraph {name} alone: {load.rps:,.0f} requests/s, p99 {load.p99_ms:.2f} ms"
                f" ({stats['largest_response_bytes']:,} bytes)",
                flush=True,
            )
        return measured

    def warm_up(self, running: Running) -> None:
        """Load a freshly started gateway once, untimed, so that its windows find it warm."""
        if self.settings.warmup > 0:
            self._load(running, self.settings.warmup)

    def measure_rounds(self, started: list[Running]) -> None:
        """``runs`` windows of every started gateway, round-robin: a drift of the machine
        (other work, its clock) hits every gateway alike. Before each window the gateway's
        answer is checked again; one answering otherwise is dropped, reported."""
        active = list(started)
        runs = self.settings.runs
        for number in range(1, runs + 1):
            for running in list(active):
                status, body = post(running.url, self.body, running.gateway.headers)
                problem = check_answer(status, body, self.expected)
                if problem:
                    running.result.answer = f"MISMATCH at {problem} (before window {number})"
                    print(f"  !!!!!! {running.gateway.label}: {running.result.answer}", flush=True)
                    active.remove(running)
                    running.result.windows.clear()
                    continue
                window = self.measure_quietly(running)
                running.result.windows.append(window)
                print(f"  [{number}/{runs}] {running.gateway.label}: {_said(window)}", flush=True)
        for running in active:
            summarize(running.result)

    def measure_quietly(self, running: Running) -> Window:
        """One window of ``running``; again (``retries`` times at most) while others used
        the CPU, the quietest kept.

        This machine may run other work; a window in which processes outside the benchmark
        used more than ``noise_limit`` of a core is measured again, and the quietest kept.
        """
        best: Window | None = None
        for attempt in range(1, self.settings.retries + 2):
            window = replace(self.measure(running), attempts=attempt)
            if best is None or window.unattributed_cpu < best.unattributed_cpu:
                best = window
            if window.unattributed_cpu <= self.settings.noise_limit:
                break
            if attempt <= self.settings.retries:
                print(
                    f"  !! other processes used {window.unattributed_cpu:.0%} of a core: "
                    "measuring again",
                    flush=True,
                )
        assert best is not None
        return best

    def measure(self, running: Running) -> Window:
        """Load ``running`` for one timed window, recording what it cost."""
        pid = running.pid
        # Requests still in flight when the last load's connections closed are finished
        # before the window opens, so they do not count in it.
        wait_idle(pid)
        cpu_before = self._cpu(pid)
        calls_before, misses_before = self._calls()
        load = self._load(running, self.settings.seconds)
        cpu_after = self._cpu(pid)
        calls_after, misses_after = self._calls()
        used = {key: cpu_after[key] - cpu_before[key] for key in cpu_before}
        wall = used["wall"]
        return Window(
            rps=load.rps,
            p50_ms=load.p50_ms,
            p99_ms=load.p99_ms,
            requests=load.requests,
            errors=load.errors,
            cpu_ms_per_request=(used["gateway"] * 1000 / load.requests if load.requests else None),
            rss_end_mb=tree_rss_bytes(pid) / 1e6,
            subgraph_calls_per_request=(
                (calls_after - calls_before) / load.requests if load.requests else None
            ),
            subgraph_cache_misses=misses_after - misses_before,
            gateway_cpu=used["gateway"] / wall,
            bench_cpu=used["bench"] / wall,
            unattributed_cpu=max(0.0, used["busy"] - used["gateway"] - used["bench"]) / wall,
            load_tool=load.tool,
        )

    def _load(self, running: Running, seconds: float) -> LoadResult:
        return run_load(
            running.url,
            self.body,
            seconds,
            self.settings.concurrency,
            running.answer_bytes,
            self.folder,
            self.cores.other,
            running.gateway.headers,
        )

    def _cpu(self, gateway_pid: int) -> dict[str, float]:
        """CPU seconds so far: the gateway's, the benchmark's own side's, all cores' busy time."""
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has exited
        bench = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
        if self.subgraph_pid is not None:
            bench += tree_cpu_seconds(self.subgraph_pid)
        return {
            "wall": time.monotonic(),
            "gateway": tree_cpu_seconds(gateway_pid),
            "bench": bench,
            "busy": sum(busy for busy, _total in core_times().values()),
        }


def ensure_wrk() -> None:
    """Install Debian's wrk when it is missing and this user may (else the Python loop runs)."""
    if wrk_path() or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    print("installing wrk (apt-get install -y wrk) ...", flush=True)
    with (LOGS / "apt-get.log").open("wb") as log:
        subprocess.run(
            ["apt-get", "install", "-y", "wrk"], stdout=log, stderr=subprocess.STDOUT, check=False
        )
        if not wrk_path():
            subprocess.run(["apt-get", "update"], stdout=log, stderr=subprocess.STDOUT, check=False)
            subprocess.run(
                ["apt-get", "install", "-y", "wrk"],
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )


def pick_cores() -> Cores:
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2 or not shutil.which("taskset"):
        print("!! fewer than two cores (or no taskset): nothing is pinned", flush=True)
        return Cores(None, None)
    return Cores(available[0], available[1], ",".join(map(str, available)))


def machine() -> dict[str, Any]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory_gib": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def simpul_revision() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--", "gateway"):
        revision += " with uncommitted changes under gateway/"
    return revision


@contextlib.contextmanager
def scenario_runs(
    scenario: Scenario, runs: list[Gateway]
) -> Iterator[tuple[list[Gateway], list[str]]]:
    """The gateways measured on ``scenario``: all of ``runs`` (in the scenario's
    de-duplication modes), or, when its query reads personal data, Simpul alone without
    and with its access record."""
    if not scenario.personal:
        modes = scenario.dedup_modes
        if modes is None:
            yield runs, []
            return
        said = " and ".join(modes)
        note = f"{scenario.title}: every gateway measured with de-duplication {said} only."
        yield [g for g in runs if g.dedup in modes], [note]
        return
    simpul = [g for g in runs if g.name == "Simpul" and g.dedup == "off"]
    peers = "the peers have no access record: Simpul alone is measured, dedup off"
    if not simpul:
        yield [], [f"{scenario.title}: {peers}, and Simpul is not among BENCH_GATEWAYS"]
        return
    with record_runs(simpul[0], WORK / scenario.name) as (measured, notes):
        yield measured, [f"{scenario.title}: {peers}.", *notes]


def main() -> int:
    settings = Settings.from_env()
    LOGS.mkdir(parents=True, exist_ok=True)
    cores = pick_cores()
    if cores.other is not None:
        os.sched_setaffinity(0, {cores.other})  # this script and all it starts but gateways
    processes = Processes()

    def interrupted(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    ensure_wrk()
    node, node_note = (None, "not wanted")
    if NODE_PEERS & set(settings.gateways):
        node, node_note = install_peers(LOGS / "npm-install.log")
        if node is None:
            print(f"!! peers not installed: {node_note}", flush=True)
    measured_on: dict[str, str] = {}
    simpul_command = SIMPUL
    if "simpul" in settings.gateways:  # probed, and its venv made, only when Simpul runs
        interpreter = simpul_interpreter(os.environ, LOGS / "simpul-venv.log")
        print(f"Simpul runs on {interpreter.note}", flush=True)
        measured_on["simpul_python"] = interpreter.note
        simpul_command = interpreter.simpul
    runs, notes = gateways(set(settings.gateways), node, settings.simpul_workers, simpul_command)
    for note in notes:
        print(f"note: {note}", flush=True)
    results: list[ScenarioResult] = []
    try:
        for name in settings.scenarios:
            if name in PENDING:
                print(f"\n== {name}: {PENDING[name]}", flush=True)
                results.append(ScenarioResult(name, name, pending=PENDING[name]))
                continue
            scenario = load_scenario(name)
            outcome = ScenarioResult(name, scenario.title)
            results.append(outcome)
            run = ScenarioRun(scenario, settings, cores, processes)
            outcome.response_bytes = len(json.dumps(run.expected, separators=(",", ":")))
            outcome.subgraph_latency_ms = run.latency_ms
            print(f"\n== {scenario.title}: starting every gateway, checking its answer", flush=True)
            with (
                run.subgraphs(),
                scenario_runs(scenario, runs) as (measured, more_notes),
                contextlib.ExitStack() as stack,
            ):
                notes += [note for note in more_notes if note not in notes]
                up = run.start_all(measured, stack)
                outcome.gateways = run.results
                print(f"== {scenario.title}: the subgraphs alone", flush=True)
                outcome.subgraphs = run.measure_subgraphs()
                print(f"== {scenario.title}: a warm-up of each gateway", flush=True)
                for running in up:
                    run.warm_up(running)
                print(f"== {scenario.title}: timed windows, round-robin", flush=True)
                run.measure_rounds(up)
    finally:
        processes.stop_all()
    elapsed = time.monotonic() - started
    document = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {**machine(), **measured_on},
        "pinning": asdict(cores),
        "settings": asdict(settings),
        "load_generator": "wrk" if wrk_path() else "python-aiohttp",
        "versions": {
            "simpul": simpul_revision(),
            "node": node_note if node else None,
            **peer_versions(),
        },
        "notes": notes,
        "elapsed_seconds": round(elapsed),
        "scenarios": [asdict(r) for r in results],
    }
    (WORK / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    table = report.render(document)
    print("\n" + table)
    if settings.write_docs:
        report.write_docs(ROOT / "docs" / "performance.md", table)
        print("docs/performance.md updated", flush=True)
    print(f"(results in {WORK / 'results.json'}, logs in {LOGS}; {elapsed:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
