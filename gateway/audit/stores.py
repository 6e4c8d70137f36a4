"""Where the access log is kept: an append-only file per chain, or a PostgreSQL table.

Both keep records in the order written and are durable when :meth:`append` returns: the
file store writes one batch with one ``write`` and ``fsync`` (in a worker thread), the
PostgreSQL store inserts one batch in one committed transaction (``synchronous_commit`` as
the server says: keep it ``on``). Each chain has one writer: a chain is created by exactly
one process (the file with ``O_EXCL``, the row ``(chain, 0)`` under a unique key), and a
replica that restarts opens the next generation of its chain.

Every writing process first claims a replica name of its own, ``<name>-<n>`` with the
smallest free ``n`` (a lock file held with ``flock`` in the folder, a session advisory lock
in PostgreSQL). The lock dies with the process, even a killed one, so the next process to
start takes the same name and continues its chains: several gateway processes (uvicorn
workers, replicas on several hosts) write side by side, each its own chains, and none
interleaves records in another's.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import orjson
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from .records import canonical

__all__ = ["AuditStore", "FileStore", "PostgresStore", "chain_name", "open_store", "reading"]

_REPLICA = re.compile(r"^[A-Za-z0-9_-]{1,64}\Z")
MAX_SLOTS = 256
"""Writing processes per replica name, at most."""


def chain_name(replica: str, generation: int) -> str:
    return f"{replica}.{generation:06d}"


def _generation(chain: str) -> tuple[str, int]:
    replica, _, number = chain.rpartition(".")
    return replica, int(number)


def _check_replica(replica: str) -> None:
    if not _REPLICA.match(replica):
        raise ValueError(f"a replica name is letters, digits, '-' and '_', not {replica!r}")


class AuditStore(Protocol):
    async def claim(self, name: str) -> str:
        """A replica name no other live process writes under: ``<name>-<n>``."""
        ...

    async def open_chain(self, replica: str) -> tuple[str, dict[str, Any] | None]:
        """A new chain for ``replica`` (its next generation) and the last record of the
        generation before, if any."""
        ...

    async def append(self, chain: str, records: Sequence[dict[str, Any]]) -> None:
        """Add ``records`` to ``chain``; durable when it returns."""
        ...

    async def finish(self, chain: str) -> None:
        """No more records will be appended to ``chain``."""
        ...

    async def chains(self) -> list[str]:
        """Every chain, sorted."""
        ...

    async def read(self, chain: str) -> list[dict[str, Any]]:
        """A chain's records in the order they were written; an unreadable one as
        ``{"unreadable": position}``."""
        ...

    async def subject_records(self, subject: str) -> list[dict[str, Any]]:
        """Every record naming the data subject ``subject`` (its keyed hash)."""
        ...

    async def request_records(self, requests: Sequence[str]) -> list[dict[str, Any]]:
        """Every record of the requests ``requests`` (by request id)."""
        ...

    async def import_chain(self, chain: str, records: Sequence[dict[str, Any]]) -> None:
        """Write a whole chain taken from another store (archiving); durable on return."""
        ...

    async def remove(self, chain: str) -> None:
        """Delete a chain (once it is safe in the archive)."""
        ...

    async def close(self) -> None: ...


def _last_whole(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The last record written whole (a torn final write is not one)."""
    whole = [r for r in records if "torn" not in r]
    return whole[-1] if whole else None


def _body(record: dict[str, Any]) -> dict[str, Any]:
    body = record.get("body")
    return body if isinstance(body, dict) else {}


