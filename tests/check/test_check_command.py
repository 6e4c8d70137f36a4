"""``simpul check`` on the demo graph (products, reviews): the exit status CI relies on, the
changes listed, the client operations named, and the JSON object."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway import cli
from gateway.compose import sources

DEMO = Path(__file__).resolve().parents[2] / "schema" / "demo"
PRODUCTS = (DEMO / "products.graphql").read_text(encoding="utf-8")
AGAINST = ["--against", str(DEMO / "supergraph.graphql")]


def write_config(folder: Path, products: Path = DEMO / "products.graphql") -> Path:
    config = folder / "subgraphs.toml"
    config.write_text(
        "[subgraphs.products]\n"
        'url = "http://127.0.0.1:4001/graphql"\n'
        f'schema = "{products}"\n'
        "[subgraphs.reviews]\n"
        'url = "http://127.0.0.1:4002/graphql"\n'
        f'schema = "{DEMO / "reviews.graphql"}"\n',
        encoding="utf-8",
    )
    return config


def proposed_products(folder: Path, old: str, new: str) -> str:
    """A ``--subgraph products=FILE`` flag with ``old`` replaced by ``new`` in its SDL."""
    assert old in PRODUCTS
    path = folder / "products-proposed.graphql"
    path.write_text(PRODUCTS.replace(old, new), encoding="utf-8")
    return f"--subgraph=products={path}"


def write_operations(folder: Path) -> Path:
    operations = folder / "portal"
    (operations / "fragments").mkdir(parents=True)
    (operations / "shop.graphql").write_text(
        "query TopProducts {\n  topProducts { ...ProductCard }\n}\n\n"
        "query OneProduct($upc: ID!) {\n  product(upc: $upc) { name }\n}\n",
        encoding="utf-8",
    )
    (operations / "fragments" / "card.graphql").write_text(
        "fragment ProductCard on Product {\n  upc\n  name\n  price\n}\n", encoding="utf-8"
    )
    (operations / "reviews.graphql").write_text(
        "query LatestReviews {\n  latestReviews { body product { name } }\n}\n",
        encoding="utf-8",
    )
    return operations


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(["check", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_an_added_field_is_safe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flag = proposed_products(tmp_path, "  name: String!\n", "  name: String!\n  berat: Int\n")
    status, out, _ = run(capsys, "--config", str(write_config(tmp_path)), *AGAINST, flag)
    assert status == 0
    assert "Safe changes (1)\n  FIELD_ADDED  Product.berat\n" in out
    assert out.endswith("SAFE: 0 breaking, 0 dangerous, 1 safe change.\n")


def test_no_change_is_safe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--config", str(write_config(tmp_path)), *AGAINST)
    assert (status, out) == (0, "SAFE: no change to the API schema.\n")


def test_a_removed_field_names_the_operations_it_breaks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flag = proposed_products(tmp_path, '  """Price in rupiah."""\n  price: Int!\n', "")
    operations = write_operations(tmp_path)
    config = str(write_config(tmp_path))
    status, out, err = run(
        capsys, "--config", config, *AGAINST, flag, "--operations", str(operations)
    )
    assert (status, err) == (1, "")
    assert out == (
        "Breaking changes (1)\n"
        "  FIELD_REMOVED  Product.price\n"
        "    Field 'Product.price' was removed: operations selecting it stop validating.\n"
        "\n"
        "Operations this change breaks (1)\n"
        f"  TopProducts  ({operations / 'shop.graphql'})\n"
        "    Cannot query field 'price' on type 'Product'. "
        f"({operations / 'fragments' / 'card.graphql'}, line 4, column 3)\n"
        "\n"
        "BREAKING: 1 breaking, 0 dangerous, 0 safe change; 1 of 3 operations broken.\n"
    )

    status, out, _ = run(
        capsys,
        "--config",
        config,
        *AGAINST,
        flag,
        "--operations",
        str(operations),
        "--format",
        "json",
    )
    assert status == 1
    report = json.loads(out)
    assert report["status"] == "breaking"
    assert report["errors"] == []
    (change,) = report["changes"]
    assert change == {
        "severity": "breaking",
        "code": "FIELD_REMOVED",
        "path": "Product.price",
        "message": "Field 'Product.price' was removed: operations selecting it stop validating.",
    }
    assert [(o["name"], o["file"]) for o in report["operations"]] == [
        ("TopProducts", str(operations / "shop.graphql"))
    ]
    assert report["operations"][0]["errors"][0].startswith(
        "Cannot query field 'price' on type 'Product'."
    )
    assert report["already_invalid"] == []


def test_operations_already_invalid_are_not_blamed_on_the_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    operations = write_operations(tmp_path)
    (operations / "stale.graphql").write_text("query Stale { topProducts { berat } }\n")
    flag = proposed_products(tmp_path, "  name: String!\n", "  name: String!\n  stok: Int\n")
    config = str(write_config(tmp_path))
    argv = ["--config", config, *AGAINST, flag, "--operations", str(operations)]
    status, out, _ = run(capsys, *argv)
    assert status == 0
    assert (
        "Operations already invalid against the current schema (not caused by this change) (1)\n"
        f"  Stale  ({operations / 'stale.graphql'})\n"
        "    Cannot query field 'berat' on type 'Product'. (line 1, column 29)\n"
    ) in out
    assert "Operations this change breaks" not in out
    assert out.endswith("1 safe change; 0 of 4 operations broken, 1 already invalid.\n")
    status, out, _ = run(capsys, *argv, "--format", "json")
    report = json.loads(out)
    assert (status, report["status"], report["operations"]) == (0, "safe", [])
    assert [o["name"] for o in report["already_invalid"]] == ["Stale"]


def test_a_subgraph_that_does_not_compose_exits_2_with_every_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a key selecting a field Product does not have
    flag = proposed_products(
        tmp_path, "type Product @key", 'type Product @key(fields: "nope") @key'
    )
    config = str(write_config(tmp_path))
    status, out, _ = run(capsys, "--config", config, *AGAINST, flag)
    assert status == 2
    assert out.startswith("Composition failed: the proposed subgraphs do not compose.\n\n")
    assert '  KEY_INVALID_FIELDS: [products] On type "Product"' in out
    assert out.endswith("composition failed: 1 error; no schema to compare.\n")

    status, out, _ = run(capsys, "--config", config, *AGAINST, flag, "--format", "json")
    report = json.loads(out)
    assert (status, report["status"], report["changes"]) == (2, "composition_failed", [])
    assert [e["code"] for e in report["errors"]] == ["KEY_INVALID_FIELDS"]


def test_several_composition_errors_are_all_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "stats.graphql"
    other.write_text(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [])\n'
        "type Query { topProducts: Int product: String }\n",
        encoding="utf-8",
    )
    config = str(write_config(tmp_path))
    status, out, _ = run(
        capsys, "--config", config, *AGAINST, f"--subgraph=stats={other}", "--format", "json"
    )
    codes = [e["code"] for e in json.loads(out)["errors"]]
    assert status == 2
    assert codes.count("FIELD_TYPE_MISMATCH") == 2 and "INVALID_FIELD_SHARING" in codes


def test_a_new_optional_argument_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flag = proposed_products(tmp_path, "product(upc: ID!)", "product(upc: ID!, tahun: Int)")
    status, out, _ = run(capsys, "--config", str(write_config(tmp_path)), *AGAINST, flag)
    assert status == 0
    assert out.startswith(
        "Dangerous changes (warnings: existing operations still validate) (1)\n"
        "  ARG_ADDED_OPTIONAL  Query.product(tahun:)\n"
    )
    assert out.endswith("SAFE: 0 breaking, 1 dangerous, 0 safe change.\n")


ENUM_GRAPH = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { izin(nomor: ID!): Izin }
type Izin @key(fields: "nomor") { nomor: ID! status: StatusIzin! }
enum StatusIzin { TERBIT DICABUT }
"""


