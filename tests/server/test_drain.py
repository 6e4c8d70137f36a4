"""SIGTERM under load loses no request: ``simpul gateway`` (one worker, and two) fails its
readiness at once, answers every request it is sent while it drains, finishes a request still
running when the drain ends, and exits 0.

The gateway runs as its own process over a subgraph served in the test's event loop on a free
port; twenty clients send requests without pause, as a load balancer would until readiness
fails, and stop before the drain ends, as the balancer would once it has seen it fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import strawberry
import strawberry.federation

from gateway.compose import SubgraphSDL, compose
from gateway.server.embedded import EmbeddedServer, bind_socket
from tests.e2e.harness import app_of, served_sdl

CLIENTS = 20
DRAIN = 3.0
SENDING_AFTER_SIGTERM = 1.5
"""How long the clients go on after SIGTERM: the balancer's readiness period."""
QUERY = "query ($ms: Int!) { pause(ms: $ms) }"


@strawberry.type
class Query:
    @strawberry.field
    async def pause(self, ms: int) -> int:
        await asyncio.sleep(ms / 1000)
        return ms


@pytest.fixture
async def subgraph() -> AsyncIterator[str]:
    server = EmbeddedServer(app_of(strawberry.federation.Schema(Query)), bind_socket("::1", 0))
    task = asyncio.create_task(server.run_on_socket())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://[::1]:{server.port}/graphql"
    finally:
        server.should_exit = True
        await task


def start(supergraph: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with bind_socket("127.0.0.1", 0) as sock:
        port = sock.getsockname()[1]
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gateway.cli", "gateway", "--supergraph", str(supergraph)),
            *("--port", str(port), "--workers", str(workers), "--log-level", "warning"),
        ],
        env={
            **inherited,
            "SIMPUL_CALL_SIGNING": "none",
            "SIMPUL_DRAIN_SECONDS": str(DRAIN),
            # the clients share one address, as a balancer's would
            "SIMPUL_MAX_REQUESTS_PER_CLIENT": "0",
            "SIMPUL_MAX_CONNECTIONS_PER_CLIENT": "0",
        },
        stdout=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


async def wait_ready(client: httpx.AsyncClient, url: str, process: subprocess.Popen[bytes]) -> None:
    """Until ten new connections in a row find it ready (each worker loads the supergraph
    on its own, and a connection reaches one of them)."""
    deadline = time.monotonic() + 30
    ready = 0
    while ready < 10:
        try:
            answer = await client.get(f"{url}/ready", headers={"connection": "close"})
            ready = ready + 1 if answer.status_code == 200 else 0
            continue
        except httpx.TransportError:
            ready = 0
        assert process.poll() is None and time.monotonic() < deadline, "never ready"
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("workers", [1, 2])
async def test_sigterm_under_load_loses_no_request(
    subgraph: str, tmp_path: Path, workers: int
) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    sdl = served_sdl(strawberry.federation.Schema(Query))
    supergraph.write_text(compose([SubgraphSDL("pause", subgraph, sdl)]))
    process, url = start(supergraph, workers)
    limits = httpx.Limits(max_connections=CLIENTS + 5, max_keepalive_connections=CLIENTS + 5)
    try:
        async with (
            httpx.AsyncClient(timeout=30, limits=limits) as client,
            contextlib.AsyncExitStack() as stack,
        ):
            await wait_ready(client, url, process)
            statuses: list[int] = []
            failures: list[str] = []
            sending = True

            async def ask(ms: int) -> None:
                try:
                    answer = await client.post(
                        f"{url}/graphql", json={"query": QUERY, "variables": {"ms": ms}}
                    )
                except httpx.TransportError as error:
                    failures.append(repr(error))
                    return
                statuses.append(answer.status_code)
                if answer.json() != {"data": {"pause": ms}}:
                    failures.append(answer.text)

            async def keep_asking() -> None:
                while sending:
                    await ask(5)

            clients = [asyncio.create_task(keep_asking()) for _ in range(CLIENTS)]
            stack.callback(lambda: [task.cancel() for task in clients])
            deadline = time.monotonic() + 10
            while len(statuses) < 5 * CLIENTS:  # under load
                assert time.monotonic() < deadline and not failures, failures
                await asyncio.sleep(0.05)
            before = len(statuses)
            process.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            await asyncio.sleep(0.2)
            # readiness fails at once, while requests are still answered, each telling its
            # client to reconnect (elsewhere, behind a load balancer)
            ready = await client.get(f"{url}/ready")
            assert ready.status_code == 503 and ready.headers["connection"] == "close"
            await asyncio.sleep(signalled + SENDING_AFTER_SIGTERM - time.monotonic())
            # a request still running when the drain ends
            slow = asyncio.create_task(ask(int((DRAIN - SENDING_AFTER_SIGTERM + 1.0) * 1000)))
            sending = False
            await asyncio.gather(*clients, slow)
            assert failures == []
            assert len(statuses) > before + CLIENTS  # answered while draining
            assert set(statuses) == {200}
            assert time.monotonic() - signalled > DRAIN  # the slow one outlived the drain
            assert await asyncio.to_thread(process.wait, 15) == 0
            with pytest.raises(httpx.ConnectError):
                await client.get(f"{url}/health")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
