"""Fixtures: a seeded SIPD-style SQLite database per test, the keuangan subgraph over it,
and a count of the SQL statements the subgraph sends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from subgraphs.keuangan.legacy import install
from subgraphs.keuangan.schema import make_app
from subgraphs.keuangan.source import SipdDatabase, connect
from subgraphs.toolkit import GatewayTrust, SubgraphLimits
from subgraphs.toolkit.adapters import SqlSource, sqlite_url
from tests.support.clock import TODAY
from tests.support.wired import FAST_RETRY, Subgraph

HEAVY = SubgraphLimits(max_cost=100_000)
"""For the tests' queries that ask for everything at once: they cost more than the gateway
forwards (its max_cost is 5,000; the portal's operations cost at most about 1,500), and the
subgraph's default limits refuse them. ``@pytest.mark.parametrize("wired", [HEAVY],
indirect=True)`` serves a test with these."""


@dataclass
class Wired(Subgraph):
    """The subgraph over ``database``; ``statements`` lists the SQL it ran."""

    database: SipdDatabase
    statements: list[str]

    def selects(self) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().startswith("SELECT")]


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> str:
    """The URL of a freshly seeded SQLite database."""
    url = sqlite_url(tmp_path / "sipd.sqlite")
    async with SqlSource("sipd", url) as source:
        assert await install(source, today=TODAY)
    return url


async def wire(
    url: str, prefix: str = "", timeout: float = 5.0, limits: SubgraphLimits | None = None
) -> Wired:
    database = connect(url, prefix=prefix, timeout=timeout, retry=FAST_RETRY)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(database.source.engine.sync_engine, "before_cursor_execute", record)
    app = make_app(database, trust=GatewayTrust.unsigned(), limits=limits or SubgraphLimits())
    transport = httpx.ASGITransport(app=app)
    client = httpx.AsyncClient(transport=transport, base_url="http://keuangan")
    return Wired(client, database, statements)


@pytest.fixture
async def wired(sqlite_db: str, request: pytest.FixtureRequest) -> AsyncIterator[Wired]:
    subgraph = await wire(sqlite_db, limits=getattr(request, "param", None))
    yield subgraph
    await subgraph.client.aclose()
    await subgraph.database.aclose()