def test_an_enum_value_added_is_a_warning_against_the_composed_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No --against: the current graph is the configured subgraphs, composed unmodified.
    current = tmp_path / "dpmptsp.graphql"
    current.write_text(ENUM_GRAPH, encoding="utf-8")
    proposed = tmp_path / "dpmptsp-proposed.graphql"
    proposed.write_text(ENUM_GRAPH.replace("DICABUT", "DICABUT DIBEKUKAN"), encoding="utf-8")
    config = tmp_path / "subgraphs.toml"
    config.write_text(
        f'[subgraphs.dpmptsp]\nurl = "http://127.0.0.1:4016/graphql"\nschema = "{current}"\n'
    )
    argv = ["--config", str(config), f"--subgraph=dpmptsp={proposed}", "--format", "json"]
    status, out, _ = run(capsys, *argv)
    assert status == 0
    report = json.loads(out)
    assert report["status"] == "safe"
    assert [(c["severity"], c["code"], c["path"]) for c in report["changes"]] == [
        ("dangerous", "ENUM_VALUE_ADDED", "StatusIzin.DIBEKUKAN")
    ]


def test_defaults_are_the_city_graphs_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Run from a checkout: schema/subgraphs.toml and schema/supergraph.graphql are found.
    schema = tmp_path / "schema"
    schema.mkdir()
    write_config(schema)
    shutil.copy(DEMO / "supergraph.graphql", schema / "supergraph.graphql")
    flag = proposed_products(
        tmp_path, "  upc: ID!\n  name: String!\n", "  upc: ID!\n  name: String\n"
    )
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, flag)
    assert status == 1
    assert "  FIELD_TYPE_CHANGED  Product.name\n" in out
    assert "from String! to String: it can now be null" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--against", "/nonexistent/supergraph.graphql"], "cannot read the current supergraph"),
        (["--operations", "/nonexistent/portal"], "--operations /nonexistent/portal: not a folder"),
        (["--subgraph", "products=/nonexistent.graphql"], "subgraph products: cannot read"),
        (["--subgraph", "products"], "expected NAME=URL_OR_SDL_FILE"),
    ],
)
def test_unreadable_inputs_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, "--config", str(write_config(tmp_path)), *AGAINST, *argv)
    assert (status, out) == (2, "")
    assert err.startswith("simpul: ") and message in err


