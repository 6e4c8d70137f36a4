"""A new supergraph without a restart, served for real: taken from a file or a URL (polled,
and on SIGHUP), swapped while requests run (none lost, each finishing on the graph it
started with), an invalid one refused and reported while the running one stays."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
import strawberry.federation
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from gateway.bootstrap import build_engine
from gateway.compose import SubgraphSDL, compose
from gateway.config import config_from_mapping
from gateway.server import create_app
from gateway.server.embedded import EmbeddedServer, bind_socket
from gateway.transport import HttpxTransport
from tests.e2e.harness import app_of, served_sdl
from tests.support.serving import serving

HELD = asyncio.Event()
"""Set to let a held request's subgraph answer."""


@strawberry.type
class Product:
    upc: str
    name: str


@strawberry.type
class ProductsQuery:
    @strawberry.field
    async def products(self, held: bool = False) -> list[Product]:
        if held:
            await HELD.wait()
        return [Product(upc="1", name="Lidah buaya")]


@strawberry.type(name="Product")
class PricedProduct:
    upc: str
    name: str
    price: int


@strawberry.type
class PricedQuery:
    @strawberry.field
    async def products(self, held: bool = False) -> list[PricedProduct]:
        return [PricedProduct(upc="1", name="Lidah buaya", price=15000)]


URL = "http://products/graphql"
V1 = compose(
    [SubgraphSDL("products", URL, served_sdl(strawberry.federation.Schema(ProductsQuery)))]
)
V2 = compose([SubgraphSDL("products", URL, served_sdl(strawberry.federation.Schema(PricedQuery)))])
APPS = {
    "v1": app_of(strawberry.federation.Schema(ProductsQuery)),
    "v2": app_of(strawberry.federation.Schema(PricedQuery)),
}


class Versions:
    """The subgraph's deployed version: the gateway's calls reach the one in ``current``."""

    current = "v1"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await APPS[self.current](scope, receive, send)


@dataclass
class Running:
    url: str
    supergraph: Path
    client: httpx.AsyncClient
    versions: Versions

    async def ask(self, query: str) -> Any:
        response = await self.client.post(f"{self.url}/graphql", json={"query": query})
        return response.json()

    async def ready(self) -> Any:
        return (await self.client.get(f"{self.url}/ready")).json()

    async def reloads(self, count: int) -> Any:
        """``/ready`` once ``count`` reloads have been taken."""
        deadline = time.monotonic() + 10
        while (body := await self.ready())["supergraph"]["reloads"] < count:
            assert time.monotonic() < deadline, body
            await asyncio.sleep(0.02)
        return body


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    HELD.clear()
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(V1)
    config = config_from_mapping(
        {
            "supergraph": str(supergraph),
            "server": {"supergraph_poll": 0.05},
            "access": {"call_signing": "none"},
        },
        {},
        {},
    )
    versions = Versions()
    engine = build_engine(config, HttpxTransport.for_apps({URL: versions}))
    async with serving(create_app(engine, config)) as url, httpx.AsyncClient(timeout=10) as client:
        try:
            yield Running(url, supergraph, client, versions)
        finally:
            HELD.set()  # a held request finishes before the server stops


async def test_a_changed_file_is_taken_while_a_running_request_finishes_on_the_old_graph(
    running: Running,
) -> None:
    assert (await running.ask("{ products { price } }"))["errors"][0]["extensions"][
        "code"
    ] == "GRAPHQL_VALIDATION_FAILED"
    first = await running.ready()
    assert first["status"] == "pass" and first["supergraph"]["reloads"] == 0
    held = asyncio.create_task(running.ask("{ products(held: true) { name } }"))
    await asyncio.sleep(0.2)  # it has reached the subgraph, on the first graph
    running.versions.current = "v2"
    running.supergraph.write_text(V2)
    taken = await running.reloads(1)
    assert (
        taken["status"] == "pass" and taken["supergraph"]["sha256"] != first["supergraph"]["sha256"]
    )
    assert await running.ask("{ products { name price } }") == {
        "data": {"products": [{"name": "Lidah buaya", "price": 15000}]}
    }
    HELD.set()
    assert await held == {"data": {"products": [{"name": "Lidah buaya"}]}}


