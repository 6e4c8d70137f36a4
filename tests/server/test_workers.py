"""``simpul gateway --workers 2``: each worker accepts on its own ``SO_REUSEPORT`` socket, so
connections opened at once reach both; a worker that dies is replaced; SIGHUP replaces both,
the gateway serving throughout."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.gateway_process import start_gateway, stop_gateway

SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "demo" / "supergraph.graphql"


def workers_of(parent: int) -> set[int]:
    """The worker processes of ``parent`` (multiprocessing's spawned children)."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return {
        int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    }


def sockets_of(pid: int) -> int:
    """How many sockets ``pid`` holds open."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):  # closed meanwhile
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
    return count


def two_workers(parent: int, other_than: set[int] = frozenset()) -> set[int]:  # type: ignore[assignment]
    deadline = time.monotonic() + 90  # workers start one by one, slowly on a busy machine
    while len(found := workers_of(parent) - other_than) != 2 or len(workers_of(parent)) != 2:
        assert time.monotonic() < deadline, workers_of(parent)
        time.sleep(0.1)
    return found


def loaded(process: subprocess.Popen[str], count: int) -> None:
    """Until ``count`` more workers have loaded the supergraph, by the gateway's log (each
    listens from before, and a connection reaches any of them)."""
    assert process.stderr is not None
    while count:
        line = process.stderr.readline()
        assert line, "the gateway stopped"
        count -= "the gateway is ready" in line


def answers(url: str) -> bool:
    response = httpx.post(f"{url}/graphql", json={"query": "{ __typename }"}, timeout=10)
    return response.json() == {"data": {"__typename": "Query"}}


@pytest.fixture
def gateway() -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, url = start_gateway("--supergraph", str(SUPERGRAPH), "--workers", "2")
    try:
        loaded(process, 2)
        yield process, url
    finally:
        assert stop_gateway(process) == 0


def test_connections_opened_at_once_reach_both_workers(
    gateway: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = gateway
    workers = two_workers(process.pid)
    before = {pid: sockets_of(pid) for pid in workers}
    port = int(url.rsplit(":", 1)[1])
    connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
    try:
        time.sleep(0.5)  # accepted by now
        gained = {pid: sockets_of(pid) - before[pid] for pid in workers}
        assert sum(gained.values()) >= 20
        # all 20 on one worker: one chance in half a million with the kernel's hash
        assert all(count > 0 for count in gained.values()), gained
    finally:
        for connection in connections:
            connection.close()


def test_a_dead_worker_is_replaced_and_sighup_replaces_both(
    gateway: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = gateway
    first = two_workers(process.pid)
    os.kill(min(first), signal.SIGKILL)
    after_crash = two_workers(process.pid, {min(first)})
    assert max(first) in after_crash
    loaded(process, 1)
    assert answers(url)
    process.send_signal(signal.SIGHUP)
    replaced = two_workers(process.pid, after_crash)
    loaded(process, 2)
    assert not replaced & after_crash
    assert answers(url)
    assert process.poll() is None
