"""``schema/dinkes.graphql`` is what the code serves; ``Kelurahan`` carries only its key
and the facilities."""

from __future__ import annotations

from pathlib import Path

from subgraphs.toolkit.export_sdl import main

ROOT = Path(__file__).resolve().parents[2]


def test_exported_sdl_is_current() -> None:
    path = ROOT / "schema" / "dinkes.graphql"
    assert main(["--check", "subgraphs.dinkes.schema:schema", str(path)]) == 0, (
        "run: python -m subgraphs.toolkit.export_sdl subgraphs.dinkes.schema:schema "
        "schema/dinkes.graphql"
    )


def test_kelurahan_is_extended_with_its_key_and_facilities_only() -> None:
    sdl = (ROOT / "schema" / "dinkes.graphql").read_text()
    kelurahan = sdl.split('type Kelurahan @key(fields: "kode") {', 1)[1].split("}", 1)[0]
    fields = [line.split("(")[0].split(":")[0].strip() for line in kelurahan.splitlines()]
    assert [f for f in fields if f and not f.startswith('"')] == ["kode", "fasilitasKesehatan"]
    assert "type Kecamatan" not in sdl and "type Opd" not in sdl
