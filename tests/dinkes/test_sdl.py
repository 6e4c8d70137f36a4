"""``schema/dinkes.graphql`` is what the code serves; ``Kelurahan`` carries only its key
and the facilities."""

from __future__ import annotations

from pathlib import Path

from graphql import ObjectTypeDefinitionNode, parse

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
    types = {
        definition.name.value: definition
        for definition in parse(sdl).definitions
        if isinstance(definition, ObjectTypeDefinitionNode)
    }
    kelurahan = types["Kelurahan"]
    assert [field.name.value for field in kelurahan.fields] == ["kode", "fasilitasKesehatan"]
    assert "Kecamatan" not in types and "Opd" not in types
