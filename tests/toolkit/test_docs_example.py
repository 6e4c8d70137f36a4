"""The subgraph in docs/opd-teams.md runs as written."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "opd-teams.md"
PACKAGE = "opd_teams_example"


def example_files() -> dict[str, str]:
    """The doc's Python blocks that start with a ``# <file>.py`` line, by file name."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    files = {}
    for block in blocks:
        first, _, rest = block.partition("\n")
        if re.fullmatch(r"# \w+\.py", first):
            files[first[2:]] = rest
    return files


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "fasilitas.csv").write_text(
        "kode_faskes,nama_faskes,jenis\n"
        "P6171010101,Puskesmas Pal Lima,puskesmas\n"
        "P6171050201,Puskesmas Saigon,puskesmas\n"
        "R6171030101,RSUD Sultan Syarif Mohamad Alkadrie,rumah_sakit\n",
        encoding="utf-8",
    )
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    files = example_files()
    assert set(files) == {"source.py", "schema.py"}
    for name, code in files.items():
        (package / name).write_text(code, encoding="utf-8")
    monkeypatch.setenv("DINKES_EXPORTS", str(exports))
    monkeypatch.setenv("SIMPUL_CALL_SIGNING", "none")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        yield importlib.import_module(f"{PACKAGE}.schema")
    finally:
        for module in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[module]


async def test_the_documented_subgraph_answers(example: ModuleType) -> None:
    transport = httpx.ASGITransport(app=example.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dinkes") as client:
        assert (await client.get("/health")).json() == {"status": "pass"}
        listed = await client.post(
            "/graphql", json={"query": "{ daftarFasilitasKesehatan { kode nama jenis } }"}
        )
        entities = await client.post(
            "/graphql",
            json={
                "query": "query ($r: [_Any!]!) { _entities(representations: $r) "
                "{ ... on FasilitasKesehatan { nama } } }",
                "variables": {
                    "r": [
                        {"__typename": "FasilitasKesehatan", "kode": "P6171050201"},
                        {"__typename": "FasilitasKesehatan", "kode": "X"},
                    ]
                },
            },
        )
    assert listed.json()["data"]["daftarFasilitasKesehatan"][2] == {
        "kode": "R6171030101",
        "nama": "RSUD Sultan Syarif Mohamad Alkadrie",
        "jenis": "rumah_sakit",
    }
    assert entities.json() == {"data": {"_entities": [{"nama": "Puskesmas Saigon"}, None]}}
