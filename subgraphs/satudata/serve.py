"""Run the simulated open-data portal (CKAN) and the satudata subgraph, on 127.0.0.1.

    python -m subgraphs.satudata.serve simulator [--host H] [--port 4107]
    python -m subgraphs.satudata.serve subgraph [--host H] [--port 4017] [--simulator URL]

The subgraph reads ``SATUDATA_URL`` (the portal, ``http://127.0.0.1:4107`` by default). The
portal is public, so neither needs a secret. The simulator builds its catalogue in memory
on start, for the simulators' today (``SIMPUL_TODAY`` pins it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.applications import Starlette

from subgraphs.reference.clock import today
from subgraphs.registry import city_opd
from subgraphs.toolkit import GatewayTrust
from subgraphs.toolkit.serve import command_line, run_main

from .legacy import CkanSimulator
from .source import connect

__all__ = ["SECRETS", "SIMULATOR_PORT", "SUBGRAPH_PORT", "main", "simulator_app", "subgraph_app"]

# the ports `make up` serves them on, from the city's registry (schema/subgraphs.toml)
SIMULATOR_PORT = city_opd("satudata").simulator_port
SUBGRAPH_PORT = city_opd("satudata").subgraph_port
# What each secret variable holds; the city launcher generates development values from it
SECRETS: Mapping[str, str] = {}


def simulator_app() -> Starlette:
    """The simulated portal as an ASGI app, its catalogue as of the simulators' today."""
    return CkanSimulator(today=today()).app


def subgraph_app(simulator_url: str | None = None) -> Starlette:
    """The satudata subgraph as an ASGI app, reading the portal at ``simulator_url``."""
    from .schema import make_app

    return make_app(connect(simulator_url), trust=GatewayTrust.from_environment("satudata"))


def main(argv: Sequence[str] | None = None) -> None:
    """The command line."""
    command_line(
        "python -m subgraphs.satudata.serve",
        simulator_app=simulator_app,
        subgraph_app=subgraph_app,
        simulator_port=SIMULATOR_PORT,
        subgraph_port=SUBGRAPH_PORT,
        argv=argv,
    )


if __name__ == "__main__":
    run_main(main, "subgraphs.satudata.serve")
