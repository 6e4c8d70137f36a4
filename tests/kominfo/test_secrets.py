"""Diskominfo's API key and LAPOR! token have no value in the code: without
``KOMINFO_API_KEY`` or ``LAPOR_TOKEN`` neither the adapters nor the simulator start, and
the error names the variable missing."""

from __future__ import annotations

import httpx
import pytest

from subgraphs.kominfo import serve
from subgraphs.kominfo.source import connect
from subgraphs.toolkit import SecretNotConfigured

from .conftest import API_KEY, LAPOR_TOKEN


@pytest.fixture(autouse=True)
def no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KOMINFO_API_KEY", "LAPOR_TOKEN"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)


def test_connect_without_an_api_key_is_refused() -> None:
    with pytest.raises(SecretNotConfigured, match="KOMINFO_API_KEY"):
        connect("http://kominfo.invalid", lapor_token=LAPOR_TOKEN)


def test_connect_without_a_lapor_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMINFO_API_KEY", API_KEY)
    with pytest.raises(SecretNotConfigured, match="LAPOR_TOKEN"):
        connect("http://kominfo.invalid")


def test_simulator_without_secrets_is_refused() -> None:
    with pytest.raises(SecretNotConfigured, match="KOMINFO_API_KEY"):
        serve.simulator_app()
    with pytest.raises(SecretNotConfigured, match="LAPOR_TOKEN"):
        serve.simulator_app(api_key=API_KEY)


async def test_both_sides_take_the_secrets_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert set(serve.SECRETS) == {"KOMINFO_API_KEY", "LAPOR_TOKEN"}
    monkeypatch.setenv("KOMINFO_API_KEY", API_KEY)
    monkeypatch.setenv("LAPOR_TOKEN", LAPOR_TOKEN)
    source = connect("http://kominfo", transport=httpx.ASGITransport(app=serve.simulator_app()))
    try:
        assert await source.aplikasi()
        assert await source.laporan()
    finally:
        await source.aclose()
