"""GraphiQL in a real browser: it renders under the page's CSP (any violation is a console
error), runs a query, shows the docs, completes fields and opens its dialogs.

Chromium driven by Playwright, against the gateway app (over the API schema of the city,
answered by :class:`SchemaEngine`) served by uvicorn on a free port of 127.0.0.1. Skipped
when Playwright is not installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from graphql import build_schema

from gateway.config import GatewayConfig
from gateway.server import create_app
from gateway.server.embedded import EmbeddedServer, bind_socket
from tests.support.schema_engine import SchemaEngine

async_api = pytest.importorskip("playwright.async_api")

API_SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "api.graphql"


@pytest.fixture
async def gateway_url() -> AsyncIterator[str]:
    engine = SchemaEngine(api_schema=build_schema(API_SCHEMA.read_text(encoding="utf-8")))
    server = EmbeddedServer(create_app(engine, GatewayConfig()), bind_socket("127.0.0.1", 0))
    serving = asyncio.create_task(server.run_on_socket())
    while not server.started:
        assert not serving.done()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.should_exit = True
        await serving


async def test_graphiql_runs_offline_in_a_browser(gateway_url: str) -> None:
    problems: list[str] = []
    requested: list[str] = []
    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=shutil.which("chromium"))
        try:
            page = await browser.new_page()
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda request: requested.append(request.url))
            await page.goto(f"{gateway_url}/graphql")
            await page.wait_for_selector(".graphiql-container")

            await page.click(".graphiql-execute-button")
            response = page.locator(".graphiql-response")
            await async_api.expect(response).to_contain_text('"__typename": "Query"')

            await page.click("[aria-label='Show Documentation Explorer']")
            docs = page.locator(".graphiql-doc-explorer")
            await async_api.expect(docs).to_contain_text("Kelurahan")
            await async_api.expect(docs).not_to_contain_text("Error fetching schema")

            # Completion from the schema; a dialog (its scroll lock injects a style element).
            await page.click(".graphiql-query-editor .CodeMirror")
            await page.keyboard.press("Control+End")
            await page.keyboard.type("{ kel")
            await page.keyboard.press("Control+Space")
            await async_api.expect(page.locator(".CodeMirror-hints")).to_contain_text("kelurahan")
            await page.keyboard.press("Escape")
            await page.click("[aria-label='Open settings dialog']")
            await async_api.expect(page.get_by_role("dialog")).to_be_visible()
            await page.keyboard.press("Escape")
            await async_api.expect(page.get_by_role("dialog")).to_have_count(0)
        finally:
            with contextlib.suppress(Exception):
                await browser.close()
    assert problems == []
    assert requested and all(url.startswith(f"{gateway_url}/graphql") for url in requested)
