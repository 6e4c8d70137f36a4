"""CORS and CSRF prevention in real Chromium: a page of a listed origin calls the graph, a
page of any other origin cannot, and a foreign page cannot make a visitor's browser run an
operation by GET (a plain link or image) or by a form.

Three servers on 127.0.0.1: the gateway (listing one origin, CSRF prevention on), and two
tiny sites on other ports, one listed and one not, each serving the same page that tries
every way in and writes what happened into the page.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from gateway.config import CorsSettings, GatewayConfig, ServerSettings
from gateway.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.server import create_app
from gateway.server.embedded import EmbeddedServer, bind_socket
from tests.support.schema_engine import SchemaEngine

async_api = pytest.importorskip("playwright.async_api")

PAGE = """<!doctype html><html><body><pre id="out">running</pre>
<form id="form" method="POST" enctype="text/plain" target="sink" action="GATEWAY/graphql">
<input name='{"query": "{ __typename }", "x": "' value='"}'></form>
<iframe name="sink"></iframe>
<script>
const gateway = "GATEWAY/graphql";
const results = {};
async function attempt(name, run) {
  try { results[name] = await run(); } catch (error) { results[name] = "blocked"; }
}
(async () => {
  await attempt("post", async () => {
    const r = await fetch(gateway, {method: "POST", headers: {"content-type": "application/json"},
      body: JSON.stringify({query: "{ __typename }"})});
    return (await r.json()).data.__typename;
  });
  await attempt("get-with-header", async () => {
    const r = await fetch(gateway + "?query=%7B__typename%7D",
      {headers: {"apollo-require-preflight": "true"}});
    return (await r.json()).data.__typename;
  });
  await attempt("no-cors-get", async () => {
    await fetch(gateway + "?query=%7B__typename%7D", {mode: "no-cors"});
    return "sent";
  });
  document.getElementById("form").submit();
  await new Promise((resolve) => setTimeout(resolve, 500));
  document.getElementById("out").textContent = JSON.stringify(results);
  document.body.dataset.done = "yes";
})();
</script></body></html>"""


class Counting(SchemaEngine):
    """The test engine, counting the operations it actually ran."""

    def __init__(self) -> None:
        super().__init__()
        self.ran = 0

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResponse:
        self.ran += 1
        return await super().execute(request, context)


async def serve(app: object) -> tuple[EmbeddedServer, asyncio.Task[None]]:
    server = EmbeddedServer(app, bind_socket("127.0.0.1", 0))
    task = asyncio.create_task(server.run_on_socket())
    while not server.started:
        await asyncio.sleep(0.01)
    return server, task


@pytest.fixture
async def sites() -> AsyncIterator[tuple[str, str, str, Counting]]:
    """The gateway's URL, the listed site's, the other site's, and the engine."""
    listed_socket = bind_socket("127.0.0.1", 0)
    listed = f"http://127.0.0.1:{listed_socket.getsockname()[1]}"
    engine = Counting()
    config = GatewayConfig(
        server=ServerSettings(csrf_prevention=True), cors=CorsSettings(origins=(listed,))
    )
    gateway, gateway_task = await serve(create_app(engine, config))
    gateway_url = f"http://127.0.0.1:{gateway.port}"

    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(PAGE.replace("GATEWAY", gateway_url))

    site = Starlette(routes=[Route("/", page)])
    listed_server = EmbeddedServer(site, listed_socket)
    listed_task = asyncio.create_task(listed_server.run_on_socket())
    other_server, other_task = await serve(site)
    while not listed_server.started:
        await asyncio.sleep(0.01)
    try:
        yield gateway_url, listed, f"http://127.0.0.1:{other_server.port}", engine
    finally:
        for server in (gateway, listed_server, other_server):
            server.should_exit = True
        await asyncio.gather(gateway_task, listed_task, other_task)


async def outcome(origin: str) -> dict[str, str]:
    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=shutil.which("chromium"))
        try:
            page = await browser.new_page()
            await page.goto(origin)
            await page.wait_for_selector("body[data-done=yes]", timeout=15_000)
            return dict(json.loads(await page.inner_text("#out")))
        finally:
            await browser.close()


async def test_a_listed_origin_calls_the_graph_and_others_cannot(
    sites: tuple[str, str, str, Counting],
) -> None:
    _, listed, other, engine = sites
    assert await outcome(listed) == {
        "post": "Query",
        "get-with-header": "Query",
        "no-cors-get": "sent",
    }
    # the listed page ran its two operations; the plain GET and the form ran nothing
    assert engine.ran == 2
    assert await outcome(other) == {
        "post": "blocked",
        "get-with-header": "blocked",
        "no-cors-get": "sent",
    }
    # the other origin's preflights were refused: nothing of it ran, not even the GET and the
    # form a browser sends without asking
    assert engine.ran == 2
