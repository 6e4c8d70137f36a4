"""An access log of a test's own: a folder store, fresh keys, and ways to read it back."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from gateway.access.call_token import generate_ed25519_key
from gateway.access.keys import write_secret_file
from gateway.audit import AuditTrail, FileStore, Report, Sealer, subject_hash, verify
from gateway.audit.records import load_seal_keys
from gateway.audit.trail import open_trail


@dataclass(frozen=True, slots=True)
class AuditFiles:
    store: Path
    seal_key: Path
    public_keys: Path
    subject_key: Path

    def env(self, replica: str = "gateway") -> dict[str, str]:
        """The ``SIMPUL_AUDIT_*`` variables of one writer."""
        return {
            "SIMPUL_AUDIT_STORE": str(self.store),
            "SIMPUL_AUDIT_REPLICA": replica,
            "SIMPUL_AUDIT_SEAL_KEY_FILE": str(self.seal_key),
            "SIMPUL_AUDIT_SEAL_PUBLIC_KEYS": str(self.public_keys),
            "SIMPUL_AUDIT_SUBJECT_KEY_FILE": str(self.subject_key),
        }

    def trail(self, replica: str = "gateway", **options: Any) -> AuditTrail:
        return open_trail(
            str(self.store),
            replica=replica,
            seal_key_file=str(self.seal_key),
            subject_key_file=str(self.subject_key),
            **options,
        )

    def subject(self, identifier: str) -> str:
        key = base64.b64decode(self.subject_key.read_text().strip())
        return subject_hash(key, identifier)

    def entries(self) -> list[dict[str, Any]]:
        """The bodies of every entry: chains by name, records in the order written."""
        bodies = []
        for path in sorted(self.store.glob("*.jsonl")):
            for line in path.read_bytes().splitlines():
                record = orjson.loads(line)
                if record.get("kind") == "entry":
                    bodies.append(record["body"])
        return bodies

    async def verify(self) -> Report:
        keys = load_seal_keys(self.public_keys.read_text())
        return await verify(FileStore(self.store), keys)


def make_audit_files(folder: Path) -> AuditFiles:
    """Fresh keys in ``folder`` and an empty store ``folder/log``."""
    folder.mkdir(parents=True, exist_ok=True)
    seal_key = folder / "seal.pem"
    text = generate_ed25519_key()
    write_secret_file(str(seal_key), text)
    public_keys = folder / "seal-public.pem"
    public_keys.write_text(Sealer.from_pem(text).public_pem(), encoding="ascii")
    subject_key = folder / "subject.key"
    write_secret_file(str(subject_key), base64.b64encode(os.urandom(32)).decode("ascii"))
    return AuditFiles(folder / "log", seal_key, public_keys, subject_key)


POSTGRES = "postgresql://postgres@127.0.0.1:5432"


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """A PostgreSQL database of its own on the real server, dropped afterwards; its URL."""
    name = f"simpul_audit_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(f"{POSTGRES}/postgres")
    try:
        await admin.execute(f"CREATE DATABASE {name}")
        yield f"{POSTGRES}/{name}"
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()
