"""``make up`` refuses to start next to another city rather than mixing with its processes."""

from __future__ import annotations

import socket
import stat
import time
from pathlib import Path

import pytest

from simpul import city
from subgraphs.registry import REGISTRY, city_opds


def test_a_busy_port_is_refused_before_anything_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        assert city.main(["--port", str(port)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("city: port ") and str(port) in error
    assert "already in use (is make up running?)" in error


def test_the_children_are_planned_in_start_order(tmp_path: Path) -> None:
    children = city.plan_children("127.0.0.1", 4000, None, city.city_secrets(tmp_path / "s"))
    roles = [child.role for child in children]
    opds = len(city_opds())  # the identity provider, then each OPD's system, subgraph
    assert roles == ["simulator"] * (1 + opds) + ["subgraph"] * opds + ["gateway"]
    assert children[0].name == "sso"
    assert [c.name for c in children if c.role == "subgraph"] == [o.name for o in city_opds()]
    assert children[-1].ready_url == "http://127.0.0.1:4000/ready"


def test_development_secrets_are_made_once_readable_by_their_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    first = city.city_secrets(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(folder.iterdir())
    assert {f.name for f in files} >= {
        "call.key",
        "call-dukcapil.key",
        "audit-subject.key",
        "audit-seal-gateway.pem",
        "audit-seal-dukcapil.pem",
        "audit-seal-public.pem",
        "DAPODIK_TOKEN",
        "sso-dinsos-siks.secret",
        "sso-clients.toml",
        "api-keys.toml",
        "api-key-simpus.txt",
    }
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    contents = {f.name: f.read_bytes() for f in files}
    second = city.city_secrets(folder)
    assert {f.name: f.read_bytes() for f in folder.iterdir()} == contents
    assert first == second
    # each process is handed files, never the secret values themselves
    for env in (first.gateway_env, *first.opd_env.values()):
        for value in env.values():
            assert value.encode() not in b"".join(contents.values())
    assert first.opd_env["dikbud"]["DAPODIK_TOKEN_FILE"].endswith("/DAPODIK_TOKEN")
    assert "DAPODIK_TOKEN_FILE" not in first.opd_env["dinkes"]
    # one access log, one subject key, a seal key per writer
    writers = first.audit_env
    assert {w["SIMPUL_AUDIT_STORE"] for w in writers.values()} == {str(city.AUDIT_STORE)}
    assert len({w["SIMPUL_AUDIT_SUBJECT_KEY_FILE"] for w in writers.values()}) == 1
    assert len({w["SIMPUL_AUDIT_SEAL_KEY_FILE"] for w in writers.values()}) == len(writers)


def test_an_opd_added_to_the_registry_is_run_by_make_up(tmp_path: Path) -> None:
    # a seventh OPD: its table in schema/subgraphs.toml is all make up needs
    registry = tmp_path / "subgraphs.toml"
    registry.write_text(
        REGISTRY.read_text(encoding="utf-8")
        + '\n[subgraphs.dinkes2]\nurl = "http://127.0.0.1:4017/graphql"\n'
        'schema = "dinkes.graphql"\npackage = "subgraphs.dinkes"\n'
        'simulator = "http://127.0.0.1:4107"\n',
        encoding="utf-8",
    )
    (tmp_path / "dinkes.graphql").write_text((REGISTRY.parent / "dinkes.graphql").read_text())
    secrets = city.city_secrets(tmp_path / "s", registry=registry)
    children = city.plan_children("127.0.0.1", 4000, None, secrets, registry)
    by_name = {child.name: child for child in children}
    assert by_name["dinkes2"].url == "http://127.0.0.1:4017/graphql"
    assert by_name["dinkes2"].argv[1:] == (
        *("-m", "subgraphs.dinkes.serve", "subgraph", "--port", "4017"),
        *("--simulator", "http://127.0.0.1:4107"),
    )
    assert by_name["dinkes2-legacy"].ready_url == "http://127.0.0.1:4107/health"
    assert [c.name for c in children if c.role == "subgraph"][-1] == "dinkes2"


def test_an_opd_that_keeps_stopping_is_restarted_after_ever_longer_pauses() -> None:
    running = city.City([])
    pauses = []
    for _ in range(7):
        running._started["dinkes"] = time.monotonic()  # it stopped right after starting
        pauses.append(running._pause("dinkes"))
    assert pauses == [1, 2, 4, 8, 16, 30, 30]
    running._started["dinkes"] = time.monotonic() - city.RESTART_RESET  # ran a minute
    assert running._pause("dinkes") == 1
