"""Every GraphQL example of docs/frontend.md is valid against schema/api.graphql."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, build_schema, parse, validate

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "frontend.md"
API_SCHEMA = ROOT / "schema" / "api.graphql"

_GRAPHQL_BLOCK = re.compile(r"^```graphql\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _examples() -> list[str]:
    return _GRAPHQL_BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def api_schema() -> GraphQLSchema:
    return build_schema(API_SCHEMA.read_text(encoding="utf-8"))


def test_the_guide_has_its_examples() -> None:
    names = [
        definition.name.value
        for example in _examples()
        for definition in parse(example).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    ]
    assert {"RingkasanKelurahan", "DaftarOpd", "Katalog"} <= set(names)
    assert len(names) == len(set(names)), "operation names must be unique (codegen needs it)"


@pytest.mark.parametrize("example", _examples(), ids=lambda text: text.split("(")[0].split()[-1])
def test_example_is_valid(api_schema: GraphQLSchema, example: str) -> None:
    document = parse(example)
    assert all(
        isinstance(definition, OperationDefinitionNode) and definition.name is not None
        for definition in document.definitions
    ), "each example is one named operation"
    assert validate(api_schema, document) == []


def test_the_guides_operations_do_not_share_names_with_the_portals() -> None:
    # codegen over the guide's examples and portal/operations together needs unique names
    portal = {path.stem for path in (ROOT / "portal" / "operations").glob("*.graphql")}
    names = {
        definition.name.value
        for example in _examples()
        for definition in parse(example).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    }
    assert "ProfilKelurahan" in portal and not names & portal
