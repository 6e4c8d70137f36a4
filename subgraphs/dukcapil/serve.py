"""Prepare the SIAK-style registry and run Disdukcapil's subgraph, on 127.0.0.1.

    python -m subgraphs.dukcapil.serve simulator [--host H] [--port 4101] [--db URL] [--scale S]
    python -m subgraphs.dukcapil.serve subgraph [--host H] [--port 4011] [--db URL]

The "simulator" is the registry database itself: on start it creates the tables and loads
the synthetic residents (SQLite file ``.cache/dukcapil-siak.sqlite`` unless ``--db`` or
``DUKCAPIL_DB_URL`` names another database, e.g. ``postgresql://postgres@127.0.0.1/siak``),
unless that database already holds the same seed (the last completed semester as of the
simulators' today, see :mod:`subgraphs.reference.clock`) and scale, then serves a small
status endpoint standing for the registry's host (``/health``, ``/api/status`` with row
counts). Its port opens only once the data is in place, so start it before the subgraph.
The subgraph reads the database directly; ``--simulator`` is accepted for the common
command line and not needed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.registry import city_opd
from subgraphs.toolkit import AccessRecord, GatewayTrust
from subgraphs.toolkit.adapters import SqlSource
from subgraphs.toolkit.serve import run_main, serve_app

from .legacy import Installed, install, siak_tables
from .legacy.registry import Progress
from .source import connect, default_url, table_prefix

__all__ = [
    "SECRETS",
    "SIMULATOR_PORT",
    "SUBGRAPH_PORT",
    "main",
    "prepare_database",
    "serve_simulator",
    "serve_subgraph",
    "simulator_app",
    "subgraph_app",
]

# the ports `make up` serves them on, from the city's registry (schema/subgraphs.toml)
SIMULATOR_PORT = city_opd("dukcapil").simulator_port
SUBGRAPH_PORT = city_opd("dukcapil").subgraph_port
# What each secret variable holds; the city launcher generates development values from it
SECRETS: Mapping[str, str] = {}
INSTALL_TIMEOUT = 120.0  # one INSERT batch of the full-scale load, on a slow disk

log = logging.getLogger("simpul.dukcapil")


async def prepare_database(
    url: str | None = None,
    prefix: str | None = None,
    *,
    scale: float = 1.0,
    progress: Progress | None = None,
) -> Installed:
    """Create the tables and load the seed unless the same one is present."""
    database_url = url or default_url()
    _ensure_sqlite_folder(database_url)
    async with SqlSource("siak", database_url, timeout=INSTALL_TIMEOUT) as source:
        return await install(source, table_prefix(prefix), scale=scale, progress=progress)


def log_progress(done: int, total: int, penduduk: int) -> None:
    """Say how the first load of the registry goes, about every fifth of the city (it
    takes most of a minute; later starts reuse it)."""
    if done == 1:
        log.warning("seeding the population registry, once: %d kelurahan", total)
    if done * 5 // total != (done - 1) * 5 // total or done == total:
        log.warning("seeding: %d of %d kelurahan, %d residents", done, total, penduduk)


def simulator_app(url: str | None = None, prefix: str | None = None) -> Starlette:
    """The status service of the (already prepared) registry."""
    tables = siak_tables(table_prefix(prefix))
    source = SqlSource("siak", url or default_url())

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "database": source.backend})

    async def status(request: Request) -> Response:
        counts = {}
        for table in (tables.setup_kec, tables.setup_kel, tables.data_keluarga, tables.biodata_wni):
            row = await source.fetch_one(select(func.count().label("n")).select_from(table))
            counts[table.name] = int(row["n"]) if row is not None else 0
        return JSONResponse({"database": source.backend, "rows": counts})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await source.aclose()

    return Starlette(
        routes=[Route("/health", health), Route("/api/status", status)], lifespan=lifespan
    )


def subgraph_app(simulator_url: str | None = None, *, db_url: str | None = None) -> Starlette:
    """The dukcapil subgraph as an ASGI app, reading the registry at ``db_url`` (by
    default ``DUKCAPIL_DB_URL`` or the local SQLite file). ``simulator_url`` (the status
    service) is not needed: the subgraph talks to the database."""
    from .schema import make_app

    return make_app(
        connect(db_url),
        trust=GatewayTrust.from_environment("dukcapil"),
        access_record=AccessRecord.from_environment("dukcapil"),
    )


async def serve_simulator(
    host: str = "127.0.0.1",
    port: int = SIMULATOR_PORT,
    *,
    db_url: str | None = None,
    scale: float = 1.0,
) -> None:
    """Prepare the registry, then serve its status endpoint until cancelled."""
    installed = await prepare_database(db_url, scale=scale, progress=log_progress)
    if installed.loaded:
        log.warning(
            "loaded %d residents in %d families in %.1f s",
            installed.penduduk,
            installed.keluarga,
            installed.seconds,
        )
    await serve_app(simulator_app(db_url), host, port)


async def serve_subgraph(
    host: str = "127.0.0.1", port: int = SUBGRAPH_PORT, *, db_url: str | None = None
) -> None:
    """Serve the subgraph until cancelled."""
    await serve_app(subgraph_app(db_url=db_url), host, port)


def _ensure_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(str(parsed.database))
        path.parent.mkdir(parents=True, exist_ok=True)
        # the registry holds every resident's record: its owner alone may read the file
        # (SQLite gives its journal the database file's mode)
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)


def main(argv: Sequence[str] | None = None) -> None:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m subgraphs.dukcapil.serve")
    parser.add_argument("what", choices=("simulator", "subgraph"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--db", help="database URL (default: DUKCAPIL_DB_URL or SQLite)")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the city to seed")
    parser.add_argument("--simulator", help="the status service's URL (not needed)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    if args.what == "simulator":
        asyncio.run(
            serve_simulator(
                args.host, args.port or SIMULATOR_PORT, db_url=args.db, scale=args.scale
            )
        )
    else:
        asyncio.run(serve_subgraph(args.host, args.port or SUBGRAPH_PORT, db_url=args.db))


if __name__ == "__main__":
    run_main(main, "subgraphs.dukcapil.serve")
