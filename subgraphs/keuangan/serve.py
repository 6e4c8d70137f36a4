"""Prepare the SIPD-style database and run Badan Keuangan Daerah's subgraph, on 127.0.0.1.

    python -m subgraphs.keuangan.serve simulator [--host H] [--port 4103] [--db URL]
    python -m subgraphs.keuangan.serve subgraph [--host H] [--port 4013] [--db URL]

The "simulator" is the database itself: it creates the tables and loads the deterministic
seed (SQLite file ``.cache/keuangan-sipd.sqlite`` unless ``--db`` or ``KEUANGAN_DB_URL``
names another database, e.g. ``mariadb://root@127.0.0.1:3306/sipd``) on its first start
and again on the first start in a new month (the month's export as of the simulators'
today, see :mod:`subgraphs.reference.clock`), then serves a small status endpoint standing
for SIPD's export host (``/health``, ``/api/status`` with row counts). Its port opens only
once the data is in place, so start it before the subgraph.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.registry import city_opd
from subgraphs.toolkit import GatewayTrust
from subgraphs.toolkit.adapters import SqlSource
from subgraphs.toolkit.serve import run_main, serve_app

from .legacy.sipd import install, table_names
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
SIMULATOR_PORT = city_opd("keuangan").simulator_port
SUBGRAPH_PORT = city_opd("keuangan").subgraph_port
# What each secret variable holds; the city launcher generates development values from it
SECRETS: Mapping[str, str] = {}


async def prepare_database(url: str | None = None, prefix: str | None = None) -> bool:
    """Create the tables and load this month's export unless present; ``True`` if loaded
    now."""
    database_url = url or default_url()
    _ensure_sqlite_folder(database_url)
    async with SqlSource("sipd", database_url) as source:
        return await install(source, table_prefix(prefix))


def simulator_app(url: str | None = None, prefix: str | None = None) -> Starlette:
    """The status service of the (already prepared) database."""
    database_url = url or default_url()
    names = table_names(table_prefix(prefix))
    source = SqlSource("sipd", database_url)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "database": source.backend})

    async def status(request: Request) -> Response:
        counts = {}
        for table, name in names.items():
            row = await source.fetch_one(f"SELECT COUNT(*) AS n FROM {name}")
            counts[table] = int(row["n"]) if row is not None else 0
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


def subgraph_app(url: str | None = None, prefix: str | None = None) -> Starlette:
    """The keuangan subgraph as an ASGI app, reading the database at ``url``."""
    from .schema import make_app

    return make_app(connect(url, prefix=prefix), trust=GatewayTrust.from_environment("keuangan"))


async def serve_simulator(
    host: str = "127.0.0.1", port: int = SIMULATOR_PORT, *, db_url: str | None = None
) -> None:
    """Prepare the database, then serve its status endpoint until cancelled."""
    await prepare_database(db_url)
    await serve_app(simulator_app(db_url), host, port)


async def serve_subgraph(
    host: str = "127.0.0.1", port: int = SUBGRAPH_PORT, *, db_url: str | None = None
) -> None:
    """Serve the subgraph until cancelled."""
    await serve_app(subgraph_app(db_url), host, port)


def _ensure_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def main(argv: Sequence[str] | None = None) -> None:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m subgraphs.keuangan.serve")
    parser.add_argument("what", choices=("simulator", "subgraph"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--db", help="database URL (default: KEUANGAN_DB_URL or SQLite)")
    parser.add_argument(
        "--simulator", help="accepted for the common command line; the subgraph reads the database"
    )
    args = parser.parse_args(argv)
    if args.what == "simulator":
        asyncio.run(serve_simulator(args.host, args.port or SIMULATOR_PORT, db_url=args.db))
    else:
        asyncio.run(serve_subgraph(args.host, args.port or SUBGRAPH_PORT, db_url=args.db))


if __name__ == "__main__":
    run_main(main, "subgraphs.keuangan.serve")
