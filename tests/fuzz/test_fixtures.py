"""Random operations over every planner fixture and over the city graph, their subgraphs
mocked from their SDLs (tests/fuzz/mock.py): Simpul's answer must be the answer of the same
data without federation, the API schema executed over the same values (the oracle).

Each fixture is a federation feature in a few lines (keys, requires, provides, override,
interface objects, shared value types, ...), so a planning bug shows as a wrong or missing
value. A fixed seed; ``tests/fuzz`` draws more with ``make fuzz``.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, parse

from bench.scenarios import without_personal_marks
from gateway.api_schema import build_api_schema
from gateway.config import EngineSettings, LimitSettings
from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from gateway.supergraph import Supergraph, load_supergraph
from gateway.transport import HttpxTransport
from tests.e2e.harness import url_of
from tests.fuzz.differential import first_difference
from tests.fuzz.mock import MockData, mock_app, mock_schema, oracle
from tests.fuzz.operations import OperationGenerator

SEED = int(os.environ.get("FUZZ_SEED", "5"))
COUNT = int(os.environ.get("FUZZ_N", "40"))
"""A fixed seed and count in ``make test``; ``make fuzz`` passes its own."""
PLANNER = Path(__file__).resolve().parents[1] / "planner"
SCHEMA = Path(__file__).resolve().parents[2] / "schema"
FIXTURES = sorted(
    p.stem for p in PLANNER.glob("test_*.py") if "SUBGRAPHS = {" in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("fixture", FIXTURES)
async def test_random_operations_answer_as_the_data_without_federation(fixture: str) -> None:
    module = importlib.import_module(f"tests.planner.{fixture}")
    schemas = {url_of(name): mock_schema(sdl) for name, sdl in module.SUBGRAPHS.items()}
    await _agrees_with_the_oracle(module.SUPERGRAPH, schemas)


async def test_random_operations_over_the_city_graph() -> None:
    # the city's six OPD subgraphs from their exported SDLs, the supergraph without its
    # personal-data marks (access control has its own tests): the planning of the city's
    # own shapes (kode wilayah, kode SKPD, NPSN joins, value types spread over OPDs)
    registry = tomllib.loads((SCHEMA / "subgraphs.toml").read_text(encoding="utf-8"))
    schemas = {
        entry["url"]: mock_schema((SCHEMA / entry["schema"]).read_text(encoding="utf-8"))
        for entry in registry["subgraphs"].values()
    }
    text = (SCHEMA / "supergraph.graphql").read_text(encoding="utf-8")
    await _agrees_with_the_oracle(load_supergraph(without_personal_marks(text)), schemas)


async def _agrees_with_the_oracle(
    supergraph: Supergraph, schemas: dict[str, GraphQLSchema]
) -> None:
    data = MockData(supergraph, schemas)
    apps = {url: mock_app(schema, data) for url, schema in schemas.items()}
    engine = Engine(
        supergraph,
        HttpxTransport.for_apps(apps),
        EngineSettings(),
        limits=LimitSettings(cost_mode="measure"),
    )
    api = build_api_schema(supergraph)
    differences: list[str] = []
    compared = answered = 0
    try:
        for operation in OperationGenerator(api, {}, SEED).operations(COUNT):
            expected = oracle(data, parse(operation.query), operation.variables)
            if expected.errors:
                continue  # no data to compare with (an interface no subgraph implements)
            compared += 1
            response = await engine.execute(
                GraphQLRequest(operation.query, variables=dict(operation.variables)),
                RequestContext(),
            )
            got: Any = response.body.get("data")
            found = first_difference(got, expected.data)
            if found is not None:
                differences.append(f"{operation.query}\n{operation.variables}\n{found}")
            elif "errors" not in response.body:
                answered += 1
    finally:
        await engine.close()
    assert not differences, "\n---\n".join(differences[:5])
    # the operations reached data: an answer of nulls and errors everywhere would also "agree"
    assert compared and answered >= compared // 2, (compared, answered)
