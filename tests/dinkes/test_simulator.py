"""The exporter: both files in their own formats, written atomically before ``/health``
answers, a fresh revision dropped periodically when asked."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from subgraphs.dinkes.legacy import CSV_EXPORT, JSON_EXPORT, DinkesExporter, fasilitas
from subgraphs.dinkes.legacy.exports import (
    ADMINISTRATIVE_CODE_URL,
    CSV_COLUMNS,
    FASYANKES_SYSTEM,
    write_atomic,
    write_exports,
)
from subgraphs.dinkes.serve import SIMULATOR_PORT, SUBGRAPH_PORT, simulator_app
from tests.support.clock import TODAY


@asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (its lifespan run) and a client of it."""
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://exporter") as client,
    ):
        yield client


def test_ports() -> None:
    assert (SIMULATOR_PORT, SUBGRAPH_PORT) == (4105, 4015)


async def test_health_answers_once_the_exports_are_in_place(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    exporter = DinkesExporter(folder, today=TODAY)
    transport = httpx.ASGITransport(app=exporter.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://exporter") as client:
        # Not started yet: nothing written, not ready
        assert (await client.get("/health")).status_code == 503
    assert not folder.exists()
    async with running(exporter.app) as client:
        assert sorted(p.name for p in folder.iterdir()) == sorted([CSV_EXPORT, JSON_EXPORT])
        response = await client.get("/health")
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "revision": 0,
            "files": [JSON_EXPORT, CSV_EXPORT],
        }
        assert str(tmp_path) not in response.text


async def test_simulator_app_takes_the_folder_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DINKES_EXPORT_DIR", str(tmp_path / "env"))
    async with running(simulator_app()) as client:
        assert (await client.get("/health")).status_code == 200
    assert (tmp_path / "env" / JSON_EXPORT).is_file()


def test_fhir_bundle_speaks_satusehat(tmp_path: Path) -> None:
    write_exports(tmp_path, TODAY)
    bundle = json.loads((tmp_path / JSON_EXPORT).read_bytes())
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert bundle["meta"]["tag"][0]["code"] == "SYNTHETIC"
    resources = [entry["resource"] for entry in bundle["entry"]]
    kinds = {r["resourceType"] for r in resources}
    assert kinds == {"Organization", "Location"}
    in_satusehat = [f for f in fasilitas(TODAY) if f.di_satusehat]
    assert bundle["total"] == len(resources) == 2 * len(in_satusehat)
    location = next(r for r in resources if r["resourceType"] == "Location")
    assert location["identifier"][0]["system"] == FASYANKES_SYSTEM
    assert set(location["position"]) == {"latitude", "longitude"}
    (admin,) = location["address"]["extension"]
    assert admin["url"] == ADMINISTRATIVE_CODE_URL
    parts = {part["url"]: part["valueCode"] for part in admin["extension"]}
    assert parts["province"] == "61" and parts["city"] == "6171"
    assert len(parts["village"]) == 10 and parts["village"].startswith(parts["district"])
    assert location["managingOrganization"]["reference"].startswith("Organization/")


def test_registry_csv_speaks_the_spreadsheet(tmp_path: Path) -> None:
    write_exports(tmp_path, TODAY)
    raw = (tmp_path / CSV_EXPORT).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == sum(1 for f in fasilitas(TODAY) if f.di_registri)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["rawat_inap"] in ("Ya", "Tidak")
    assert time.strptime(record["tgl_update"], "%d/%m/%Y")
    assert {row[2] for row in rows[1:]} == {
        "Puskesmas",
        "Pustu",
        "Rumah Sakit",
        "Klinik Pratama",
        "Laboratorium Klinik",
    }


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write_atomic(tmp_path, CSV_EXPORT, b"old")
    inode = target.stat().st_ino
    write_atomic(tmp_path, CSV_EXPORT, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_ino != inode
    assert oct(target.stat().st_mode & 0o777) == "0o644"

    def failing_rename(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_rename)
    with pytest.raises(OSError):
        write_atomic(tmp_path, CSV_EXPORT, b"half")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == [CSV_EXPORT]


async def test_redrop_writes_fresh_revisions(tmp_path: Path) -> None:
    exporter = DinkesExporter(tmp_path, redrop=0.05, today=TODAY)
    async with running(exporter.app) as client:
        first = (tmp_path / CSV_EXPORT).read_bytes()
        deadline = time.monotonic() + 5
        while exporter.revision is not None and exporter.revision < 2:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        assert (await client.get("/health")).json()["revision"] >= 2
        assert (tmp_path / CSV_EXPORT).read_bytes() != first
    with pytest.raises(ValueError):
        DinkesExporter(tmp_path, redrop=0)
