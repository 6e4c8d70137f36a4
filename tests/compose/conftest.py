"""The reference composer's results for the sets written in ``sets.py``, composed once per
test session (the fixture sets' reference supergraphs are checked in)."""

from __future__ import annotations

import pytest

from tests.compose.reference import Reference, compose_with_reference
from tests.compose.sets import INVALID_SETS, VALID_SETS


@pytest.fixture(scope="session")
def references() -> dict[str, Reference]:
    sets = {**VALID_SETS, **{name: subgraphs for name, (subgraphs, _) in INVALID_SETS.items()}}
    return compose_with_reference(sets)
