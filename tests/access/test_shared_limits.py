"""Personal-data limits shared by two gateway processes through the real Redis, and refused
when Redis cannot be reached.

The limit is checked before any subgraph call, so the subgraphs need not run: a use the
limit allows fails afterwards with ``SUBREQUEST_HTTP_ERROR`` (nobody answers), a use beyond
it is ``RATE_LIMITED`` and never leaves the gateway.
"""

from __future__ import annotations

import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.access.grants import hash_api_key
from tests.support.audit import AuditFiles
from tests.support.gateway_process import start_gateway, stop_gateway, wait_ready

SUPERGRAPH = Path(__file__).resolve().parents[1] / "e2e" / "supergraphs" / "access.graphql"
PURPOSE = "Verifikasi penerima bantuan sosial"
REDIS = "redis://127.0.0.1:6379/0"
VERIFY = 'mutation { verify(nik: "6171010101900001") }'


def redis_is_up() -> None:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            # CI starts Redis (.ci/run); a missing one is a failure, never a skip
            pytest.fail("Redis is not running on 127.0.0.1:6379 (see .ci/run to start it)")


@pytest.fixture
def files(tmp_path: Path, audit: AuditFiles) -> dict[str, str]:
    """A client of its own (so no earlier run's counters apply), granted 3 uses a minute."""
    client = f"PNK/GOV/1.06.01/uji-{secrets.token_hex(4)}"
    key = f"spk_{secrets.token_urlsafe(24)}"
    grants = tmp_path / "grants.toml"
    grants.write_text(
        f'[[client]]\nname = "{client}"\n\n[[client.grant]]\npolicy = "dukcapil.verifikasi"\n'
        f'purposes = ["{PURPOSE}"]\nrate_per_minute = 3\n'
    )
    keys = tmp_path / "keys.toml"
    keys.write_text(f'[[key]]\nclient = "{client}"\nsha256 = "{hash_api_key(key)}"\n')
    return {"grants": str(grants), "keys": str(keys), "key": key, **audit.env()}


def gateway(files: dict[str, str], redis: str) -> tuple[subprocess.Popen[str], str]:
    env = {
        "SIMPUL_CALL_SIGNING": "none",
        "SIMPUL_GRANTS_FILE": files["grants"],
        "SIMPUL_API_KEYS_FILE": files["keys"],
        "SIMPUL_REDIS_URL": redis,
        "SIMPUL_SUBGRAPH_TIMEOUT": "2",
        **{k: v for k, v in files.items() if k.startswith("SIMPUL_AUDIT_")},
    }
    process, url = start_gateway("--supergraph", str(SUPERGRAPH), env=env)
    wait_ready(url)
    return process, url


@pytest.fixture
def two_gateways(files: dict[str, str]) -> Iterator[tuple[str, str]]:
    redis_is_up()
    first, first_url = gateway(files, REDIS)
    try:
        second, second_url = gateway(files, REDIS)
        try:
            yield first_url, second_url
        finally:
            assert stop_gateway(second) == 0
    finally:
        assert stop_gateway(first) == 0


def verify(url: str, files: dict[str, str]) -> Any:
    answer = httpx.post(
        f"{url}/graphql",
        json={"query": VERIFY},
        headers={"x-api-key": files["key"], "simpul-purpose": PURPOSE},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_two_gateways_share_one_clients_allowance(
    two_gateways: tuple[str, str], files: dict[str, str], audit: AuditFiles
) -> None:
    first, second = two_gateways
    if 60 - time.time() % 60 < 10:  # the allowance is per minute of the clock
        time.sleep(60 - time.time() % 60 + 0.5)
    codes = [
        verify(url, files)["errors"][0]["extensions"]["code"]
        for url in (first, second, first, second, first)
    ]
    assert codes == [
        "SUBREQUEST_HTTP_ERROR",
        "SUBREQUEST_HTTP_ERROR",
        "SUBREQUEST_HTTP_ERROR",
        "RATE_LIMITED",
        "RATE_LIMITED",
    ]
    # both processes write to one access log, each its own chain
    entries = audit.entries()
    assert [e["outcome"] for e in entries].count("failed") == 3
    assert [e["outcome"] for e in entries].count("refused") == 2
    assert sorted(p.name for p in audit.store.glob("*.jsonl")) == [
        "gateway-0.000000.jsonl",
        "gateway-1.000000.jsonl",
    ]


def test_without_redis_personal_data_is_refused_not_unlimited(files: dict[str, str]) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    process, url = gateway(files, f"redis://127.0.0.1:{port}/0")
    try:
        body = verify(url, files)
        public = httpx.post(f"{url}/graphql", json={"query": "{ __typename }"}).json()
    finally:
        assert stop_gateway(process) == 0
    assert body["data"] == {"verify": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["RATE_LIMIT_UNAVAILABLE"]
    assert public == {"data": {"__typename": "Query"}}
