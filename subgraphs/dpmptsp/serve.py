"""Run DPMPTSP's simulated services and its subgraph, on 127.0.0.1 by default.

    python -m subgraphs.dpmptsp.serve simulator [--host H] [--port 4106]
    python -m subgraphs.dpmptsp.serve subgraph [--host H] [--port 4016] [--simulator URL]

The subgraph reads ``DPMPTSP_URL`` (the simulator, ``http://127.0.0.1:4106`` by default)
and ``DPMPTSP_API_KEY``; the simulator accepts ``DPMPTSP_API_KEY`` (a local development
value by default). The simulator's data is seeded in memory, deterministically, before it
starts answering.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from starlette.applications import Starlette

from subgraphs.toolkit.serve import command_line, serve_app

from .legacy import DEFAULT_API_KEY, DpmptspSimulator
from .source import configure

__all__ = [
    "SIMULATOR_PORT",
    "SUBGRAPH_PORT",
    "main",
    "serve_simulator",
    "serve_subgraph",
    "simulator_app",
    "subgraph_app",
]

SIMULATOR_PORT = 4106
SUBGRAPH_PORT = 4016


def simulator_app(*, api_key: str | None = None) -> Starlette:
    """The simulated SiCantik and OSS-RBA services as one ASGI app."""
    simulator = DpmptspSimulator(
        api_keys=(api_key or os.environ.get("DPMPTSP_API_KEY", DEFAULT_API_KEY),)
    )
    return simulator.app


def subgraph_app(simulator_url: str | None = None) -> Starlette:
    """The dpmptsp subgraph as an ASGI app, reading the services at ``simulator_url``."""
    from .schema import make_app

    return make_app(configure(simulator_url))


async def serve_simulator(host: str = "127.0.0.1", port: int = SIMULATOR_PORT) -> None:
    """Serve the simulator until cancelled."""
    await serve_app(simulator_app(), host, port)


async def serve_subgraph(
    host: str = "127.0.0.1", port: int = SUBGRAPH_PORT, *, simulator_url: str | None = None
) -> None:
    """Serve the subgraph until cancelled."""
    await serve_app(subgraph_app(simulator_url), host, port)


def main(argv: Sequence[str] | None = None) -> None:
    """The command line."""
    command_line(
        "python -m subgraphs.dpmptsp.serve",
        simulator_app=simulator_app,
        subgraph_app=subgraph_app,
        simulator_port=SIMULATOR_PORT,
        subgraph_port=SUBGRAPH_PORT,
        argv=argv,
    )


if __name__ == "__main__":
    main()
