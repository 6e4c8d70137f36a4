"""Fixtures: a SIAK-style SQLite registry seeded at 1/500 of the city (seeded once, copied
per test), the dukcapil subgraph over it, and a count of the SQL statements it sends."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from subgraphs.dukcapil.legacy import install
from subgraphs.dukcapil.schema import make_app
from subgraphs.dukcapil.source import SiakDatabase, configure
from subgraphs.toolkit import RetryPolicy
from subgraphs.toolkit.adapters import SqlSource, sqlite_url

SCALE = 1 / 500
FAST_RETRY = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01)
AUDIT_KEY = "test-audit-key"


@dataclass
class Wired:
    """The subgraph over ``database``; ``statements`` lists the SQL it ran."""

    database: SiakDatabase
    client: httpx.AsyncClient
    statements: list[str]

    async def query(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    def selects(self) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().startswith("SELECT")]

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.database.aclose()


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded registry for the whole run; tests get copies."""
    path = tmp_path_factory.mktemp("siak") / "siak.sqlite"

    async def seed() -> None:
        async with SqlSource("siak", sqlite_url(path)) as source:
            assert (await install(source, scale=SCALE)).loaded

    asyncio.run(seed())
    return path


@pytest.fixture
def sqlite_db(seeded_file: Path, tmp_path: Path) -> str:
    """The URL of this test's own copy of the seeded registry."""
    copy = tmp_path / "siak.sqlite"
    shutil.copyfile(seeded_file, copy)
    return sqlite_url(copy)


async def wire(url: str, prefix: str = "", timeout: float = 5.0) -> Wired:
    database = configure(url, prefix=prefix, timeout=timeout, retry=FAST_RETRY, audit_key=AUDIT_KEY)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(database.source.engine.sync_engine, "before_cursor_execute", record)
    transport = httpx.ASGITransport(app=make_app(database))
    client = httpx.AsyncClient(transport=transport, base_url="http://dukcapil")
    return Wired(database, client, statements)


@pytest.fixture
async def wired(sqlite_db: str) -> AsyncIterator[Wired]:
    subgraph = await wire(sqlite_db)
    yield subgraph
    await subgraph.aclose()
