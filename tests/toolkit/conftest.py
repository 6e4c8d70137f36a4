"""Fixtures for the toolkit tests: the example subgraph's upstream, fresh for each test."""

from __future__ import annotations

import pytest

from tests.toolkit.example import FakeDapodik


@pytest.fixture
def upstream() -> FakeDapodik:
    """The example ``dapodik`` subgraph's legacy system, healthy and with no calls yet."""
    return FakeDapodik()
