"""Run Dikbud's simulated Dapodik web service and its subgraph, on 127.0.0.1 by default.

    python -m subgraphs.dikbud.serve simulator [--host H] [--port 4104]
    python -m subgraphs.dikbud.serve subgraph [--host H] [--port 4014] [--simulator URL]

The subgraph reads ``DIKBUD_URL`` (the simulator, ``http://127.0.0.1:4104`` by default),
``DAPODIK_TOKEN`` and ``DAPODIK_PAGE_SIZE``; the simulator accepts ``DAPODIK_TOKEN``. The
token is required by both (or ``DAPODIK_TOKEN_FILE``), with no value in the code: ``make up``
generates development values in ``.cache/secrets/``. The simulator's schools are seeded in
memory, deterministically, before it starts answering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.applications import Starlette

from subgraphs.registry import city_opd
from subgraphs.toolkit import GatewayTrust, secret_from_environment
from subgraphs.toolkit.serve import command_line, run_main, serve_app

from .legacy import DapodikSimulator
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
SIMULATOR_PORT = city_opd("dikbud").simulator_port
SUBGRAPH_PORT = city_opd("dikbud").subgraph_port
# What each secret variable holds; the city launcher generates development values from it
SECRETS: Mapping[str, str] = {"DAPODIK_TOKEN": "the token of the Dapodik web service"}


def simulator_app(*, token: str | None = None) -> Starlette:
    """The simulated Dapodik web service as an ASGI app, accepting ``token`` (else
    ``DAPODIK_TOKEN``; :class:`SecretNotConfigured` without either)."""
    accepted = token or secret_from_environment(
        "DAPODIK_TOKEN", "the token of the Dapodik web service"
    )
    simulator = DapodikSimulator(tokens=(accepted,))
    return simulator.app


def subgraph_app(simulator_url: str | None = None) -> Starlette:
    """The dikbud subgraph as an ASGI app, reading the web service at ``simulator_url``."""
    from .schema import make_app

    return make_app(connect(simulator_url), trust=GatewayTrust.from_environment("dikbud"))


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
        "python -m subgraphs.dikbud.serve",
        simulator_app=simulator_app,
        subgraph_app=subgraph_app,
        simulator_port=SIMULATOR_PORT,
        subgraph_port=SUBGRAPH_PORT,
        argv=argv,
    )


if __name__ == "__main__":
    run_main(main, "subgraphs.dikbud.serve")
