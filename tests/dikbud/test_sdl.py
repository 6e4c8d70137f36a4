"""``schema/dikbud.graphql`` is what the code serves."""

from __future__ import annotations

from pathlib import Path

from subgraphs.toolkit.export_sdl import main

ROOT = Path(__file__).resolve().parents[2]


def test_exported_sdl_is_current() -> None:
    path = ROOT / "schema" / "dikbud.graphql"
    assert main(["--check", "subgraphs.dikbud.schema:schema", str(path)]) == 0, (
        "run: python -m subgraphs.toolkit.export_sdl subgraphs.dikbud.schema:schema "
        "schema/dikbud.graphql"
    )
