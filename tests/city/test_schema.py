"""The city graph's checked-in schemas are what the code and the composer produce.

``schema/supergraph.graphql`` is composed by ``simpul compose`` from the exported SDLs listed
in ``schema/subgraphs.toml``, ``schema/api.graphql`` is its client schema; each test fails
when a file is stale and says how to refresh it (``make schema``). The reference composer
(``@theguild/federation-composition``) must agree on the client schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, TypeDefinitionNode, parse

from gateway.api_schema import build_api_schema, print_api_schema
from gateway.compose import compose
from gateway.compose.sources import load_sdls, read_sources
from gateway.planner import build_query_plan, print_plan
from gateway.supergraph import load_supergraph
from subgraphs.registry import city_opds
from tests.compose.equivalence import join_metadata, operations
from tests.compose.reference import compose_with_reference

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema"
PORTAL = ROOT / "portal" / "operations"
REFRESH = "stale: run `make schema` and commit schema/supergraph.graphql and schema/api.graphql"


@pytest.fixture(scope="module")
def composed() -> str:
    return compose(load_sdls(read_sources(SCHEMA / "subgraphs.toml")))


def test_subgraphs_toml_lists_every_opd_it_runs_in_port_order() -> None:
    sources = read_sources(SCHEMA / "subgraphs.toml")
    opds = city_opds()
    assert tuple(s.name for s in sources) == tuple(o.name for o in opds)
    assert sources[0].name == "dukcapil"  # the owner of the wilayah starts first
    assert [s.url for s in sources] == [
        f"http://127.0.0.1:{4011 + i}/graphql" for i in range(len(sources))
    ]
    assert [o.simulator_port for o in opds] == [4101 + i for i in range(len(opds))]
    assert all(s.schema == SCHEMA / f"{s.name}.graphql" for s in sources)


def test_supergraph_is_current(composed: str) -> None:
    assert (SCHEMA / "supergraph.graphql").read_text(encoding="utf-8") == composed, REFRESH


def test_api_schema_is_current(composed: str) -> None:
    api = print_api_schema(build_api_schema(load_supergraph(composed)))
    assert (SCHEMA / "api.graphql").read_text(encoding="utf-8") == api, REFRESH


@pytest.fixture(scope="module")
def reference() -> str:
    sdls = {
        s.name: s.schema.read_text(encoding="utf-8")
        for s in read_sources(SCHEMA / "subgraphs.toml")
        if s.schema
    }
    composed = compose_with_reference({"city": sdls})["city"]
    assert composed.sdl is not None, composed.errors
    return composed.sdl


def test_reference_composer_agrees_on_the_client_schema(composed: str, reference: str) -> None:
    ours = print_api_schema(build_api_schema(load_supergraph(composed)))
    assert print_api_schema(build_api_schema(load_supergraph(reference))) == ours


def test_both_supergraphs_route_the_same(composed: str, reference: str) -> None:
    """Same join metadata, and the same plans for the portal's operations and for one query
    per root field: the gateway answers alike on either supergraph."""
    ours, theirs = load_supergraph(composed), load_supergraph(reference)
    mine, reference_metadata = join_metadata(ours), join_metadata(theirs)
    # the reference routes to http://NAME/graphql: compare which subgraphs, not where
    assert [n for n, _ in mine.pop("subgraphs")] == [
        n for n, _ in reference_metadata.pop("subgraphs")
    ]
    assert mine == reference_metadata
    documents = [p.read_text(encoding="utf-8") for p in sorted(PORTAL.glob("*.graphql"))]
    assert documents, "no portal operations"
    documents += operations(ours)
    for text in documents:
        document = parse(text)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                printed = print_plan(build_query_plan(ours, definition, fragments))
                assert printed == print_plan(build_query_plan(theirs, definition, fragments)), text


@pytest.mark.parametrize(
    ("type_name", "owner"),
    [("Kelurahan", "dukcapil"), ("Kecamatan", "dukcapil"), ("Opd", "kominfo")],
)
def test_clients_see_the_owning_opds_description(type_name: str, owner: str) -> None:
    def description(sdl: str) -> str | None:
        for definition in parse(sdl).definitions:
            if isinstance(definition, TypeDefinitionNode) and definition.name.value == type_name:
                return definition.description.value if definition.description else None
        return None

    owned = description((SCHEMA / f"{owner}.graphql").read_text(encoding="utf-8"))
    assert owned and description((SCHEMA / "api.graphql").read_text(encoding="utf-8")) == owned
