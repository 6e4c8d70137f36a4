"""What Simpul's access record costs: the personal-data scenario's gateway runs.

The same operation, answer and client, three ways: over the supergraph with its
personal-data marks removed (no access check, no record: the baseline), and with the marks,
the client's grant checked and an entry written (and made durable) before each answer, in
the file store (fsync per group commit) and in PostgreSQL. The client is an integrator
application with an API key and a grant for ``dukcapil.biodata``; its limits are set far
above the load so that nothing is refused. Keys and files are made under
``.cache/bench/personal_data/``; the PostgreSQL database is made for the run and dropped
after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import asyncpg

from bench.peers import Gateway
from gateway.access.grants import generate_api_key, hash_api_key
from simpul.city_secrets import audit_writers_env

__all__ = ["CLIENT", "POSTGRES", "PURPOSE", "record_runs"]

CLIENT = "PNK/GOV/1.06.01/siks"
PURPOSE = "Verifikasi penerima bantuan sosial"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
"""The PostgreSQL server the record is measured on (``BENCH_POSTGRES``; empty: none)."""

BASELINE = "marks removed: no access check, no record"


def _client_files(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The gateway's grants and API keys files for the one client; its request headers."""
    key = generate_api_key()
    grants = folder / "grants.toml"
    grants.write_text(
        f'[[client]]\nname = "{CLIENT}"\n\n[[client.grant]]\npolicy = "dukcapil.biodata"\n'
        f'purposes = ["{PURPOSE}"]\nlegal_basis = "PKS 470/112/2026"\n'
        "rate_per_minute = 100000000\n"
    )
    keys = folder / "api-keys.toml"
    keys.write_text(f'[[key]]\nclient = "{CLIENT}"\nsha256 = "{hash_api_key(key)}"\n')
    env = {"SIMPUL_GRANTS_FILE": str(grants), "SIMPUL_API_KEYS_FILE": str(keys)}
    return env, {"x-api-key": key, "simpul-purpose": PURPOSE}


async def _database(server: str, action: str, name: str) -> None:
    admin = await asyncpg.connect(f"{server}/postgres", timeout=5)
    try:
        if action == "create":
            await admin.execute(f"CREATE DATABASE {name}")
        else:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


@contextlib.contextmanager
def record_runs(
    simpul: Gateway, folder: Path, postgres: str | None = POSTGRES
) -> Iterator[tuple[list[Gateway], list[str]]]:
    """Simpul (``simpul``: its command, dedup off) without and with the access record, in
    files and, with a ``postgres`` server, in a database made on it; notes on what could
    not be measured."""
    (folder / "keys").mkdir(mode=0o700, parents=True, exist_ok=True)
    files_store = folder / "record-files"
    shutil.rmtree(files_store, ignore_errors=True)
    client_env, headers = _client_files(folder)
    audit = audit_writers_env(folder / "keys", ["gateway"], files_store)["gateway"]
    marked = replace(simpul, env={**simpul.env, **client_env, **audit}, headers=headers)
    runs = [
        replace(marked, variant=BASELINE, unmarked=True),
        replace(marked, variant="access record in files (fsync)"),
    ]
    notes: list[str] = []
    database = f"simpul_bench_record_{secrets.token_hex(4)}" if postgres else ""
    if postgres:
        try:
            asyncio.run(_database(postgres, "create", database))
        except (OSError, asyncpg.PostgresError) as error:
            notes.append(f"Access record in PostgreSQL not measured: {postgres}: {error}")
            database = ""
    if postgres and database:
        store = {"SIMPUL_AUDIT_STORE": f"{postgres}/{database}"}
        runs.append(
            replace(marked, variant="access record in PostgreSQL", env={**marked.env, **store})
        )
    try:
        yield runs, notes
    finally:
        if postgres and database:
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                asyncio.run(_database(postgres, "drop", database))
