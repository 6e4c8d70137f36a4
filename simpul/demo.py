"""``make demo``: the demo subgraphs and the gateway in one process, on 127.0.0.1.

``python -m simpul.demo [--host H] [--port P]`` serves the ``products`` (4001) and
``reviews`` (4002) subgraphs of ``subgraphs/demo`` and the gateway over
``schema/demo/supergraph.graphql`` (on ``H:P``, default 127.0.0.1:4000), prints the URLs,
and stops everything on Ctrl-C. The query plan opt-in is on, as befits a demo.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from gateway.bootstrap import build_engine
from gateway.config import ConfigError, load_config
from gateway.server import create_app
from gateway.server.embedded import EmbeddedServer, bind_socket, serve_together
from gateway.supergraph import SupergraphError
from subgraphs.demo import DEMO_SUBGRAPHS

__all__ = ["DEMO_SUPERGRAPH", "main"]

DEMO_SUPERGRAPH = Path(__file__).resolve().parents[1] / "schema" / "demo" / "supergraph.graphql"
SUBGRAPH_HOST = "127.0.0.1"  # the composed supergraph routes there


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo until interrupted; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m simpul.demo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="gateway address (127.0.0.1)")
    parser.add_argument("--port", type=int, default=4000, help="gateway port (4000)")
    parser.add_argument("--supergraph", default=str(DEMO_SUPERGRAPH), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        config = load_config(
            None,
            os.environ,
            {
                "supergraph": args.supergraph,
                "server.host": args.host,
                "server.port": args.port,
                "engine.expose_query_plan": True,
                # the demo's subgraphs are plain strawberry apps that check no signature
                "access.call_signing": "none",
            },
        )
        engine = build_engine(config)
    except (ConfigError, SupergraphError) as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1

    addresses = [(SUBGRAPH_HOST, s.port) for s in DEMO_SUBGRAPHS]
    addresses.append((config.server.host, config.server.port))
    try:
        *subgraph_sockets, gateway_socket = _bind_all(addresses)
    except OSError as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1
    servers = [
        EmbeddedServer(importlib.import_module(s.module).app, sock, lifespan="off")
        for s, sock in zip(DEMO_SUBGRAPHS, subgraph_sockets, strict=True)
    ]
    gateway = EmbeddedServer(create_app(engine, config), gateway_socket, lifespan="on")
    servers.append(gateway)

    def announce() -> None:
        base = f"http://{_url_host(config.server.host)}:{gateway.port}"
        lines = ["Simpul demo is running:"]
        lines.append(f"  {'gateway':<10} {base}/graphql  (open it in a browser to explore)")
        lines += [f"  {s.name:<10} {s.url}" for s in DEMO_SUBGRAPHS]
        lines.append(f"  {'health':<10} {base}/health  {base}/ready")
        lines.append("Press Ctrl-C to stop.")
        print("\n".join(lines), flush=True)

    started = asyncio.run(serve_together(servers, announce))
    print("Simpul demo stopped." if started else "demo: a server failed to start", flush=True)
    return 0 if started else 1


def _bind_all(addresses: Sequence[tuple[str, int]]) -> list[socket.socket]:
    sockets: list[socket.socket] = []
    for host, port in addresses:
        try:
            sockets.append(bind_socket(host, port))
        except OSError as error:
            for sock in sockets:
                sock.close()
            raise OSError(f"cannot listen on {host}:{port}: {error.strerror}") from error
    return sockets


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


if __name__ == "__main__":
    sys.exit(main())
