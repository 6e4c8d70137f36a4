"""``make up``'s launcher started for a test module: the whole city on 127.0.0.1, over real
HTTP, stopped completely afterwards.

The launcher's OPD ports are fixed (from ``schema/subgraphs.toml``; 4100 for the identity provider),
so modules using it run one after another; each gives the gateway a port of its own. A
running ``make up`` makes them fail with a clear message instead of mixing with it.
"""

from __future__ import annotations

import datetime
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from subgraphs.registry import city_opds

__all__ = ["LAST_YEAR", "RunningCity", "busy", "running_city", "sso_token"]

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 240.0  # a clean clone seeds the SQL registries at full scale first
LAST_YEAR = datetime.date.today().year - 1
"""A whole year every simulator of a running city holds on any day: they date their data
from today (budgets of this year and the two before, permits of five years)."""
OPD_PORTS = [4100] + [p for o in city_opds() for p in (o.simulator_port, o.subgraph_port)]


def sso_token(client_id: str, **form: str) -> str:
    """A token from the city's identity provider, by the client-credentials grant, with the
    client secret ``make up`` made for ``client_id``."""
    from simpul.city import SSO_REALM

    secret = (ROOT / ".cache" / "secrets" / f"sso-{client_id}.secret").read_text().strip()
    response = httpx.post(
        f"{SSO_REALM}/protocol/openid-connect/token",
        data={"grant_type": "client_credentials", **form},
        auth=(client_id, secret),
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def busy(port: int) -> bool:
    """Whether something listens on ``127.0.0.1:port``."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class RunningCity:
    """The launcher's process, everything it printed, and its gateway."""

    process: subprocess.Popen[str]
    gateway_port: int
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def url(self) -> str:
        return f"{self.base}/graphql"

    def query(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> Any:
        """POST a GraphQL request to the gateway; the parsed answer (HTTP 200 expected)."""
        body: dict[str, Any] = {"query": query, "variables": dict(variables or {})}
        if operation_name:
            body["operationName"] = operation_name
        response = httpx.post(self.url, json=body, timeout=60)
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


@contextmanager
def running_city(
    gateway_port: int, env: Mapping[str, str] | None = None, *flags: str
) -> Iterator[RunningCity]:
    """Start the city (``python -m simpul.city`` with ``flags``), wait until it says it
    runs, and on exit stop it with Ctrl-C (SIGINT), asserting it stopped cleanly and freed
    every port."""
    ports = [*OPD_PORTS, gateway_port]
    taken = [port for port in ports if busy(port)]
    assert not taken, f"ports {taken} are in use: stop `make up` before running these tests"
    process = subprocess.Popen(
        [sys.executable, "-m", "simpul.city", "--port", str(gateway_port), *flags],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    running = RunningCity(process, gateway_port)
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
    assert [port for port in ports if busy(port)] == []
