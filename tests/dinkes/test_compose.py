"""dinkes' SDL composes with the reference composer next to a dukcapil-shaped owner of
Kelurahan and kominfo's SDL (which extends Kelurahan too) into a supergraph the gateway
loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from graphql import GraphQLObjectType

from gateway.api_schema import build_api_schema
from gateway.supergraph import load_supergraph
from tests.planner.harness import _compose

ROOT = Path(__file__).resolve().parents[2]

DUKCAPIL_SHAPE = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
type Kecamatan @key(fields: "kode") { kode: String! nama: String! }
type Kelurahan @key(fields: "kode") { kode: String! nama: String! kecamatan: Kecamatan! }
type Query { kelurahan(kode: String!): Kelurahan daftarKecamatan: [Kecamatan!]! }
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def sdl(name: str) -> str:
    return (ROOT / "schema" / f"{name}.graphql").read_text()


def test_dinkes_composes_next_to_the_wilayah_owner_and_kominfo() -> None:
    text = _compose(
        {"dinkes": sdl("dinkes"), "kominfo": sdl("kominfo"), "dukcapil": DUKCAPIL_SHAPE}
    )
    api = build_api_schema(load_supergraph(text))
    kelurahan = api.get_type("Kelurahan")
    assert isinstance(kelurahan, GraphQLObjectType)
    assert {"nama", "kecamatan", "aduan", "fasilitasKesehatan"} <= set(kelurahan.fields)
    query = api.get_type("Query")
    assert isinstance(query, GraphQLObjectType)
    assert {"fasilitasKesehatan", "daftarFasilitasKesehatan", "daftarOpd"} <= set(query.fields)
    fasilitas = api.get_type("FasilitasKesehatan")
    assert isinstance(fasilitas, GraphQLObjectType) and "kelurahan" in fasilitas.fields
