"""A database that cannot answer fails the budget fields only, with an ``extensions.code``;
the OPD's key (all this subgraph knows without SIPD) still resolves."""

from __future__ import annotations

import socket
from pathlib import Path

from subgraphs.toolkit.adapters import SqlSource, sqlite_url

from .conftest import wire

QUERY = """query ($r: [_Any!]!) {
  _entities(representations: $r) { ... on Opd { kode anggaran(tahun: 2025) { pagu } } }
  tahunAnggaran
}"""
REPRESENTATIONS = {
    "r": [
        {"__typename": "Opd", "kode": "5.02.0.00.0.00.01.0000"},
        {"__typename": "Opd", "kode": "1.02.0.00.0.00.01.0000"},
    ]
}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def assert_budget_fields_fail(url: str, code: str) -> None:
    subgraph = await wire(url, timeout=1.0)
    try:
        body = await subgraph.query(QUERY, REPRESENTATIONS)
    finally:
        await subgraph.client.aclose()
        await subgraph.database.aclose()
    data = body["data"]
    assert data["tahunAnggaran"] is None
    assert [e["kode"] for e in data["_entities"]] == [r["kode"] for r in REPRESENTATIONS["r"]]
    assert all(e["anggaran"] is None for e in data["_entities"])
    paths = sorted(str(error["path"]) for error in body["errors"])
    assert paths == sorted(
        [
            str(["_entities", 0, "anggaran"]),
            str(["_entities", 1, "anggaran"]),
            str(["tahunAnggaran"]),
        ]
    )
    for error in body["errors"]:
        assert error["extensions"] == {"code": code, "upstream": "sipd"}
        assert "SELECT" not in error["message"] and "127.0.0.1" not in error["message"]


async def test_unreachable_mariadb() -> None:
    await assert_budget_fields_fail(
        f"mariadb://root@127.0.0.1:{closed_port()}/test", "UPSTREAM_UNAVAILABLE"
    )


async def test_database_without_the_tables(tmp_path: Path) -> None:
    await assert_budget_fields_fail(sqlite_url(tmp_path / "empty.sqlite"), "UPSTREAM_BAD_RESPONSE")


async def test_corrupt_rows_are_a_bad_response(sqlite_db: str) -> None:
    async with SqlSource("sipd", sqlite_db) as source:
        await source.execute("UPDATE d_realisasi_bulan SET bulan = 13 WHERE bulan = 12")
    subgraph = await wire(sqlite_db)
    try:
        body = await subgraph.query(QUERY, REPRESENTATIONS)
    finally:
        await subgraph.client.aclose()
        await subgraph.database.aclose()
    assert body["data"]["tahunAnggaran"] == [2024, 2025, 2026]
    assert {error["extensions"]["code"] for error in body["errors"]} == {"UPSTREAM_BAD_RESPONSE"}