def test_an_against_file_that_is_not_a_supergraph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    against = tmp_path / "api.graphql"
    against.write_text("type Query { a: Int }\n", encoding="utf-8")
    argv = ["--config", str(write_config(tmp_path)), "--against", str(against)]
    status, _, err = run(capsys, *argv)
    assert status == 2 and "not a usable supergraph" in err


def test_nothing_to_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys)[0] == 2
    status, _, err = run(capsys, f"--subgraph=products={DEMO / 'products.graphql'}")
    assert status == 2 and "nothing to compare with" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["check", "--format", "yaml"])
    assert exit.value.code == 2


def test_a_running_subgraphs_sdl_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served = PRODUCTS.replace("  name: String!\n", "  name: String!\n  berat: Int\n")
    asked: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        body: dict[str, Any] = json.loads(request.content)
        asked.append(f"{request.url} {body['query']}")
        return httpx.Response(200, json={"data": {"_service": {"sdl": served}}})

    class Client(httpx.Client):
        def __init__(self, **options: object) -> None:
            super().__init__(transport=httpx.MockTransport(handle), timeout=1.0)

    monkeypatch.setattr(sources.httpx, "Client", Client)
    flag = "--subgraph=products=http://products.local/graphql"
    status, out, _ = run(capsys, "--config", str(write_config(tmp_path)), *AGAINST, flag)
    assert asked == [f"http://products.local/graphql {sources.SDL_QUERY}"]
    assert status == 0 and "FIELD_ADDED  Product.berat" in out


def test_operations_using_a_field_that_can_now_be_null_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # They still validate, so nothing else would point at them.
    flag = proposed_products(tmp_path, "  name: String!\n", "  name: String\n")
    operations = write_operations(tmp_path)
    argv = [
        "--config",
        str(write_config(tmp_path)),
        *AGAINST,
        flag,
        "--operations",
        str(operations),
    ]
    status, out, _ = run(capsys, *argv)
    assert status == 1
    assert (
        "Operations that still validate but use what changed (3)\n"
        f"  LatestReviews  ({operations / 'reviews.graphql'})\n"
        "    breaking: FIELD_TYPE_CHANGED  Product.name\n"
        f"  TopProducts  ({operations / 'shop.graphql'})\n"
        "    breaking: FIELD_TYPE_CHANGED  Product.name\n"
        f"  OneProduct  ({operations / 'shop.graphql'})\n"
        "    breaking: FIELD_TYPE_CHANGED  Product.name\n"
    ) in out
    assert out.endswith("0 of 3 operations broken, 3 affected.\n")
    status, out, _ = run(capsys, *argv, "--format", "json")
    report = json.loads(out)
    assert (status, report["operations"]) == (1, [])
    assert report["affected"][0] == {
        "name": "LatestReviews",
        "file": str(operations / "reviews.graphql"),
        "changes": [{"severity": "breaking", "code": "FIELD_TYPE_CHANGED", "path": "Product.name"}],
    }
