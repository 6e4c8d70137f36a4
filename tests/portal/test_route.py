"""The gateway serves the portal at ``/portal/`` only when ``server.portal`` names its
directory, with headers that keep the page to its own origin."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from gateway.config import ConfigError, GatewayConfig, ServerSettings, load_config
from gateway.server import PORTAL_CSP, create_app
from tests.support.schema_engine import SchemaEngine

PORTAL = Path(__file__).resolve().parents[2] / "portal"


def _client(portal: str) -> httpx.AsyncClient:
    app = create_app(SchemaEngine(), GatewayConfig(server=ServerSettings(portal=portal)))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def test_portal_pages_with_safe_headers() -> None:
    async with _client(str(PORTAL)) as client:
        page = await client.get("/portal/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert '<html lang="id">' in page.text
        assert page.headers["content-security-policy"] == PORTAL_CSP
        assert "default-src 'self'" in PORTAL_CSP and "frame-ancestors 'none'" in PORTAL_CSP
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["x-frame-options"] == "DENY"
        script = await client.get("/portal/js/portal.js")
        assert script.status_code == 200
        assert "javascript" in script.headers["content-type"]
        operation = await client.get("/portal/operations/Beranda.graphql")
        assert operation.status_code == 200 and "query Beranda" in operation.text
        assert (await client.get("/portal/tidak-ada.html")).status_code == 404
        assert (await client.get("/portal/../schema/api.graphql")).status_code == 404


async def test_portal_without_slash_redirects() -> None:
    async with _client(str(PORTAL)) as client:
        response = await client.get("/portal")
        assert response.status_code == 308
        assert response.headers["location"] == "/portal/"


async def test_no_portal_unless_configured() -> None:
    async with _client("") as client:
        assert (await client.get("/portal/")).status_code == 404
        assert (await client.get("/health")).status_code == 200


def test_portal_setting_from_the_environment(tmp_path: Path) -> None:
    config = load_config(environ={"SIMPUL_PORTAL": str(tmp_path)})
    assert config.server.portal == str(tmp_path)
    with pytest.raises(ConfigError, match=r"server\.portal must be a directory"):
        load_config(environ={"SIMPUL_PORTAL": str(tmp_path / "missing")})