class FileStore:
    """One append-only JSON-lines file per chain in ``directory`` (mode 600, folder 700)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._files: dict[str, int] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._claims: list[int] = []

    async def claim(self, name: str) -> str:
        _check_replica(name)
        self._prepare_directory()
        for slot in range(MAX_SLOTS):
            descriptor = os.open(
                self.directory / f"{name}-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600
            )
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            self._claims.append(descriptor)
            return f"{name}-{slot}"
        raise RuntimeError(f"{MAX_SLOTS} processes write as {name} already")

    def _prepare_directory(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)

    async def open_chain(self, replica: str) -> tuple[str, dict[str, Any] | None]:
        _check_replica(replica)
        self._prepare_directory()
        mine = [c for c in await self.chains() if _generation(c)[0] == replica]
        generation = _generation(mine[-1])[1] + 1 if mine else 0
        while True:
            chain = chain_name(replica, generation)
            try:
                descriptor = os.open(
                    self.directory / f"{chain}.jsonl",
                    os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND,
                    0o600,
                )
            except FileExistsError:
                generation += 1  # another process of the same replica name got there first
                continue
            break
        self._files[chain] = descriptor
        previous = None
        if generation > 0:
            previous = _last_whole(await self.read(chain_name(replica, generation - 1)))
        return chain, previous

    async def append(self, chain: str, records: Sequence[dict[str, Any]]) -> None:
        data = b"".join(canonical(record) + b"\n" for record in records)
        descriptor = self._files[chain]
        lock = self._locks.setdefault(chain, asyncio.Lock())
        async with lock:
            await asyncio.to_thread(_write_durably, descriptor, data)

    async def finish(self, chain: str) -> None:
        descriptor = self._files.pop(chain, None)
        if descriptor is not None:
            os.close(descriptor)

    async def chains(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.name.removesuffix(".jsonl") for p in self.directory.glob("*.jsonl"))

    async def read(self, chain: str) -> list[dict[str, Any]]:
        path = self.directory / f"{chain}.jsonl"
        return await asyncio.to_thread(_read_lines, path)

    async def subject_records(self, subject: str) -> list[dict[str, Any]]:
        return [
            r
            for chain in await self.chains()
            for r in await self.read(chain)
            if subject in _body(r).get("subjects", ())
        ]

    async def request_records(self, requests: Sequence[str]) -> list[dict[str, Any]]:
        wanted = set(requests)
        return [
            r
            for chain in await self.chains()
            for r in await self.read(chain)
            if _body(r).get("request") in wanted
        ]

    async def import_chain(self, chain: str, records: Sequence[dict[str, Any]]) -> None:
        self._prepare_directory()
        path = self.directory / f"{chain}.jsonl"
        partial = path.with_suffix(".partial")
        data = b"".join(canonical(record) + b"\n" for record in records)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            await asyncio.to_thread(_write_durably, descriptor, data)
        finally:
            os.close(descriptor)
        os.replace(partial, path)  # whole or not at all
        await asyncio.to_thread(_sync_directory, self.directory)

    async def remove(self, chain: str) -> None:
        (self.directory / f"{chain}.jsonl").unlink(missing_ok=True)
        await asyncio.to_thread(_sync_directory, self.directory)

    async def close(self) -> None:
        for descriptor in [*self._files.values(), *self._claims]:
            os.close(descriptor)
        self._files.clear()
        self._claims.clear()


def _write_durably(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]
    os.fsync(descriptor)


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _read_lines(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return records
    lines = content.splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            if number == len(lines) and not content.endswith(b"\n"):
                # a write the machine did not finish (power lost before its fsync): it was
                # never acknowledged, so nobody was answered on its strength
                records.append({"torn": number})
            else:
                records.append({"unreadable": number})
            continue
        records.append(record if isinstance(record, dict) else {"unreadable": number})
    return records


_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS simpul_audit (
        position BIGSERIAL PRIMARY KEY,
        chain TEXT NOT NULL,
        seq BIGINT NOT NULL,
        record TEXT NOT NULL,
        written TIMESTAMPTZ NOT NULL DEFAULT now(),
        subjects TEXT[] NOT NULL DEFAULT '{}',
        request TEXT,
        UNIQUE (chain, seq)
    )""",
    "CREATE INDEX IF NOT EXISTS simpul_audit_subjects ON simpul_audit USING GIN (subjects)",
    "CREATE INDEX IF NOT EXISTS simpul_audit_request ON simpul_audit (request)",
)


_LOCK_SPACE = 0x5A4D_7001
"""The first key of the advisory locks replicas are claimed with (the second: the name)."""


