"""In ``schema/dinkes.graphql``, ``Kelurahan`` carries only its key and the facilities
(that the file is current: tests/city/test_registry.py)."""

from __future__ import annotations

from pathlib import Path

from graphql import ObjectTypeDefinitionNode, parse

ROOT = Path(__file__).resolve().parents[2]


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
