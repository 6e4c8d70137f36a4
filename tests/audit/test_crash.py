"""The gateway killed with SIGKILL in the middle of a load of personal-data requests: every
request that got an answer has its entry, and the log verifies, in the file store and in
the real PostgreSQL.

A gateway process serves the registry subgraph (tests/support/registry.py, over uvicorn on
a free port); 16 clients ask for residents' names as fast as it answers, each request with
an id of its own. The gateway is killed (no shutdown, no last seal) once a few hundred
answers have come back, restarted on the same log, asked some more and stopped. Then
``simpul audit verify`` passes and each answered request id is on record as answered.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.access.grants import hash_api_key
from gateway.audit import open_store
from gateway.audit.records import load_seal_keys
from gateway.audit.verify import verify
from tests.e2e.harness import app_of
from tests.support.audit import AuditFiles
from tests.support.gateway_process import start_gateway, stop_gateway, wait_ready
from tests.support.registry import WARGA, registry
from tests.toolkit.legacy import serve

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "e2e" / "supergraphs" / "access_record.graphql"
CLIENT = "PNK/GOV/1.06.01/siks"
KEY = f"spk_{secrets.token_urlsafe(16)}"
PURPOSE = "Verifikasi penerima bantuan sosial"
QUERY = "query Nama($nik: String!) { penduduk(nik: $nik) { nama } }"
CLIENTS = 16
ANSWERS_BEFORE_KILL = 300


@pytest.fixture
async def subgraph_url() -> AsyncIterator[str]:
    async with serve(app_of(registry)) as url:  # type: ignore[arg-type]
        yield url


def gateway_env(tmp_path: Path, audit: AuditFiles, store: str) -> dict[str, str]:
    grants = tmp_path / "grants.toml"
    grants.write_text(
        f'[[client]]\nname = "{CLIENT}"\n\n[[client.grant]]\npolicy = "dukcapil.biodata"\n'
        f'purposes = ["{PURPOSE}"]\nlegal_basis = "PKS 470/112/2026"\n'
        "rate_per_minute = 1000000\n"
    )
    keys = tmp_path / "keys.toml"
    keys.write_text(f'[[key]]\nclient = "{CLIENT}"\nsha256 = "{hash_api_key(KEY)}"\n')
    return {
        **audit.env(),
        "SIMPUL_AUDIT_STORE": store,
        "SIMPUL_CALL_SIGNING": "none",
        "SIMPUL_GRANTS_FILE": str(grants),
        "SIMPUL_API_KEYS_FILE": str(keys),
    }


def supergraph(tmp_path: Path, subgraph_url: str) -> str:
    path = tmp_path / "supergraph.graphql"
    path.write_text(FIXTURE.read_text().replace("http://registry", subgraph_url))
    return str(path)


async def load(url: str, prefix: str, enough: int, kill: int | None = None) -> set[str]:
    """Ask for names from :data:`CLIENTS` clients until ``enough`` answers, or until the
    gateway stops answering; with ``kill``, SIGKILL that process at ``enough`` answers while
    the clients keep asking. The ids of the requests answered."""
    answered: set[str] = set()
    niks = list(WARGA)
    counter = itertools.count()
    done = asyncio.Event()

    async def client(number: int) -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            while kill is not None or not done.is_set():
                n = next(counter)
                request_id = f"{prefix}-{number}-{n}"
                try:
                    response = await http.post(
                        f"{url}/graphql",
                        json={"query": QUERY, "variables": {"nik": niks[n % len(niks)]}},
                        headers={
                            "x-api-key": KEY,
                            "simpul-purpose": PURPOSE,
                            "x-request-id": request_id,
                        },
                    )
                except httpx.HTTPError:
                    return  # the gateway is gone
                body: Any = response.json()
                if response.status_code == 200 and (body.get("data") or {}).get("penduduk"):
                    answered.add(request_id)
                    if len(answered) >= enough and not done.is_set():
                        done.set()
                        if kill is not None:
                            os.kill(kill, signal.SIGKILL)

    await asyncio.gather(*(client(i) for i in range(CLIENTS)))
    return answered


async def test_sigkill_under_load_loses_no_answered_entry(
    tmp_path: Path, audit: AuditFiles, store: str, subgraph_url: str
) -> None:
    env = gateway_env(tmp_path, audit, store)
    sdl = supergraph(tmp_path, subgraph_url)
    process, url = start_gateway("--supergraph", sdl, env=env)
    wait_ready(url)
    before_kill = await load(url, "a", ANSWERS_BEFORE_KILL, kill=process.pid)
    assert process.wait(timeout=10) == -signal.SIGKILL
    assert process.stderr is not None
    process.stderr.close()
    assert len(before_kill) >= ANSWERS_BEFORE_KILL

    process, url = start_gateway("--supergraph", sdl, env=env)
    wait_ready(url)
    after_restart = await load(url, "b", 50)
    assert stop_gateway(process) == 0

    recorded = await entries(store)
    answered_entries = {e["request"] for e in recorded if e["outcome"] == "answered"}
    missing = (before_kill | after_restart) - answered_entries
    assert missing == set(), f"{len(missing)} answered requests have no entry"
    opened = open_store(store)
    try:
        verdict = await verify(opened, load_seal_keys(audit.public_keys.read_text()))
    finally:
        await opened.close()
    assert verdict.problems == []
    assert verdict.chains == 2  # gateway-0.000000, killed, and gateway-0.000001 after it
    assert verdict.entries >= len(before_kill) + len(after_restart)


async def entries(location: str) -> list[dict[str, Any]]:
    opened = open_store(location)
    try:
        return [
            record["body"]
            for chain in await opened.chains()
            for record in await opened.read(chain)
            if record.get("kind") == "entry"
        ]
    finally:
        await opened.close()
