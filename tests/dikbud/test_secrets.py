"""The Dapodik token has no value in the code: without ``DAPODIK_TOKEN`` neither the
adapter nor the simulator starts, and the error names the variable."""

from __future__ import annotations

import httpx
import pytest

from subgraphs.dikbud import serve
from subgraphs.dikbud.source import connect
from subgraphs.toolkit import SecretNotConfigured

from .conftest import TOKEN


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DAPODIK_TOKEN", raising=False)
    monkeypatch.delenv("DAPODIK_TOKEN_FILE", raising=False)


def test_connect_without_a_token_is_refused() -> None:
    with pytest.raises(SecretNotConfigured, match="DAPODIK_TOKEN"):
        connect("http://dapodik.invalid")


def test_simulator_without_a_token_is_refused() -> None:
    with pytest.raises(SecretNotConfigured, match="DAPODIK_TOKEN"):
        serve.simulator_app()


async def test_both_sides_take_the_token_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in serve.SECRETS:
        monkeypatch.setenv(name, TOKEN)
    source = connect("http://dapodik", transport=httpx.ASGITransport(app=serve.simulator_app()))
    try:
        assert await source.sekolah()
    finally:
        await source.aclose()
