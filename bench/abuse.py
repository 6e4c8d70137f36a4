"""An ordinary query's latency while the city is attacked, and how fast attacks are refused.

    python -m bench.abuse          (make bench-abuse)

Starts the city as ``make up`` does (gateway on 127.0.0.1:4960), then measures, one client
sending an ordinary portal query (``ProfilKelurahan``) back to back:

1. alone, for ``ABUSE_SECONDS`` (default 20);
2. while ``ABUSE_ATTACKERS`` (default 4) threads send the abuse battery of the test suite
   (``tests/city/test_abuse.py``) in a loop, ``ABUSE_RATE`` hostile requests a second in
   all (default 40; 0: as fast as they can), for the same time;

and, alone, how long the gateway takes to refuse the 13-level nesting query that once
stalled Disdukcapil (``ABUSE_REFUSALS`` times, default 300). Prints the figures for
``docs/performance.md``; asserts nothing (benchmarks measure, tests assert).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.city.test_abuse import ATTACKS, nested, send

ROOT = Path(__file__).resolve().parents[1]
PORT = 4960
URL = f"http://127.0.0.1:{PORT}/graphql"
ORDINARY = (ROOT / "portal" / "operations" / "ProfilKelurahan.graphql").read_text()
VARIABLES = {"kelurahan": "61.71.02.1001", "tahun": 2025}


class _City:
    """Just enough of tests.support.city.RunningCity for the battery's ``send``."""

    url = URL


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ordinary_latencies(seconds: float) -> list[float]:
    latencies = []
    body = {"query": ORDINARY, "operationName": "ProfilKelurahan", "variables": VARIABLES}
    with httpx.Client(timeout=30) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            answer = client.post(URL, json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200 or "errors" in answer.json():
                raise RuntimeError(f"the ordinary query failed: {answer.text[:200]}")
    return latencies


def attack(stop: threading.Event, sent: list[int], interval: float) -> None:
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            for item in ATTACKS:
                if stop.is_set():
                    return
                started = time.monotonic()
                answer = send(_City(), client, item)  # type: ignore[arg-type]
                if answer.status_code >= 500:
                    raise RuntimeError(f"{item.name}: HTTP {answer.status_code}")
                sent[0] += 1
                stop.wait(max(0.0, interval - (time.monotonic() - started)))


def refusal_latencies(count: int) -> list[float]:
    latencies = []
    body = json.dumps({"query": nested(13)})
    with httpx.Client(timeout=30) as client:
        for _ in range(count):
            started = time.perf_counter()
            answer = client.post(URL, content=body, headers={"content-type": "application/json"})
            latencies.append((time.perf_counter() - started) * 1000)
            code = answer.json()["errors"][0]["extensions"]["code"]
            if code != "COST_ESTIMATED_TOO_EXPENSIVE":
                raise RuntimeError(f"the nesting query was not refused by cost: {code}")
    return latencies


def describe(name: str, latencies: list[float]) -> str:
    return (
        f"{name}: {len(latencies)} requests, p50 {statistics.median(latencies):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms"
    )


def main() -> int:
    seconds = float(os.environ.get("ABUSE_SECONDS", "20"))
    attackers = int(os.environ.get("ABUSE_ATTACKERS", "4"))
    refusals = int(os.environ.get("ABUSE_REFUSALS", "300"))
    rate = float(os.environ.get("ABUSE_RATE", "40"))
    interval = attackers / rate if rate > 0 else 0.0
    city = subprocess.Popen(
        [sys.executable, "-m", "simpul.city", "--port", str(PORT)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert city.stdout is not None
        for line in city.stdout:
            if "Press Ctrl-C to stop." in line:
                break
        else:
            raise RuntimeError("the city did not start")
        # the city keeps logging: read it, or its pipe fills and it stalls
        threading.Thread(target=city.stdout.read, daemon=True).start()
        ordinary_latencies(3)  # warm caches and connections
        alone = ordinary_latencies(seconds)
        stop, sent = threading.Event(), [0]
        threads = [
            threading.Thread(target=attack, args=(stop, sent, interval)) for _ in range(attackers)
        ]
        for thread in threads:
            thread.start()
        under_attack = ordinary_latencies(seconds)
        stop.set()
        for thread in threads:
            thread.join()
        refused = refusal_latencies(refusals)
    finally:
        city.send_signal(signal.SIGINT)
        city.wait(60)
    print(describe("ordinary query alone", alone))
    print(describe(f"ordinary query under attack ({attackers} attackers)", under_attack))
    print(f"hostile requests sent meanwhile: {sent[0]} ({sent[0] / seconds:.0f} a second)")
    print(describe("13-level nesting query refused", refused))
    return 0


if __name__ == "__main__":
    sys.exit(main())
