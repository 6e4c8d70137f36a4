"""Fixtures: both exports dropped in a temporary folder and the dinkes subgraph reading it,
driven in process through httpx's ASGI transport. Faults are files: removed, truncated,
replaced with something broken."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from subgraphs.dinkes.legacy import CSV_EXPORT, JSON_EXPORT, write_exports
from subgraphs.dinkes.schema import make_app
from subgraphs.dinkes.source import DinkesExports, connect
from subgraphs.toolkit import GatewayTrust
from subgraphs.toolkit.adapters import FileExportSource, Record
from tests.support.clock import TODAY
from tests.support.wired import Subgraph


@dataclass
class Wired(Subgraph):
    """The export folder, the adapters (with their reads and parses counted) and a client
    of the subgraph."""

    folder: Path
    source: DinkesExports
    parses: Counter[str]

    def replace(self, filename: str, content: bytes) -> None:
        """Put ``content`` in place of an export, as a careless copy would: in place, with
        a modification time the adapter cannot mistake for the old one's."""
        path = self.folder / filename
        old = path.stat().st_mtime_ns if path.exists() else 0
        path.write_bytes(content)
        os.utime(path, ns=(old + 10**9, old + 10**9))

    def read(self, filename: str) -> bytes:
        return (self.folder / filename).read_bytes()


def _counting(source: FileExportSource, parses: Counter[str]) -> None:
    # Counts real reads of a file's bytes, not the cheap "has it changed?" checks
    parse: Callable[[Path], list[Record]] = source._parse

    def counted(path: Path) -> list[Record]:
        parses[path.name] += 1
        return parse(path)

    source._parse = counted  # type: ignore[method-assign]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    where = tmp_path / "dinkes-exports"
    write_exports(where, TODAY)
    return where


@pytest.fixture
async def wired(folder: Path) -> AsyncIterator[Wired]:
    source = connect(folder)
    parses: Counter[str] = Counter()
    _counting(source.satusehat, parses)
    _counting(source.registri, parses)
    transport = httpx.ASGITransport(app=make_app(source, trust=GatewayTrust.unsigned()))
    async with httpx.AsyncClient(transport=transport, base_url="http://dinkes") as client:
        yield Wired(client, folder, source, parses)
    await source.aclose()


__all__ = ["CSV_EXPORT", "JSON_EXPORT", "Wired"]
