"""Serving an OPD's simulated legacy system and its subgraph, as ``make up`` runs them.

Every OPD package has a ``serve`` module with the same command line::

    python -m subgraphs.<opd>.serve simulator [--host H] [--port N]
    python -m subgraphs.<opd>.serve subgraph [--host H] [--port N] [--simulator URL]

:func:`command_line` is that command for an OPD whose two apps need nothing else;
:func:`serve_app` serves one app, for OPDs whose command takes more options.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence

import uvicorn
from starlette.types import ASGIApp

from .secrets import SecretNotConfigured
from .trust import TrustNotConfigured

__all__ = ["command_line", "run_main", "serve_app"]


def run_main(main: Callable[[], object], prog: str) -> None:
    """Run a serve command's ``main``: a secret or gateway key that is not configured ends
    it with one line naming what to set, not a traceback."""
    try:
        main()
    except (SecretNotConfigured, TrustNotConfigured) as error:
        sys.exit(f"{prog}: {error}")
    except KeyboardInterrupt:
        pass


async def serve_app(app: ASGIApp, host: str, port: int) -> None:
    """Serve ``app`` on ``host:port`` until cancelled, logging warnings only."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    await uvicorn.Server(config).serve()


def command_line(
    prog: str,
    *,
    simulator_app: Callable[[], ASGIApp],
    subgraph_app: Callable[[str | None], ASGIApp],
    simulator_port: int,
    subgraph_port: int,
    argv: Sequence[str] | None = None,
) -> None:
    """Parse ``argv`` and serve the simulator or the subgraph (the latter reading the
    simulator at ``--simulator``, or its own default when not given)."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("what", choices=("simulator", "subgraph"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--simulator", help="the simulator's URL (subgraph only)")
    args = parser.parse_args(argv)
    if args.what == "simulator":
        app, port = simulator_app(), args.port or simulator_port
    else:
        app, port = subgraph_app(args.simulator), args.port or subgraph_port
    asyncio.run(serve_app(app, args.host, port))
