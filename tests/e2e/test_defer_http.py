"""@defer over HTTP: ``multipart/mixed`` parts as they come, read by our own parser and by a
real client library (Apollo Client, from npm), against the gateway running as a process."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.peers import NODE_DIR, install_peers
from gateway.config import GatewayConfig
from gateway.server import create_app
from tests.e2e import test_context
from tests.e2e.conftest import Federate
from tests.fuzz.served import served_graph
from tests.support.gateway_process import start_gateway, stop_gateway

QUERY = 'query Ringkasan { opd { nama ... @defer(label: "anggaran") { programs { pagu } } } }'
APOLLO_ACCEPT = "multipart/mixed;deferSpec=20220824,application/json"
CLIENT = Path(__file__).with_name("defer_client.mjs")


def parts(response: httpx.Response) -> list[Any]:
    """The JSON payloads of a ``multipart/mixed`` answer (boundary ``-``)."""
    body = response.content
    assert body.endswith(b"\r\n-----\r\n"), body[-40:]
    payloads = []
    for part in body[: -len(b"\r\n-----\r\n")].split(b"\r\n---\r\n")[1:]:
        head, _, content = part.partition(b"\r\n\r\n")
        assert head.lower() == b"content-type: application/json; charset=utf-8"
        payloads.append(orjson.loads(content))
    return payloads


async def test_parts_in_apollo_clients_form_and_in_the_drafts(federate: Federate) -> None:
    federation = federate(test_context.SUPERGRAPH, test_context.APPS)
    app = create_app(federation.engine, GatewayConfig())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.post(
            "/graphql", json={"query": QUERY}, headers={"accept": APOLLO_ACCEPT}
        )
        assert response.status_code == 200
        assert (
            response.headers["content-type"] == 'multipart/mixed; boundary="-"; deferSpec=20220824'
        )
        initial, rest = parts(response)
        assert initial["hasNext"] is True and "pending" not in initial
        assert [i["path"] for i in rest["incremental"]] == [["opd", 0], ["opd", 1]]
        response = await client.post(
            "/graphql", json={"query": QUERY}, headers={"accept": "multipart/mixed"}
        )
        assert response.headers["content-type"] == 'multipart/mixed; boundary="-"'
        initial, rest = parts(response)
        assert [p["id"] for p in initial["pending"]] == ["0", "1"]
        assert rest["completed"] == [{"id": "0"}, {"id": "1"}] and rest["hasNext"] is False
        # without multipart/mixed in Accept, one JSON answer holds everything
        response = await client.post("/graphql", json={"query": QUERY})
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["data"]["opd"][1]["programs"] == [{"pagu": 3_500}, {"pagu": 4_750}]
        # a client taking only parts gets an answer without @defer as one part
        response = await client.post(
            "/graphql", json={"query": "{ opd { nama } }"}, headers={"accept": "multipart/mixed"}
        )
        [only] = parts(response)
        assert only == {
            "data": {"opd": [{"nama": n["nama"]} for n in _initial()]},
            "hasNext": False,
        }


def _initial() -> list[dict[str, str]]:
    return [{"nama": "Dinas Pendidikan dan Kebudayaan"}, {"nama": "Dinas Kesehatan"}]


def test_apollo_client_reads_the_parts(tmp_path: Path) -> None:
    node, why = install_peers(tmp_path / "npm.log")
    assert node is not None, f"Apollo Client cannot be installed: {why}"
    shutil.copyfile(CLIENT, NODE_DIR / CLIENT.name)
    with served_graph("context") as served:
        process, url = start_gateway("--supergraph", str(served.supergraph))
        try:
            done = subprocess.run(
                [str(node), str(NODE_DIR / CLIENT.name), f"{url}/graphql", QUERY, "2"],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        finally:
            stop_gateway(process)
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    # the OPDs first, without their programs; then the whole answer, merged by the client
    assert [o.get("programs") for o in results[0]["data"]["opd"]] == [None, None]
    assert results[1] == {
        "loading": False,
        "data": {
            "opd": [
                {
                    "__typename": "Opd",
                    "nama": "Dinas Pendidikan dan Kebudayaan",
                    "programs": [
                        {"__typename": "Program", "pagu": 12_500},
                        {"__typename": "Program", "pagu": 2_000},
                    ],
                },
                {
                    "__typename": "Opd",
                    "nama": "Dinas Kesehatan",
                    "programs": [
                        {"__typename": "Program", "pagu": 3_500},
                        {"__typename": "Program", "pagu": 4_750},
                    ],
                },
            ]
        },
    }


async def test_the_parts_are_held_to_the_answer_size_limit(federate: Federate) -> None:
    # the initial part fits, the deferred one would pass the limit: it is replaced by a
    # last part saying why
    federation = federate(test_context.SUPERGRAPH, test_context.APPS)
    config = GatewayConfig()
    config = replace(config, server=replace(config.server, max_response_bytes=300))
    app = create_app(federation.engine, config)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        query = (
            "{ opd { nama ... @defer { programs { nama pagu a: nama b: nama c: nama d: nama } } } }"
        )
        response = await client.post(
            "/graphql", json={"query": query}, headers={"accept": "multipart/mixed"}
        )
    initial, last = parts(response)
    assert initial["hasNext"] is True
    assert last["hasNext"] is False
    assert [e["extensions"]["code"] for e in last["errors"]] == ["RESPONSE_TOO_LARGE"]
