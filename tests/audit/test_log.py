"""The access log itself, in both stores (files and the real PostgreSQL): entries chained,
sealed and durable, and every kind of tampering found and located, with the same verdicts
whichever store holds the log."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from gateway.audit.recorder import AuditRecorder
from gateway.audit.records import Sealer
from gateway.audit.stores import AuditStore, FileStore, PostgresStore
from gateway.audit.verify import verify

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
PRIVATE = Ed25519PrivateKey.generate()
KEY = Sealer(PRIVATE)
KEYS = {KEY.key_id: PRIVATE.public_key()}


def entry(index: int) -> dict[str, Any]:
    return {
        "time": f"2026-12-07T10:00:{index % 60:02d}Z",
        "request_id": f"r{index}",
        "subjects": [f"s{index % 3}"],
    }


class Tamper:
    """Edits a store behind the log's back, the way someone with access to it would."""

    def __init__(self, store: AuditStore) -> None:
        self.store = store

    async def rewrite(self, chain: str, change: Callable[[list[bytes]], list[bytes]]) -> None:
        if isinstance(self.store, FileStore):
            path = self.store.directory / f"{chain}.jsonl"
            path.write_bytes(b"\n".join(change(path.read_bytes().splitlines())) + b"\n")
            return
        assert isinstance(self.store, PostgresStore)
        async with self.store._engine.begin() as connection:
            rows = (
                await connection.execute(
                    text(
                        f"SELECT position, record FROM {self.store.table} WHERE chain = :c "
                        "ORDER BY position"
                    ),
                    {"c": chain},
                )
            ).all()
            changed = change([row[1].encode() for row in rows])
            await connection.execute(
                text(f"DELETE FROM {self.store.table} WHERE chain = :c"), {"c": chain}
            )
            for index, line in enumerate(changed):
                await connection.execute(
                    text(
                        f"INSERT INTO {self.store.table} (chain, seq, record) VALUES (:c, :s, :r)"
                    ),
                    {"c": chain, "s": 10_000 + index, "r": line.decode()},
                )


@pytest.fixture(params=["files", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AuditStore]:
    if request.param == "files":
        yield FileStore(tmp_path / "audit")
        return
    table = f"t_audit_{secrets.token_hex(4)}"
    store = PostgresStore(POSTGRES, table)
    try:
        yield store
    finally:
        await store.drop()
        await store.close()


async def write(
    store: AuditStore, count: int, replica: str = "gateway", sealer: Sealer = KEY
) -> AuditRecorder:
    recorder = AuditRecorder(store, replica, sealer, seal_every=16, seal_interval=3600)
    await asyncio.gather(*(recorder.record(entry(i)) for i in range(count)))
    await recorder.seal()
    return recorder


async def test_entries_written_at_once_are_chained_sealed_and_verified(store: AuditStore) -> None:
    await write(store, 100)
    [chain] = await store.chains()
    records = await store.read(chain)
    assert [r["seq"] for r in records] == list(range(len(records)))
    assert records[0]["kind"] == "genesis"
    assert sum(r["kind"] == "entry" for r in records) == 100
    report = await verify(store, KEYS)
    assert report.ok, report.problems
    assert (report.entries, report.unsealed) == (100, 0)
    assert report.seals >= 1


async def test_a_busy_log_commits_in_groups(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "audit")
    appends = 0
    append = store.append

    async def counted(chain: str, records: Any) -> None:
        nonlocal appends
        appends += 1
        await append(chain, records)

    store.append = counted  # type: ignore[method-assign]
    await write(store, 500)
    assert appends < 50  # 500 entries, a few durable writes


async def corrupted(store: AuditStore, change: Callable[[list[bytes]], list[bytes]]) -> list[str]:
    await write(store, 40)
    [chain] = await store.chains()
    await Tamper(store).rewrite(chain, change)
    return [str(p) for p in (await verify(store, KEYS)).problems]


def edit(line: bytes) -> bytes:
    record = orjson.loads(line)
    record["body"]["request_id"] = "forged"
    return orjson.dumps(record)


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (
            lambda lines: [*lines[:7], edit(lines[7]), *lines[8:]],
            "gateway.000000 record 7: altered: its hash",
        ),
        (
            lambda lines: [*lines[:7], *lines[8:]],
            "gateway.000000 record 7: missing: expected record 7, found 8",
        ),
        (
            lambda lines: [*lines[:7], lines[8], lines[7], *lines[9:]],
            "gateway.000000 record 7: missing",
        ),
        (
            lambda lines: [*lines[:7], b"{not json", *lines[8:]],
            "gateway.000000 record 7: unreadable",
        ),
    ],
)
async def test_tampering_is_found_where_it_happened(
    store: AuditStore, change: Callable[[list[bytes]], list[bytes]], found: str
) -> None:
    assert [p[: len(found)] for p in await corrupted(store, change)] == [found]


