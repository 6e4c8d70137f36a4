"""The simpul command: configuration errors and bad supergraphs stop it before it listens;
``simpul gateway`` serves and stops on SIGINT."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx
import pytest
import uvicorn

from simpul import cli
from tests.support.gateway_process import start_gateway, stop_gateway, wait_ready

SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "demo" / "supergraph.graphql"


@pytest.fixture(autouse=True)
def no_listening(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs must fail before uvicorn would listen."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("uvicorn.run was called")

    monkeypatch.setattr(uvicorn, "run", refuse)
    for name in list(os.environ):
        if name.startswith("SIMPUL_"):
            monkeypatch.delenv(name)


def test_invalid_supergraph_names_the_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text(SUPERGRAPH.read_text(encoding="utf-8").replace("REVIEWS, key", "RATINGS, key"))
    assert cli.main(["gateway", "--supergraph", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"simpul: {bad}: invalid supergraph: line ")
    assert "RATINGS" in err


def test_syntax_error_in_supergraph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text("type Query {\n  a: String\n")
    assert cli.main(["gateway", "--supergraph", str(bad)]) == 1
    assert "line 3, column 1: syntax error" in capsys.readouterr().err


def test_missing_supergraph_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["gateway", "--supergraph", "/nonexistent.graphql"]) == 1
    assert "cannot read /nonexistent.graphql" in capsys.readouterr().err


def test_no_supergraph_given(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["gateway"]) == 1
    assert "no supergraph" in capsys.readouterr().err


def test_bad_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIMPUL_MAX_DEPTH", "deep")
    assert cli.main(["gateway", "--supergraph", str(SUPERGRAPH)]) == 1
    assert "SIMPUL_MAX_DEPTH must be an integer" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["gateway", "--port", "eighty"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        cli.main([])
    assert caught.value.code == 2


def test_config_prints_file_then_env_then_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "simpul.toml"
    config.write_text('[server]\nhost = "0.0.0.0"\nport = 5000\n[engine]\nmax_depth = 20\n')
    monkeypatch.setenv("SIMPUL_PORT", "6000")
    monkeypatch.setenv("SIMPUL_MAX_DEPTH", "30")
    assert cli.main(["config", "--config", str(config), "--port", "7000"]) == 0
    out = capsys.readouterr().out
    assert 'host = "0.0.0.0"' in out
    assert "port = 7000" in out
    assert "max_depth = 30" in out


@pytest.mark.parametrize("workers", ["1", "2"])
def test_gateway_serves_until_sigint(workers: str) -> None:
    process, url = start_gateway("--supergraph", str(SUPERGRAPH), "--workers", workers)
    try:
        wait_ready(url)
        assert httpx.get(f"{url}/health").json() == {"status": "pass"}
        # Answered by the gateway alone: no subgraph needs to run.
        response = httpx.post(f"{url}/graphql", json={"query": "{ __typename }"})
        assert response.json() == {"data": {"__typename": "Query"}}
    finally:
        assert stop_gateway(process) == 0


def test_access_lines_do_not_quote_a_get_querys_values(tmp_path: Path) -> None:
    nik = "6171014508900001"
    with (tmp_path / "access.log").open("w") as log:
        process, url = start_gateway("--supergraph", str(SUPERGRAPH), stdout=log)
        try:
            wait_ready(url)
            query = "query ($nik: String) { __typename @include(if: true) x: __typename }"
            response = httpx.get(
                f"{url}/graphql", params={"query": query, "variables": f'{{"nik": "{nik}"}}'}
            )
            assert response.status_code == 200
        finally:
            assert stop_gateway(process) == 0
    output = (tmp_path / "access.log").read_text()
    assert '"GET /graphql?… HTTP/1.1" 200' in output
    assert nik not in output and "__typename" not in output


def test_gateway_without_a_call_signing_key_refuses_tostart_gateway(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SIMPUL_CALL_KEY_FILE", "SIMPUL_CALL_SIGNING"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["gateway", "--supergraph", str(SUPERGRAPH)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("simpul: access.call_key_file (SIMPUL_CALL_KEY_FILE) is not set")
    assert "simpul keys generate --out FILE" in error


def test_keys_generate_writes_a_key_only_its_owner_reads(tmp_path: Path) -> None:
    key = tmp_path / "call.key"
    assert cli.main(["keys", "generate", "--out", str(key)]) == 0
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_text()
    assert cli.main(["keys", "generate", "--out", str(key)]) == 1  # never overwritten
    assert key.read_text() == before
    key.chmod(0o644)
    assert cli.main(["keys", "subgraph", "--key-file", str(key), "dukcapil"]) == 1


def test_subgraph_export_sdl_writes_and_then_checks_the_file(tmp_path: Path) -> None:
    out = tmp_path / "dapodik.graphql"
    assert cli.main(["subgraph", "export-sdl", "tests.toolkit.example:dapodik", str(out)]) == 0
    assert '@key(fields: "npsn")' in out.read_text()
    assert (
        cli.main(["subgraph", "export-sdl", "--check", "tests.toolkit.example:dapodik", str(out)])
        == 0
    )
    out.write_text(out.read_text() + "\ntype Drift { x: Int }\n")
    assert (
        cli.main(["subgraph", "export-sdl", "--check", "tests.toolkit.example:dapodik", str(out)])
        == 1
    )
