"""The registry (``schema/subgraphs.toml``) and the code agree: each OPD's exported SDL is
what its package serves."""

from __future__ import annotations

import pytest

from subgraphs.registry import CityOpd, city_opds
from subgraphs.toolkit.export_sdl import main


@pytest.mark.parametrize("opd", city_opds(), ids=lambda opd: opd.name)
def test_exported_sdl_is_current(opd: CityOpd) -> None:
    command = ["--check", f"{opd.package}.schema:schema", str(opd.schema)]
    assert main(command) == 0, (
        f"run: simpul subgraph export-sdl {opd.package}.schema:schema schema/{opd.schema.name}"
    )
