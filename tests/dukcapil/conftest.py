"""Fixtures: a SIAK-style SQLite registry seeded at 1/500 of the city (seeded once, copied
per test), the dukcapil subgraph over it, serving only calls the gateway signs, and a count
of the SQL statements it sends."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import event

from gateway.access.call_token import (
    CALL_HEADER,
    CallClaims,
    CallSigner,
    CallVerifier,
    generate_master_key,
)
from subgraphs.dukcapil.legacy import install
from subgraphs.dukcapil.schema import make_app
from subgraphs.dukcapil.source import SiakDatabase, connect
from subgraphs.toolkit import AccessRecord, GatewayTrust
from subgraphs.toolkit.adapters import SqlSource, sqlite_url
from tests.support.audit import AuditFiles
from tests.support.clock import TODAY
from tests.support.wired import FAST_RETRY

SCALE = 1 / 500
GATEWAY = CallSigner.from_key_text("hmac", generate_master_key())
CLIENT = "PNK/GOV/1.06.01/siks"
PURPOSE = "Pendaftaran bantuan sosial"
SIGNED = CallClaims("req-1", CLIENT, "198709152010011003", PURPOSE)
"""What the gateway's signed calls say by default: a granted application and its purpose."""


@dataclass
class Wired:
    """The subgraph over ``database``; ``statements`` lists the SQL it ran."""

    database: SiakDatabase
    client: httpx.AsyncClient
    statements: list[str]
    record: AccessRecord

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        claims: CallClaims | None = SIGNED,
    ) -> httpx.Response:
        """POST as the gateway does: signed with ``claims`` (``None``: unsigned)."""
        body = orjson.dumps({"query": query, "variables": variables or {}})
        headers = {"content-type": "application/json"}
        if claims is not None:
            headers[CALL_HEADER] = GATEWAY.token("dukcapil", body, claims)
        return await self.client.post("/graphql", content=body, headers=headers)

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, claims: CallClaims = SIGNED
    ) -> Any:
        response = await self.post(query, variables, claims)
        assert response.status_code == 200, response.text
        return response.json()

    def selects(self) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().startswith("SELECT")]

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.database.aclose()
        await self.record.aclose()


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded registry for the whole run; tests get copies."""
    path = tmp_path_factory.mktemp("siak") / "siak.sqlite"

    async def seed() -> None:
        async with SqlSource("siak", sqlite_url(path)) as source:
            assert (await install(source, scale=SCALE, today=TODAY)).loaded

    asyncio.run(seed())
    return path


@pytest.fixture
def sqlite_db(seeded_file: Path, tmp_path: Path) -> str:
    """The URL of this test's own copy of the seeded registry."""
    copy = tmp_path / "siak.sqlite"
    shutil.copyfile(seeded_file, copy)
    return sqlite_url(copy)


async def wire(
    audit: AuditFiles, url: str, prefix: str = "", timeout: float = 5.0, today: date = TODAY
) -> Wired:
    database = connect(url, prefix=prefix, timeout=timeout, retry=FAST_RETRY, today=today)
    record = AccessRecord(audit.trail("dukcapil"), "dukcapil")
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(database.source.engine.sync_engine, "before_cursor_execute", note)
    trust = GatewayTrust(CallVerifier.from_texts("dukcapil", GATEWAY.verification_key("dukcapil")))
    transport = httpx.ASGITransport(app=make_app(database, trust=trust, access_record=record))
    client = httpx.AsyncClient(transport=transport, base_url="http://dukcapil")
    return Wired(database, client, statements, record)


@pytest.fixture
async def wired(sqlite_db: str, audit: AuditFiles) -> AsyncIterator[Wired]:
    subgraph = await wire(audit, sqlite_db)
    yield subgraph
    await subgraph.aclose()
