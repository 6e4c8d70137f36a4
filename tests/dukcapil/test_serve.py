"""``python -m subgraphs.dukcapil.serve``: the registry prepared once and cached, its status
service, and the ports the city's ``make up`` expects."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest

from subgraphs.dukcapil import serve
from subgraphs.toolkit.adapters import sqlite_url
from tests.support.audit import AuditFiles

from .conftest import SCALE


async def test_prepare_then_status(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "cache" / "siak.sqlite")
    first = await serve.prepare_database(url, scale=SCALE)
    assert first.loaded and (tmp_path / "cache" / "siak.sqlite").exists()
    assert not (await serve.prepare_database(url, scale=SCALE)).loaded  # cached
    app = serve.simulator_app(url)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),  # closes the app's connections
        httpx.AsyncClient(transport=transport, base_url="http://siak") as client,
    ):
        assert (await client.get("/health")).json() == {"status": "ok", "database": "sqlite"}
        rows = (await client.get("/api/status")).json()["rows"]
    assert rows["BIODATA_WNI"] == first.penduduk
    assert rows["DATA_KELUARGA"] == first.keluarga
    assert rows["SETUP_KEL"] == 29 and rows["SETUP_KEC"] == 6


async def test_subgraph_app_reads_the_database(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch, audit: AuditFiles
) -> None:
    monkeypatch.setenv("SIMPUL_CALL_SIGNING", "none")
    for name, value in audit.env("dukcapil").items():
        monkeypatch.setenv(name, value)
    app = serve.subgraph_app("http://127.0.0.1:4101", db_url=sqlite_db)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://dukcapil") as client,
    ):
        response = await client.post("/graphql", json={"query": "{ pendudukKota { jumlah } }"})
    assert response.json()["data"]["pendudukKota"]["jumlah"] > 1000


def test_ports() -> None:
    assert (serve.SIMULATOR_PORT, serve.SUBGRAPH_PORT) == (4101, 4011)
    assert serve.default_url().endswith(".cache/dukcapil-siak.sqlite") or serve.default_url()


async def test_the_sqlite_registry_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "registry" / "siak.sqlite"
    await serve.prepare_database(sqlite_url(path), scale=SCALE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # a registry made before: put right on the next start
    await serve.prepare_database(sqlite_url(path), scale=SCALE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
