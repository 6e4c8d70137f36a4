"""The gateway answers the same over ``simpul compose``'s supergraph as over the reference
composer's, for the end-to-end tests' subgraphs (real strawberry apps, in process)."""

from __future__ import annotations

import importlib

import pytest

from gateway.supergraph import load_supergraph
from tests.compose.equivalence import operations
from tests.compose.sets import FIXTURE_SETS, fixture_supergraph
from tests.compose.test_differential import compose_set
from tests.e2e.harness import Federation

E2E_SETS = sorted(name for name in FIXTURE_SETS if name.startswith("e2e/"))


@pytest.mark.parametrize("name", E2E_SETS)
async def test_same_answers_as_on_the_reference_supergraph(name: str) -> None:
    module = importlib.import_module(f"tests.e2e.test_{name.removeprefix('e2e/')}")
    ours = load_supergraph(compose_set(FIXTURE_SETS[name]))
    reference = load_supergraph(fixture_supergraph(name))
    queries = operations(reference)
    assert queries
    async with Federation(ours, module.APPS) as a, Federation(reference, module.APPS) as b:
        for query in queries:
            if query.startswith("mutation"):
                continue  # mutations change the subgraphs' state between the two runs
            assert (await a.execute(query)).body == (await b.execute(query)).body, query
