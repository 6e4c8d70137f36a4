"""SQL legacy systems through SQLAlchemy's async engine: SQLite, PostgreSQL, MariaDB.

A plain URL picks the async driver: ``sqlite:///data.db`` → aiosqlite,
``postgresql://user@host/db`` → asyncpg, ``mariadb://`` or ``mysql://`` → aiomysql (a URL
that names its driver, ``postgresql+asyncpg://``, is kept). Queries are parameterised:
values go in ``params`` and never into the SQL text.

Every call has a deadline (on SQLite the awaiting call stops, but the query itself runs to
its end in aiosqlite's thread); reads (``fetch_*``) are retried on transient failures, writes
(``execute``) are not; failures become :mod:`subgraphs.toolkit.errors` classes (see
:mod:`.sql_errors`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Executable, column, literal_column, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql.expression import ColumnClause

from ..retry import RetryPolicy, with_retries
from ..tracing import legacy_call
from .sql_errors import upstream_error

__all__ = ["Row", "SqlSource", "async_url", "sqlite_url"]

Row = dict[str, Any]
T = TypeVar("T")

ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "mariadb": "mariadb+aiomysql",
    "mysql": "mysql+aiomysql",
}


def sqlite_url(path: str | Path) -> str:
    """The async URL of the SQLite file at ``path``."""
    return f"sqlite+aiosqlite:///{Path(path)}"


def async_url(url: str) -> str:
    """``url`` with the async driver for its database when it names none."""
    parsed = make_url(url)
    if "+" in parsed.drivername:
        return url
    driver = ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported database {parsed.drivername!r}: use SQLite, PostgreSQL or MariaDB"
        )
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


class SqlSource:
    """A legacy database, read with parameterised queries.

    ``timeout`` bounds one try of one call, connecting included. ``chunk_size`` caps the
    keys of one ``IN (...)`` list: PostgreSQL and SQLite limit bound parameters per query.
    """

    def __init__(
        self,
        name: str,
        url: str,
        *,
        timeout: float = 5.0,
        retry: RetryPolicy | None = None,
        pool_size: int = 5,
        chunk_size: int = 1000,
    ) -> None:
        if timeout <= 0 or chunk_size < 1:
            raise ValueError("timeout must be positive and chunk_size at least 1")
        self.name = name
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.chunk_size = chunk_size
        full_url = make_url(async_url(url))
        backend = full_url.get_backend_name()
        options: dict[str, Any] = {"pool_pre_ping": True}
        if backend == "postgresql":
            options.update(pool_size=pool_size, connect_args={"timeout": timeout})
        elif backend in ("mysql", "mariadb"):
            # MariaDB drops idle connections after wait_timeout (8 h by default)
            options.update(
                pool_size=pool_size, pool_recycle=3600, connect_args={"connect_timeout": timeout}
            )
        else:
            options.update(connect_args={"timeout": timeout})
        self.engine: AsyncEngine = create_async_engine(full_url, **options)
        # what a span says of the database: its system, never a statement or its parameters
        self._traced = {"db.system.name": backend}

    @property
    def backend(self) -> str:
        """``sqlite``, ``postgresql``, ``mysql`` or ``mariadb``."""
        return str(self.engine.url.get_backend_name())

    async def fetch_all(
        self, sql: str | Executable, params: Mapping[str, Any] | None = None
    ) -> list[Row]:
        """All rows of a query, as dicts; ``sql`` uses ``:name`` placeholders for ``params``."""

        async def run(connection: AsyncConnection) -> list[Row]:
            result = await connection.execute(_statement(sql), dict(params or {}))
            return [dict(row) for row in result.mappings()]

        return await self._read(run)

    async def fetch_one(
        self, sql: str | Executable, params: Mapping[str, Any] | None = None
    ) -> Row | None:
        """The first row of a query, or ``None`` when it returns no row."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_by_keys(
        self,
        table_name: str,
        key_column: str,
        keys: Sequence[Hashable],
        *,
        columns: Sequence[str] | None = None,
        schema: str | None = None,
    ) -> list[Row]:
        """Rows of ``table_name`` whose ``key_column`` is one of ``keys``: one query per
        ``chunk_size`` keys, for a DataLoader's batch. Names are quoted, keys bound."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return []
        source = table(table_name, schema=schema)
        selected: list[ColumnClause[Any]] = (
            [column(name) for name in columns] if columns else [literal_column("*")]
        )
        key: ColumnClause[Any] = column(key_column)
        chunks = [
            unique[start : start + self.chunk_size]
            for start in range(0, len(unique), self.chunk_size)
        ]

        async def run(connection: AsyncConnection) -> list[Row]:
            rows: list[Row] = []
            for chunk in chunks:
                query = select(*selected).select_from(source).where(key.in_(chunk))
                result = await connection.execute(query)
                rows.extend(dict(row) for row in result.mappings())
            return rows

        return await self._read(run)

    async def execute(
        self,
        sql: str | Executable,
        params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    ) -> int:
        """Run a write in its own transaction and return the rows it touched; never retried.

        A sequence of parameter sets runs the statement once for each (``executemany``),
        in the same transaction: the way to load seed data. Its count may be -1, as some
        drivers (asyncpg) do not report one for ``executemany``.
        """
        bound: dict[str, Any] | list[dict[str, Any]] = (
            dict(params or {})
            if params is None or isinstance(params, Mapping)
            else [dict(each) for each in params]
        )

        async def run() -> int:
            async with self.engine.begin() as connection:
                result = await connection.execute(_statement(sql), bound)
                return int(result.rowcount)

        return await self._guarded(run)

    async def _read(self, run: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        async def attempt() -> T:
            async with self.engine.connect() as connection:
                return await run(connection)

        return await with_retries(lambda: self._guarded(attempt), self.retry)

    async def _guarded(self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            with legacy_call(self.name, self._traced):
                async with asyncio.timeout(self.timeout):
                    return await call()
        except Exception as error:
            mapped = upstream_error(self.name, error)
            if mapped is None:
                raise
            raise mapped from error

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.engine.dispose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def _statement(sql: str | Executable) -> Executable:
    return text(sql) if isinstance(sql, str) else sql
