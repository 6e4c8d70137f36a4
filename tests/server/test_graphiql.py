"""GraphiQL on a browser's GET /graphql: the page, its CSP, its files, all from the gateway."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import httpx
from graphql import build_client_schema, get_introspection_query, print_type

from gateway.config import EngineSettings
from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from gateway.server.graphiql import GRAPHIQL_ASSETS, STATIC_PATH
from gateway.transport.pooled import PooledTransport

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = ROOT / "gateway" / "server" / "static" / "graphiql"
ExpectError = Callable[[httpx.Response, int, str], str]

CONTENT_TYPES = {
    ".css": ("text/css",),
    ".js": ("text/javascript", "application/javascript"),
}


class _Page(HTMLParser):
    """The URLs a page loads and the bodies of its ``<script>`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append(value)
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def _csp(response: httpx.Response) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for directive in response.headers["content-security-policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


def _loaded(page: str) -> list[str]:
    """The same-origin paths ``page`` loads (``data:`` URLs need no request)."""
    parser = _Page()
    parser.feed(page)
    assert parser.inline_scripts == []
    return [url for url in parser.urls if not url.startswith("data:")]


async def test_browser_gets_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["x-frame-options"] == "DENY"
    assert "<title>Simpul GraphiQL</title>" in response.text
    csp = _csp(response)
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert all(
        source in ("'self'", "'unsafe-inline'", "data:")
        for sources in csp.values()
        for source in sources
        if source != "'none'"
    )
    urls = _loaded(response.text)
    assert urls == [f"{STATIC_PATH}/{asset}" for asset in GRAPHIQL_ASSETS]


async def test_every_file_of_the_page_is_served(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": BROWSER})
    for url in _loaded(page.text):
        response = await client.get(url)
        assert response.status_code == 200, url
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type in CONTENT_TYPES[Path(url).suffix], url
        assert len(response.content) > 0, url


async def test_nothing_comes_from_another_host(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": BROWSER})
    start = await client.get(f"{STATIC_PATH}/graphiql/start.js")
    for text in (page.text, start.text):
        assert re.search(r"https?:", text) is None
        # Protocol-relative URLs (//host/...) in attributes or strings.
        assert re.search(r"[\"'(=]\s*//", text) is None
    assert all(url.startswith("/") and not url.startswith("//") for url in _loaded(page.text))


async def test_graphiql_posts_to_the_page_s_own_path(client: httpx.AsyncClient) -> None:
    start = await client.get(f"{STATIC_PATH}/graphiql/start.js")
    assert "GraphiQL.createFetcher({ url: window.location.pathname })" in start.text
    assert "simpul-include-query-plan" in start.text


async def test_files_outside_the_static_folder_are_not_served(
    client: httpx.AsyncClient,
) -> None:
    for path in ("graphiql/../../server.py", "../server.py", "graphiql/nope.js"):
        assert (await client.get(f"{STATIC_PATH}/{path}")).status_code == 404


async def test_graphiql_can_be_turned_off(
    make_client: Callable[..., httpx.AsyncClient], expect_error: ExpectError
) -> None:
    client = make_client(graphiql=False)
    response = await client.get("/graphql", headers={"accept": BROWSER})
    expect_error(response, 400, "BAD_REQUEST")
    for asset in GRAPHIQL_ASSETS:
        assert (await client.get(f"{STATIC_PATH}/{asset}")).status_code == 404


def test_each_vendored_bundle_ships_with_its_licence() -> None:
    readme = (STATIC_DIR / "README.md").read_text(encoding="utf-8")
    for package in ("graphiql", "react", "react-dom"):
        licence = STATIC_DIR / f"LICENSE.{package}"
        assert "MIT License" in licence.read_text(encoding="utf-8")
        assert licence.name in readme
    for asset in GRAPHIQL_ASSETS:
        assert Path(asset).name in readme


async def test_the_docs_explorer_s_introspection_through_the_engine() -> None:
    # What GraphiQL sends (graphql-js's getIntrospectionQuery), through the real engine over
    # the city's supergraph: it must give back the API schema. No subgraph is called.
    engine = Engine.from_file(
        str(ROOT / "schema" / "supergraph.graphql"), PooledTransport(), EngineSettings()
    )
    try:
        query = get_introspection_query(descriptions=True, input_value_deprecation=True)
        response = await engine.execute(
            GraphQLRequest(query=query, operation_name="IntrospectionQuery"),
            RequestContext(method="POST", headers={}),
        )
    finally:
        await engine.close()
    assert "errors" not in response.body
    seen = build_client_schema(response.body["data"])
    # an anonymous caller sees the API schema without what it may not query: the
    # verification and the record of processing (personal data), and the types only
    # they reach
    hidden = {
        "Mutation",
        "VerifikasiPenduduk",
        "HasilVerifikasi",
        "PemrosesanData",
        "HasilPemrosesan",
    }
    assert set(seen.type_map) == set(engine.api_schema.type_map) - hidden
    assert seen.mutation_type is None
    query = engine.api_schema.query_type
    assert query is not None
    assert set(query.fields) - set(seen.type_map["Query"].fields) == {"riwayatPemrosesan"}
    for name, type_ in seen.type_map.items():
        if name != "Query":
            assert print_type(type_) == print_type(engine.api_schema.type_map[name])