async def test_an_invalid_supergraph_is_refused_and_reported_and_the_running_one_stays(
    running: Running,
) -> None:
    running.supergraph.write_text(V1.replace("type Query", "type Query Query"))
    deadline = time.monotonic() + 10
    while (body := await running.ready())["status"] == "pass":
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.02)
    assert body["status"] == "warn" and body["supergraph"]["reloads"] == 0
    assert "new supergraph not taken" in body["output"]
    assert str(running.supergraph) in body["supergraph"]["lastFailure"]
    assert await running.ask("{ products { name } }") == {
        "data": {"products": [{"name": "Lidah buaya"}]}
    }
    metrics = (await running.client.get(f"{running.url}/metrics")).text
    assert 'simpul_supergraph_reloads_total{outcome="failed"} 1.0' in metrics
    # mended: taken, and the warning is gone
    running.versions.current = "v2"
    running.supergraph.write_text(V2)
    assert (await running.reloads(1))["status"] == "pass"
    metrics = (await running.client.get(f"{running.url}/metrics")).text
    assert 'simpul_supergraph_reloads_total{outcome="applied"} 1.0' in metrics


async def test_no_request_is_lost_while_supergraphs_are_swapped(running: Running) -> None:
    swaps = 0

    async def swap() -> None:
        nonlocal swaps
        for text in (V2, V1, V2, V1, V2, V1):
            running.supergraph.write_text(text)
            swaps += 1
            await running.reloads(swaps)

    async def ask_many() -> list[Any]:
        answers = []
        for _ in range(30):
            batch = [running.ask("{ products { upc name } }") for _ in range(10)]
            answers += await asyncio.gather(*batch)
        return answers

    # both versions of the subgraph answer the fields asked for
    answers, _ = await asyncio.gather(ask_many(), swap())
    assert len(answers) == 300
    assert all(a == {"data": {"products": [{"upc": "1", "name": "Lidah buaya"}]}} for a in answers)
    assert swaps == 6


@dataclass
class Registry:
    """A schema registry serving the supergraph with an ETag; counts 200s and 304s."""

    text: str
    answers: list[int]

    async def supergraph(self, request: Request) -> Response:
        etag = f'"{hash(self.text)}"'
        if request.headers.get("if-none-match") == etag:
            self.answers.append(304)
            return Response(status_code=304, headers={"etag": etag})
        self.answers.append(200)
        return PlainTextResponse(self.text, headers={"etag": etag})


async def test_a_supergraph_url_is_polled_with_its_etag() -> None:
    registry = Registry(V1, [])
    registry_sock = bind_socket("127.0.0.1", 0)
    registry_server = EmbeddedServer(
        Starlette(routes=[Route("/supergraph", registry.supergraph)]), registry_sock
    )
    registry_task = asyncio.create_task(registry_server.run_on_socket())
    while not registry_server.started:
        await asyncio.sleep(0.01)
    config = config_from_mapping(
        {
            "supergraph": f"http://127.0.0.1:{registry_server.port}/supergraph",
            "server": {"supergraph_poll": 0.05},
            "access": {"call_signing": "none"},
        },
        {},
        {},
    )
    versions = Versions()
    # the registry is served by this event loop: the first, blocking read runs beside it
    engine = await asyncio.to_thread(build_engine, config, HttpxTransport.for_apps({URL: versions}))
    sock = bind_socket("127.0.0.1", 0)
    server = EmbeddedServer(create_app(engine, config), sock, lifespan="on")
    task = asyncio.create_task(server.run_on_socket())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            gateway = Running(f"http://127.0.0.1:{server.port}", Path(), client, versions)
            await asyncio.sleep(0.3)
            # the start and the first look read it whole; later looks cost a 304
            assert registry.answers[:2] == [200, 200] and set(registry.answers[2:]) == {304}
            versions.current = "v2"
            registry.text = V2
            await gateway.reloads(1)
            assert (await gateway.ask("{ products { price } }"))["data"] == {
                "products": [{"price": 15000}]
            }
    finally:
        server.should_exit = True
        registry_server.should_exit = True
        await task
        await registry_task


def test_sighup_takes_a_new_supergraph_in_the_running_process(tmp_path: Path) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(V1)
    with bind_socket("127.0.0.1", 0) as sock:
        port = sock.getsockname()[1]
    environment = {
        **os.environ,
        "SIMPUL_CALL_SIGNING": "none",
        "SIMPUL_SUPERGRAPH_POLL": "0",  # only when told
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gateway.cli",
            "gateway",
            "--supergraph",
            str(supergraph),
            "--port",
            str(port),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    fields = '{ __type(name: "Product") { fields { name } } }'

    def product_fields() -> list[str]:
        body = httpx.post(f"{base}/graphql", json={"query": fields}).json()
        return [f["name"] for f in body["data"]["__type"]["fields"]]

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/ready").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        assert product_fields() == ["upc", "name"]
        supergraph.write_text(V2)
        time.sleep(0.3)
        assert product_fields() == ["upc", "name"]  # not polled: nothing happens yet
        process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while httpx.get(f"{base}/ready").json()["supergraph"]["reloads"] < 1:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert product_fields() == ["upc", "name", "price"]
        assert process.poll() is None  # SIGHUP no longer ends the process
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
        if process.stderr is not None:
            process.stderr.close()
