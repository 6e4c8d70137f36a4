"""What every test gets."""

from __future__ import annotations

import pytest

from tests.support.shaping_check import ShapingTally, check_shaping


@pytest.fixture(autouse=True)
def shaping_checked(monkeypatch: pytest.MonkeyPatch) -> ShapingTally:
    """Every answer an in-process engine shapes is shaped by both the general walk and the
    compiled shaping, which must agree (tests/support/shaping_check.py)."""
    return check_shaping(monkeypatch)
