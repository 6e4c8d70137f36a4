"""Two gateway processes sharing one Redis, as replicas behind a Service do: a document one
registers by automatic persisted query runs on the other by its hash alone. (Personal-data
counters shared the same way: ``tests/access/test_shared_limits.py``.)"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.persisted import document_id
from tests.support.gateway_process import start_gateway, stop_gateway, wait_ready

SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "demo" / "supergraph.graphql"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def replicas() -> Iterator[tuple[str, str]]:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.fail("Redis is not running on 127.0.0.1:6379 (see .ci/run to start it)")
    env = {"SIMPUL_CALL_SIGNING": "none", "SIMPUL_DOCUMENTS_REDIS_URL": REDIS}
    urls: list[str] = []
    processes = []
    try:
        for _ in range(2):
            process, url = start_gateway("--supergraph", str(SUPERGRAPH), env=env)
            processes.append(process)
            wait_ready(url)
            urls.append(url)
        yield urls[0], urls[1]
    finally:
        for process in processes:
            assert stop_gateway(process) == 0


def persisted(url: str, digest: str, query: str | None = None) -> Any:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    if query is not None:
        body["query"] = query
    return httpx.post(f"{url}/graphql", json=body, timeout=10).json()


def test_a_document_registered_on_one_replica_runs_on_the_other(
    replicas: tuple[str, str],
) -> None:
    first, second = replicas
    # a document of its own, unknown to any earlier run
    query = f"query Replicated{secrets.token_hex(4)} {{ __typename }}"
    digest = document_id(query)
    unknown = persisted(second, digest)
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert persisted(first, digest, query) == {"data": {"__typename": "Query"}}
    assert persisted(second, digest) == {"data": {"__typename": "Query"}}
