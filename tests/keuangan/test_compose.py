"""kominfo's and keuangan's SDLs compose with the reference composer, alone and next to a
dukcapil-shaped owner of Kecamatan and Kelurahan, into a supergraph the gateway loads."""

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


def test_kominfo_and_keuangan_compose() -> None:
    supergraph = load_supergraph(_compose({"kominfo": sdl("kominfo"), "keuangan": sdl("keuangan")}))
    api = build_api_schema(supergraph)
    opd = api.get_type("Opd")
    assert isinstance(opd, GraphQLObjectType)
    assert {"nama", "aplikasi", "inovasi", "aduan", "anggaran"} <= set(opd.fields)
    query = api.get_type("Query")
    assert isinstance(query, GraphQLObjectType)
    assert {"daftarOpd", "opd", "daftarAplikasi", "daftarInovasi", "anggaranOpd"} <= set(
        query.fields
    )


def test_they_compose_next_to_the_wilayah_owner() -> None:
    text = _compose(
        {"kominfo": sdl("kominfo"), "keuangan": sdl("keuangan"), "dukcapil": DUKCAPIL_SHAPE}
    )
    api = build_api_schema(load_supergraph(text))
    kelurahan = api.get_type("Kelurahan")
    assert isinstance(kelurahan, GraphQLObjectType)
    assert {"nama", "kecamatan", "aduan"} <= set(kelurahan.fields)
