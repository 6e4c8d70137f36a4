"""``simpul compose``: subgraphs from a TOML list, from files and from running subgraphs'
``_service { sdl }``; the supergraph on stdout or in a file; every error and exit 1 when
the subgraphs do not compose."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from gateway import cli
from gateway.api_schema import build_api_schema, print_api_schema
from gateway.compose import sources
from gateway.compose.sources import SourceError, SubgraphSource, load_sdls, with_flags
from gateway.supergraph import load_supergraph

DEMO = Path(__file__).resolve().parents[2] / "schema" / "demo"
INVALID = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { user: User count: Int }
type User @key(fields: "nope") { id: ID! }
"""


def write_config(folder: Path) -> Path:
    config = folder / "subgraphs.toml"
    config.write_text(
        "[subgraphs.products]\n"
        'url = "http://127.0.0.1:4001/graphql"\n'
        f'schema = "{DEMO / "products.graphql"}"\n'
        "[subgraphs.reviews]\n"
        'url = "http://127.0.0.1:4002/graphql"\n'
        f'schema = "{DEMO / "reviews.graphql"}"\n',
        encoding="utf-8",
    )
    return config


def test_compose_from_a_config_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "supergraph.graphql"
    assert cli.main(["compose", "--config", str(write_config(tmp_path)), "-o", str(out)]) == 0
    supergraph = load_supergraph(out.read_text(encoding="utf-8"))
    assert {s.url for s in supergraph.subgraphs.values()} == {
        "http://127.0.0.1:4001/graphql",
        "http://127.0.0.1:4002/graphql",
    }
    assert capsys.readouterr().out == ""


def test_compose_writes_the_client_schema_too(tmp_path: Path) -> None:
    out, api = tmp_path / "supergraph.graphql", tmp_path / "api.graphql"
    config = str(write_config(tmp_path))
    assert cli.main(["compose", "--config", config, "-o", str(out), "--api-schema", str(api)]) == 0
    text = api.read_text(encoding="utf-8")
    assert "type Product" in text and "topProducts" in text
    assert "join__" not in text and "@link" not in text and "_entities" not in text
    assert text == print_api_schema(build_api_schema(load_supergraph(out.read_text())))


def test_compose_files_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    flags = [f"--subgraph={n}={DEMO / f'{n}.graphql'}" for n in ("products", "reviews")]
    assert cli.main(["compose", *flags]) == 0
    supergraph = load_supergraph(capsys.readouterr().out)
    assert supergraph.subgraphs["products"].url == "http://products/graphql"


def test_failed_composition_lists_every_error_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text(INVALID, encoding="utf-8")
    other = tmp_path / "other.graphql"
    other.write_text("type Query { count: String }", encoding="utf-8")
    assert cli.main(["compose", f"--subgraph=users={bad}", f"--subgraph=stats={other}"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0].startswith('KEY_INVALID_FIELDS: [users] On type "User"')
    assert lines[-1] == "simpul: composition failed with 1 error"


def test_merge_errors_are_all_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = tmp_path / "a.graphql"
    a.write_text("type Query { count: Int name: String }", encoding="utf-8")
    b = tmp_path / "b.graphql"
    b.write_text(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [])\n'
        "type Query { count: String name: String }",
        encoding="utf-8",
    )
    assert cli.main(["compose", f"--subgraph=a={a}", f"--subgraph=b={b}"]) == 1
    err = capsys.readouterr().err
    assert "FIELD_TYPE_MISMATCH: " in err
    assert 'INVALID_FIELD_SHARING: Non-shareable field "Query.name"' in err
    assert err.endswith("simpul: composition failed with 3 errors\n")


def test_unreadable_subgraph_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["compose", "--subgraph", "a=/nonexistent.graphql"]) == 1
    assert "subgraph a: cannot read /nonexistent.graphql" in capsys.readouterr().err


def test_no_subgraphs(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["compose"]) == 1
    assert "no subgraphs" in capsys.readouterr().err


def _answering(sdl_by_host: dict[str, str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        assert json.loads(request.content)["query"] == sources.SDL_QUERY
        sdl = sdl_by_host.get(request.url.host)
        if sdl is None:
            return httpx.Response(404)
        return httpx.Response(200, json={"data": {"_service": {"sdl": sdl}}})

    return httpx.MockTransport(handle)


def test_live_sdl_is_fetched_from_the_subgraph(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    transport = _answering({"reviews.local": (DEMO / "reviews.graphql").read_text()})

    class Client(httpx.Client):
        def __init__(self, **options: object) -> None:
            super().__init__(transport=transport, timeout=1.0)

    monkeypatch.setattr(sources.httpx, "Client", Client)
    flags = [f"--subgraph=products={DEMO / 'products.graphql'}"]
    flags.append("--subgraph=reviews=http://reviews.local/graphql")
    assert cli.main(["compose", *flags]) == 0
    supergraph = load_supergraph(capsys.readouterr().out)
    assert supergraph.subgraphs["reviews"].url == "http://reviews.local/graphql"


def test_a_subgraph_that_is_not_a_subgraph() -> None:
    transport = _answering({})
    with pytest.raises(SourceError, match="answered HTTP 404"):
        load_sdls([SubgraphSource("x", "http://x.local/graphql")], transport)

    def not_federated(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"errors": [{"message": "Cannot query _service"}]})

    with pytest.raises(SourceError, match="is it a federation subgraph"):
        load_sdls([SubgraphSource("x", "http://x/graphql")], httpx.MockTransport(not_federated))


def test_flags_replace_a_configured_subgraphs_sdl_and_keep_its_url() -> None:
    configured = [SubgraphSource("a", "http://a.svc/graphql")]
    replaced = with_flags(configured, ["a=a.graphql", "b=b.graphql", "c=https://c.svc/graphql"])
    assert replaced == [
        SubgraphSource("a", "http://a.svc/graphql", Path("a.graphql")),
        SubgraphSource("b", "http://b/graphql", Path("b.graphql")),
        SubgraphSource("c", "https://c.svc/graphql"),
    ]
    with pytest.raises(SourceError):
        with_flags([], ["no-equals-sign"])
