"""Run DPMPTSP's simulated services and its subgraph, on 127.0.0.1 by default.

    python -m subgraphs.dpmptsp.serve simulator [--host H] [--port 4106]
    python -m subgraphs.dpmptsp.serve subgraph [--host H] [--port 4016] [--simulator URL]

The subgraph reads ``DPMPTSP_URL`` (the simulator, ``http://127.0.0.1:4106`` by default)
and ``DPMPTSP_API_KEY``; the simulator accepts ``DPMPTSP_API_KEY``. The key is required by
both (or ``DPMPTSP_API_KEY_FILE``), with no value in the code: ``make up`` generates
development values in ``.cache/secrets/``. The simulator's data is seeded in memory,
deterministically, before it starts answering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.applications import Starlette

from subgraphs.registry import city_opd
from subgraphs.toolkit import GatewayTrust, secret_from_environment
from subgraphs.toolkit.serve import command_line, run_main, serve_app

from .legacy import DpmptspSimulator
from .source import connect

__all__ = [
    "SECRETS",
    "SIMULATOR_PORT",
    "SUBGRAPH_PORT",
    "main",
    "serve_simulator",
    "serve_subgraph",
    "simulator_app",
    "subgraph_app",
]

# the ports `make up` serves them on, from the city's registry (schema/subgraphs.toml)
SIMULATOR_PORT = city_opd("dpmptsp").simulator_port
SUBGRAPH_PORT = city_opd("dpmptsp").subgraph_port
# What each secret variable holds; the city launcher generates development values from it
SECRETS: Mapping[str, str] = {"DPMPTSP_API_KEY": "the API key of SiCantik and OSS-RBA"}


def simulator_app(*, api_key: str | None = None) -> Starlette:
    """The simulated SiCantik and OSS-RBA services as one ASGI app, accepting ``api_key``
    (else ``DPMPTSP_API_KEY``; :class:`SecretNotConfigured` without either)."""
    key = api_key or secret_from_environment(
        "DPMPTSP_API_KEY", "the API key of SiCantik and OSS-RBA"
    )
    simulator = DpmptspSimulator(api_keys=(key,))
    return simulator.app


def subgraph_app(simulator_url: str | None = None) -> Starlette:
    """The dpmptsp subgraph as an ASGI app, reading the services at ``simulator_url``."""
    from .schema import make_app

    return make_app(connect(simulator_url), trust=GatewayTrust.from_environment("dpmptsp"))


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
    run_main(main, "subgraphs.dpmptsp.serve")
