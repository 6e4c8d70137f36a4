"""The access log's stores, each test run over both."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.audit import AuditFiles, fresh_database


@pytest.fixture(params=["files", "postgres"])
async def store(request: pytest.FixtureRequest, audit: AuditFiles) -> AsyncIterator[str]:
    """Where the log is kept: the test's folder, or a PostgreSQL database of its own."""
    if request.param == "files":
        yield str(audit.store)
        return
    async with fresh_database() as url:
        yield url
