"""Serve a scenario's subgraphs over HTTP, one port each, on one event loop.

    python -m bench.server SCENARIO [--host 127.0.0.1] [--latency-ms MS]

Prints one JSON line ``{"subgraph": port, ...}`` once every port listens, then serves until
SIGTERM or SIGINT. The HTTP layer is a bare HTTP/1.1 keep-alive server (uvloop and
httptools, as uvicorn uses them) so that a cached answer costs microseconds:

- ``POST`` any path: the subgraph's answer to the body (see :class:`bench.federation.Subgraph`),
  written ``--latency-ms`` after the request (default: the scenario's, usually 0) by a
  timer of the event loop, which serves every other connection meanwhile;
- ``GET /stats``: the subgraph's counters as JSON, at once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import signal
import sys
from typing import cast

import httptools
import orjson
import uvloop

from bench.federation import Subgraph
from bench.scenarios import load_scenario

__all__ = ["SubgraphProtocol", "main"]

_STATUS = {200: b"200 OK", 400: b"400 Bad Request", 405: b"405 Method Not Allowed"}


class SubgraphProtocol(asyncio.Protocol):
    """One client connection to one subgraph; answers requests in order."""

    def __init__(self, subgraph: Subgraph, latency: float = 0.0) -> None:
        """``latency``: seconds between a request and its answer."""
        self.subgraph = subgraph
        self.latency = latency
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.url = b""
        self.body: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but behave as one.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self._send(400, b'{"errors":[{"message":"bad HTTP request"}]}', keep_alive=False)

    # httptools callbacks
    def on_message_begin(self) -> None:
        self.url = b""
        self.body = []

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        method = self.parser.get_method()
        keep_alive = self.parser.should_keep_alive()
        if method == b"POST":
            answer = self.subgraph.answer(b"".join(self.body))
            if self.latency:
                # Timers of one delay fire in the order they were set: answers on one
                # connection keep the order of its requests.
                loop = asyncio.get_running_loop()
                loop.call_later(self.latency, self._send, 200, answer, keep_alive)
            else:
                self._send(200, answer, keep_alive)
        elif method == b"GET" and self.url.startswith(b"/stats"):
            self._send(200, orjson.dumps(self.subgraph.stats()), keep_alive)
        else:
            self._send(405, b'{"errors":[{"message":"POST a GraphQL request"}]}', keep_alive)

    def _send(self, status: int, payload: bytes, keep_alive: bool) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        head = b"HTTP/1.1 %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n" % (
            _STATUS[status],
            len(payload),
        )
        if not keep_alive:
            head += b"connection: close\r\n"
        transport.write(head + b"\r\n" + payload)
        if not keep_alive:
            transport.close()


async def serve(scenario_name: str, host: str, latency_ms: float | None = None) -> None:
    scenario = load_scenario(scenario_name)
    subgraphs = scenario.build_subgraphs()
    latency = (scenario.subgraph_latency_ms if latency_ms is None else latency_ms) / 1000
    loop = asyncio.get_running_loop()
    servers = []
    ports: dict[str, int] = {}
    for name in scenario.subgraph_names:
        server = await loop.create_server(
            functools.partial(SubgraphProtocol, subgraphs[name], latency), host, 0, backlog=1024
        )
        servers.append(server)
        ports[name] = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(json.dumps(ports), flush=True)
    await stop.wait()
    for server in servers:
        server.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(asyncio.gather(*(s.wait_closed() for s in servers)), 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server", description=__doc__)
    parser.add_argument("scenario")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--latency-ms", type=float, default=None, help="wait before each answer (ms)"
    )
    args = parser.parse_args(argv)
    uvloop.run(serve(args.scenario, args.host, args.latency_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
