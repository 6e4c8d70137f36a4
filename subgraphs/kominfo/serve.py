"""Run Diskominfo's simulated service and its subgraph, on 127.0.0.1 by default.

    python -m subgraphs.kominfo.serve simulator [--host H] [--port 4102]
    python -m subgraphs.kominfo.serve subgraph [--host H] [--port 4012] [--simulator URL]

The subgraph reads ``KOMINFO_URL`` (the simulator, ``http://127.0.0.1:4102`` by default),
``KOMINFO_API_KEY``, ``LAPOR_URL`` and ``LAPOR_TOKEN``; the simulator accepts
``KOMINFO_API_KEY`` and ``LAPOR_TOKEN``. Both secrets are required by both (or their
``_FILE`` variants), with no value in the code: ``make up`` generates development values in
``.cache/secrets/``. The simulator's data is seeded in memory, deterministically, on start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from starlette.applications import Starlette

from subgraphs.registry import city_opd
from subgraphs.toolkit import AccessRecord, GatewayTrust, secret_from_environment
from subgraphs.toolkit.serve import command_line, run_main, serve_app

from .legacy import KominfoSimulator
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
SIMULATOR_PORT = city_opd("kominfo").simulator_port
SUBGRAPH_PORT = city_opd("kominfo").subgraph_port
# What each secret variable holds; the city launcher generates development values from it
SECRETS: Mapping[str, str] = {
    "KOMINFO_API_KEY": "the API key of Diskominfo's catalogue API",
    "LAPOR_TOKEN": "the token of the LAPOR! connector",
}


def simulator_app(*, api_key: str | None = None, lapor_token: str | None = None) -> Starlette:
    """The simulated Diskominfo service as an ASGI app, accepting ``api_key`` and
    ``lapor_token`` (else ``KOMINFO_API_KEY`` and ``LAPOR_TOKEN``; :class:`SecretNotConfigured`
    without either)."""
    key = api_key or secret_from_environment(
        "KOMINFO_API_KEY", "the API key of Diskominfo's catalogue API"
    )
    token = lapor_token or secret_from_environment(
        "LAPOR_TOKEN", "the token of the LAPOR! connector"
    )
    simulator = KominfoSimulator(api_keys=(key,), lapor_tokens=(token,))
    return simulator.app


def subgraph_app(simulator_url: str | None = None) -> Starlette:
    """The kominfo subgraph as an ASGI app, reading the service at ``simulator_url``."""
    from .schema import make_app

    record = (
        AccessRecord.from_environment("kominfo") if os.environ.get("SIMPUL_AUDIT_STORE") else None
    )
    return make_app(
        connect(simulator_url),
        trust=GatewayTrust.from_environment("kominfo"),
        access_record=record,
    )


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
        "python -m subgraphs.kominfo.serve",
        simulator_app=simulator_app,
        subgraph_app=subgraph_app,
        simulator_port=SIMULATOR_PORT,
        subgraph_port=SUBGRAPH_PORT,
        argv=argv,
    )


if __name__ == "__main__":
    run_main(main, "subgraphs.kominfo.serve")
