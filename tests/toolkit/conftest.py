"""Fixtures for the toolkit tests: the example subgraphs' upstream, reset for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.toolkit.example import UPSTREAM, FakeDapodik


@pytest.fixture
def upstream() -> Iterator[FakeDapodik]:
    """The example ``dapodik`` subgraph's legacy system, healthy and with no calls yet."""
    UPSTREAM.reset()
    yield UPSTREAM
    UPSTREAM.reset()
