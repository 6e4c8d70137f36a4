"""Slow and greedy clients against a real ``simpul gateway``: connections that trickle their
headers or body are closed, one address cannot hold more than its share of connections or
requests, an answer nobody reads is dropped, and an ordinary client is served meanwhile."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from uvicorn.server import ServerState

from gateway.config import GatewayConfig, ServerSettings
from gateway.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.server import create_app
from gateway.server.connections import GuardedHttpToolsProtocol, install
from tests.support.gateway_process import start_gateway, stop_gateway, wait_ready
from tests.support.schema_engine import SchemaEngine

SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "demo" / "supergraph.graphql"


@pytest.fixture(scope="module")
def gateway() -> Iterator[tuple[str, int]]:
    env = {
        "SIMPUL_CALL_SIGNING": "none",
        "SIMPUL_HEADER_TIMEOUT": "1",
        "SIMPUL_BODY_TIMEOUT": "1",
        "SIMPUL_MAX_CONNECTIONS_PER_CLIENT": "20",
    }
    process, url = start_gateway("--supergraph", str(SUPERGRAPH), env=env)
    try:
        wait_ready(url)
        yield url, int(url.rsplit(":", 1)[1])
    finally:
        assert stop_gateway(process) == 0


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes ``sock`` within ``seconds`` (reading what it sends)."""
    sock.settimeout(0.2)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True
    return False


def test_clients_trickling_their_headers_are_closed(gateway: tuple[str, int]) -> None:
    url, port = gateway
    slow = []
    for _ in range(15):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        slow.append(sock)
    started = time.monotonic()
    # meanwhile an ordinary client is answered
    assert httpx.post(f"{url}/graphql", json={"query": "{ __typename }"}).status_code == 200
    assert all(closed_within(sock, 5.0) for sock in slow)
    assert time.monotonic() - started < 5.0
    for sock in slow:
        sock.close()


def test_a_body_trickled_slower_than_the_deadline_is_dropped(gateway: tuple[str, int]) -> None:
    _, port = gateway
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"query": '
        )
        for _ in range(4):
            time.sleep(0.3)
            try:
                sock.sendall(b" ")
            except OSError:
                break
        assert closed_within(sock, 4.0)


def test_one_address_holds_at_most_its_share_of_connections(gateway: tuple[str, int]) -> None:
    url, port = gateway
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
    try:
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", port))
        assert closed_within(extra, 2.0)
        extra.close()
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    assert httpx.post(f"{url}/graphql", json={"query": "{ __typename }"}).status_code == 200


class Waiting(SchemaEngine):
    """Answers only once released: requests stay in flight as long as a test wants."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResponse:
        await self.release.wait()
        return await super().execute(request, context)


async def test_one_address_has_at_most_its_share_of_requests_in_flight() -> None:
    engine = Waiting()
    config = GatewayConfig(server=ServerSettings(max_requests_per_client=3))
    app = create_app(engine, config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://g"
    ) as client:
        body = {"query": "{ __typename }"}
        waiting = [asyncio.create_task(client.post("/graphql", json=body)) for _ in range(3)]
        await asyncio.sleep(0.05)
        refused = await client.post("/graphql", json=body)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
        engine.release.set()
        assert [(await task).status_code for task in waiting] == [200, 200, 200]
        assert (await client.post("/graphql", json=body)).status_code == 200


async def test_an_answer_over_the_size_limit_is_not_sent() -> None:
    config = GatewayConfig(server=ServerSettings(max_response_bytes=200))
    app = create_app(SchemaEngine(), config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://g"
    ) as client:
        answer = await client.post(
            "/graphql",
            json={"query": "{ __schema { types { name } } }"},
            headers={"accept": "application/graphql-response+json"},
        )
    assert answer.status_code == 500
    [error] = answer.json()["errors"]
    assert error["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    assert len(answer.content) < 400


class FakeTransport:
    def __init__(self) -> None:
        self.aborted = False

    def abort(self) -> None:
        self.aborted = True

    def is_closing(self) -> bool:
        return self.aborted

    def close(self) -> None:
        self.aborted = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("10.0.0.9", 5000), "sockname": ("127.0.0.1", 4000)}.get(name, default)


async def test_an_answer_left_unread_drops_its_connection() -> None:
    install(ServerSettings(write_timeout=0.1))
    config = uvicorn.Config(app=SchemaEngine, factory=True, log_level="warning")
    config.load()
    protocol = GuardedHttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
    transport = FakeTransport()
    protocol.connection_made(transport)  # type: ignore[arg-type]
    protocol.pause_writing()  # the client stopped reading: the buffer is full
    await asyncio.sleep(0.3)
    assert transport.aborted
    protocol.connection_lost(None)
    install(ServerSettings())
