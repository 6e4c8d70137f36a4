"""``simpul gateway`` as a separate process on a free port, for tests over real HTTP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from typing import IO

import httpx

__all__ = ["start_gateway", "stop_gateway", "wait_ready"]


def start_gateway(
    *args: str, env: Mapping[str, str] | None = None, stdout: IO[str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """Start ``simpul gateway`` on a free port with the environment's ``SIMPUL_*`` settings
    replaced by ``env`` (by default: subgraphs called unsigned); return the process and its
    base URL. ``stdout`` receives the access lines."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "gateway", "--port", "0", *args],
        stderr=subprocess.PIPE,
        stdout=stdout,
        text=True,
        env={**inherited, **(env if env is not None else {"SIMPUL_CALL_SIGNING": "none"})},
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return process, found.group(1)
    process.kill()
    process.wait()
    raise AssertionError("simpul gateway did not start")


def stop_gateway(process: subprocess.Popen[str]) -> int:
    """Stop it with SIGINT (SIGKILL after 15 s); its exit status."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stderr is not None
        process.stderr.close()


def wait_ready(url: str, in_a_row: int = 10) -> None:
    """Until ``/ready`` answers 200 ``in_a_row`` times, each on a new connection: with
    several workers the socket is bound before the workers listen on it, and each worker
    loads the supergraph itself, so one worker's 200 does not mean the others'."""
    deadline = time.monotonic() + 30
    answered = 0
    while answered < in_a_row:
        try:
            answered = answered + 1 if httpx.get(f"{url}/ready").status_code == 200 else 0
        except httpx.ConnectError:
            answered = 0
        if time.monotonic() > deadline:
            raise AssertionError("never ready")
        if not answered:
            time.sleep(0.1)
