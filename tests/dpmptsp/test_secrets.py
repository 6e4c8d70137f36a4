"""DPMPTSP's API key has no value in the code: without ``DPMPTSP_API_KEY`` neither the
adapters nor the simulator start, and the error names the variable."""

from __future__ import annotations

import httpx
import pytest

from subgraphs.dpmptsp import serve
from subgraphs.dpmptsp.legacy import perizinan
from subgraphs.dpmptsp.source import connect
from subgraphs.toolkit import SecretNotConfigured
from tests.support.clock import TODAY

from .conftest import KEY


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DPMPTSP_API_KEY", raising=False)
    monkeypatch.delenv("DPMPTSP_API_KEY_FILE", raising=False)


def test_connect_without_an_api_key_is_refused() -> None:
    with pytest.raises(SecretNotConfigured, match="DPMPTSP_API_KEY"):
        connect("http://dpmptsp.invalid")


def test_simulator_without_an_api_key_is_refused() -> None:
    with pytest.raises(SecretNotConfigured, match="DPMPTSP_API_KEY"):
        serve.simulator_app()


async def test_both_sides_take_the_key_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in serve.SECRETS:
        monkeypatch.setenv(name, KEY)
    source = connect("http://dpmptsp", transport=httpx.ASGITransport(app=serve.simulator_app()))
    try:
        assert await source.permohonan_terbit(kelurahan=["6171010002"])
        assert await source.usaha(nib=[perizinan(TODAY).usaha[0]["nib"]])
    finally:
        await source.aclose()