class PostgresStore:
    """The log in one PostgreSQL table, ``simpul_audit``: one row per record, its exact
    canonical text kept (so hashes recompute), written in insertion order."""

    def __init__(self, url: str, table: str = "simpul_audit") -> None:
        if url.startswith("postgresql://"):
            url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
        self._engine: AsyncEngine = create_async_engine(url, pool_size=4, max_overflow=0)
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", table):
            raise ValueError(f"not a table name: {table!r}")
        self.table = table
        self._ready = False
        self._claim: AsyncConnection | None = None

    async def claim(self, name: str) -> str:
        _check_replica(name)
        await self._prepare()
        if self._claim is None:
            # the session holds the locks: they end with it, when this process ends
            self._claim = await self._engine.connect()
        for slot in range(MAX_SLOTS):
            replica = f"{name}-{slot}"
            taken = await self._claim.scalar(
                text("SELECT pg_try_advisory_lock(:space, hashtext(:replica))"),
                {"space": _LOCK_SPACE, "replica": f"{self.table}:{replica}"},
            )
            await self._claim.commit()
            if taken:
                return replica
        raise RuntimeError(f"{MAX_SLOTS} processes write as {name} already")

    async def _prepare(self) -> None:
        if self._ready:
            return
        async with self._engine.begin() as connection:
            for statement in _SCHEMA:
                await connection.execute(text(statement.replace("simpul_audit", self.table)))
        self._ready = True

    async def open_chain(self, replica: str) -> tuple[str, dict[str, Any] | None]:
        _check_replica(replica)
        await self._prepare()
        mine = [c for c in await self.chains() if _generation(c)[0] == replica]
        generation = _generation(mine[-1])[1] + 1 if mine else 0
        previous = None
        if generation > 0:
            previous = _last_whole(await self.read(chain_name(replica, generation - 1)))
        return chain_name(replica, generation), previous

    async def append(self, chain: str, records: Sequence[dict[str, Any]]) -> None:
        await self._prepare()
        try:
            async with self._engine.begin() as connection:
                await self._insert(connection, chain, records)
        except IntegrityError as error:
            raise RuntimeError(f"chain {chain} has another writer") from error

    async def _insert(
        self, connection: AsyncConnection, chain: str, records: Sequence[dict[str, Any]]
    ) -> None:
        rows = [
            {
                "chain": chain,
                "seq": record.get("seq"),
                "record": canonical(record).decode(),
                "subjects": [str(s) for s in _body(record).get("subjects", [])],
                "request": _body(record).get("request"),
            }
            for record in records
        ]
        await connection.execute(
            text(
                f"INSERT INTO {self.table} (chain, seq, record, subjects, request) "
                "VALUES (:chain, :seq, :record, :subjects, :request)"
            ),
            rows,
        )

    async def finish(self, chain: str) -> None:
        return None

    async def chains(self) -> list[str]:
        await self._prepare()
        async with self._engine.connect() as connection:
            result = await connection.execute(text(f"SELECT DISTINCT chain FROM {self.table}"))
            return sorted(str(row[0]) for row in result)

    async def read(self, chain: str) -> list[dict[str, Any]]:
        await self._prepare()
        async with self._engine.connect() as connection:
            result = await connection.execute(
                text(
                    f"SELECT position, record FROM {self.table} WHERE chain = :chain "
                    "ORDER BY position"
                ),
                {"chain": chain},
            )
            records = []
            for position, body in result:
                try:
                    records.append(orjson.loads(body))
                except orjson.JSONDecodeError:
                    records.append({"unreadable": int(position)})
            return records

    async def subject_records(self, subject: str) -> list[dict[str, Any]]:
        """Every record naming ``subject`` (by the GIN index)."""
        await self._prepare()
        async with self._engine.connect() as connection:
            result = await connection.execute(
                text(
                    f"SELECT record FROM {self.table} WHERE subjects @> ARRAY[:subject] "
                    "ORDER BY position"
                ),
                {"subject": subject},
            )
            return [orjson.loads(row[0]) for row in result]

    async def request_records(self, requests: Sequence[str]) -> list[dict[str, Any]]:
        await self._prepare()
        async with self._engine.connect() as connection:
            result = await connection.execute(
                text(
                    f"SELECT record FROM {self.table} WHERE request = ANY(:requests) "
                    "ORDER BY position"
                ),
                {"requests": list(requests)},
            )
            return [orjson.loads(row[0]) for row in result]

    async def import_chain(self, chain: str, records: Sequence[dict[str, Any]]) -> None:
        await self._prepare()
        async with self._engine.begin() as connection:
            await connection.execute(
                text(f"DELETE FROM {self.table} WHERE chain = :chain"), {"chain": chain}
            )
            await self._insert(connection, chain, records)

    async def remove(self, chain: str) -> None:
        await self._prepare()
        async with self._engine.begin() as connection:
            await connection.execute(
                text(f"DELETE FROM {self.table} WHERE chain = :chain"), {"chain": chain}
            )

    async def drop(self) -> None:
        """Remove the table (tests)."""
        async with self._engine.begin() as connection:
            await connection.execute(text(f"DROP TABLE IF EXISTS {self.table}"))
        self._ready = False

    async def close(self) -> None:
        if self._claim is not None:
            await self._claim.close()
            self._claim = None
        await self._engine.dispose()


def open_store(location: str) -> AuditStore:
    """The store at ``location``: a PostgreSQL URL, or a folder for files."""
    if location.startswith(("postgresql://", "postgresql+asyncpg://")):
        return PostgresStore(location)
    return FileStore(location)


@asynccontextmanager
async def reading(location: str, archive: str = "") -> AsyncIterator[list[AuditStore]]:
    """The log at ``location`` and its ``archive`` (if any), to read, closed afterwards."""
    stores = [open_store(location), *([open_store(archive)] if archive else [])]
    try:
        yield stores
    finally:
        for store in stores:
            await store.close()
