"""What every test gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.audit import AuditFiles, make_audit_files
from tests.support.shaping_check import ShapingTally, check_shaping


@pytest.fixture(autouse=True)
def shaping_checked(monkeypatch: pytest.MonkeyPatch) -> ShapingTally:
    """Every answer an in-process engine shapes is shaped by both the general walk and the
    compiled shaping, which must agree (tests/support/shaping_check.py)."""
    return check_shaping(monkeypatch)


@pytest.fixture
def audit(tmp_path: Path) -> AuditFiles:
    """An access log of the test's own: keys made, the store empty."""
    return make_audit_files(tmp_path / "audit")
