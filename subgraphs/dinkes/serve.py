"""Run Dinkes' exporter and its subgraph, on 127.0.0.1 by default.

    python -m subgraphs.dinkes.serve simulator [--host H] [--port 4105] [--exports DIR]
                                               [--redrop SECONDS]
    python -m subgraphs.dinkes.serve subgraph [--host H] [--port 4015] [--exports DIR]

Both use the folder ``--exports``, else ``DINKES_EXPORT_DIR``, else ``.cache/dinkes-exports``
in the repository. The "simulator" is Dinkes' export job: it writes both exports there
(atomically) before its ``/health`` answers, and with ``--redrop`` writes a fresh revision
that often. The subgraph reads the folder, not the simulator: ``--simulator URL`` is
accepted, as every OPD's ``serve`` takes it, and not used.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path

from starlette.applications import Starlette

from subgraphs.registry import city_opd
from subgraphs.toolkit import GatewayTrust
from subgraphs.toolkit.serve import run_main, serve_app

from .legacy import DinkesExporter
from .source import connect, default_folder

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
SIMULATOR_PORT = city_opd("dinkes").simulator_port
SUBGRAPH_PORT = city_opd("dinkes").subgraph_port
# What each secret variable holds; the city launcher generates development values from it
SECRETS: Mapping[str, str] = {}


def simulator_app(
    export_dir: str | Path | None = None, *, redrop: float | None = None
) -> Starlette:
    """The exporter as an ASGI app: it drops the exports when the app starts."""
    folder = Path(export_dir) if export_dir is not None else default_folder()
    return DinkesExporter(folder, redrop=redrop).app


def subgraph_app(
    simulator_url: str | None = None, *, export_dir: str | Path | None = None
) -> Starlette:
    """The dinkes subgraph as an ASGI app over the export folder; ``simulator_url`` is
    ignored (the exports are files)."""
    from .schema import make_app

    return make_app(connect(export_dir), trust=GatewayTrust.from_environment("dinkes"))


async def serve_simulator(
    host: str = "127.0.0.1",
    port: int = SIMULATOR_PORT,
    *,
    export_dir: str | Path | None = None,
    redrop: float | None = None,
) -> None:
    """Serve the exporter until cancelled."""
    await serve_app(simulator_app(export_dir, redrop=redrop), host, port)


async def serve_subgraph(
    host: str = "127.0.0.1", port: int = SUBGRAPH_PORT, *, export_dir: str | Path | None = None
) -> None:
    """Serve the subgraph until cancelled."""
    await serve_app(subgraph_app(export_dir=export_dir), host, port)


def main(argv: Sequence[str] | None = None) -> None:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m subgraphs.dinkes.serve")
    parser.add_argument("what", choices=("simulator", "subgraph"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--exports", help="the export folder (default: DINKES_EXPORT_DIR)")
    parser.add_argument("--redrop", type=float, help="seconds between drops (simulator only)")
    parser.add_argument("--simulator", help="accepted for the common command line; unused")
    args = parser.parse_args(argv)
    if args.what == "simulator":
        asyncio.run(
            serve_simulator(
                args.host,
                args.port or SIMULATOR_PORT,
                export_dir=args.exports,
                redrop=args.redrop,
            )
        )
    else:
        asyncio.run(serve_subgraph(args.host, args.port or SUBGRAPH_PORT, export_dir=args.exports))


if __name__ == "__main__":
    run_main(main, "subgraphs.dinkes.serve")