async def test_a_forged_record_with_its_hash_recomputed_breaks_the_next_link(
    store: AuditStore,
) -> None:
    from gateway.audit.records import record_hash

    def forge(lines: list[bytes]) -> list[bytes]:
        record = orjson.loads(lines[7])
        record["body"]["request_id"] = "forged"
        record["hash"] = record_hash(
            record["chain"], record["seq"], record["prev"], record["kind"], record["body"]
        )
        return [*lines[:7], orjson.dumps(record), *lines[8:]]

    assert await corrupted(store, forge) == [
        "gateway.000000 record 8: altered: it does not follow the record before"
    ]


async def test_a_cut_tail_is_found_by_the_next_generation(store: AuditStore) -> None:
    first = await write(store, 20)
    await write(store, 5)  # the replica started again: generation 1 names where 0 ended
    await Tamper(store).rewrite(first.chain, lambda lines: lines[:-3])
    problems = [str(p) for p in (await verify(store, KEYS)).problems]
    assert len(problems) == 1 and "gateway.000000" in problems[0] and "truncated" in problems[0]


async def test_seals_verify_under_old_and_new_keys(store: AuditStore) -> None:
    old = KEY
    new = Sealer(Ed25519PrivateKey.generate())
    await write(store, 20, sealer=old)
    await write(store, 20, sealer=new)
    both = {old.key_id: old._key.public_key(), new.key_id: new._key.public_key()}
    assert (await verify(store, both)).ok
    only_new = {new.key_id: new._key.public_key()}
    problems = (await verify(store, only_new)).problems
    assert [(p.chain, p.kind) for p in problems] == [("gateway.000000", "bad-seal")]


async def test_entries_after_the_last_seal_are_counted_not_failed(store: AuditStore) -> None:
    recorder = AuditRecorder(store, "gateway", KEY, seal_every=16, seal_interval=3600)
    for index in range(20):  # one at a time: a seal after the sixteenth record
        await recorder.record(entry(index))
    report = await verify(store, KEYS)
    assert report.ok and report.entries == 20 and report.seals == 1 and report.unsealed == 5


async def test_a_write_torn_by_a_power_cut_is_not_tampering(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "audit")
    first = await write(store, 10)
    path = store.directory / f"{first.chain}.jsonl"
    whole = path.read_bytes()
    last = orjson.loads(whole.splitlines()[-1])
    with path.open("ab") as handle:
        handle.write(b'{"chain": "gateway.000000", "seq": 11, "pr')  # no newline: lost fsync
    await write(store, 3)  # the restarted replica names the last whole record
    report = await verify(store, KEYS)
    assert report.ok and report.torn == 1
    genesis = (await store.read("gateway.000001"))[0]
    assert genesis["body"]["previous"]["hash"] == last["hash"]
    # the same damage followed by more records is no torn write: it was changed afterwards
    path.write_bytes(whole + b'{"chain": "gateway.000000", "se\n' + whole.splitlines()[-1] + b"\n")
    kinds = [p.kind for p in (await verify(store, KEYS)).problems]
    assert kinds[0] == "unreadable"
