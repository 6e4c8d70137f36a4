"""Random operations over every planner fixture, its subgraphs mocked from their SDLs
(tests/fuzz/mock.py): Simpul's answer must be the answer of the same data without
federation, the API schema executed over the same values (the oracle).

Each fixture is a federation feature in a few lines (keys, requires, provides, override,
interface objects, shared value types, ...), so a planning bug shows as a wrong or missing
value. A fixed seed; ``tests/fuzz`` draws more with ``make fuzz``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pytest
from graphql import parse

from gateway.api_schema import build_api_schema
from gateway.config import EngineSettings, LimitSettings
from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from gateway.transport import HttpxTransport
from tests.e2e.harness import url_of
from tests.fuzz.differential import first_difference
from tests.fuzz.mock import MockData, mock_app, mock_schema, oracle
from tests.fuzz.operations import OperationGenerator

SEED = int(os.environ.get("FUZZ_SEED", "5"))
COUNT = int(os.environ.get("FUZZ_N", "40"))
"""A fixed seed and count in ``make test``; ``make fuzz`` passes its own."""
PLANNER = Path(__file__).resolve().parents[1] / "planner"
FIXTURES = sorted(
    p.stem for p in PLANNER.glob("test_*.py") if "SUBGRAPHS = {" in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("fixture", FIXTURES)
async def test_random_operations_answer_as_the_data_without_federation(fixture: str) -> None:
    module = importlib.import_module(f"tests.planner.{fixture}")
    supergraph = module.SUPERGRAPH
    schemas = {name: mock_schema(sdl) for name, sdl in module.SUBGRAPHS.items()}
    data = MockData(supergraph, schemas)
    apps = {url_of(name): mock_app(schema, data) for name, schema in schemas.items()}
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
    assert compared >= 5 and answered >= compared // 2, (compared, answered)
