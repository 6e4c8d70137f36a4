"""Writing the access log: one chain per process, group commit, periodic seals.

:meth:`AuditRecorder.record` returns once the entry is durable: the caller (the engine,
before it answers; a subgraph, before it answers the gateway) answers only then. Entries
that arrive while a batch is being written wait for the next batch, so a busy gateway pays
one ``fsync`` (or one commit) per batch, not per entry. Every ``seal_every`` entries, or
when ``seal_interval`` seconds have passed since the last seal with entries unsealed, a seal
record signs the chain up to there; :meth:`close` seals what is left. Every
``rotate_interval`` seconds the recorder seals its chain and opens the next generation (whose
genesis names where the last one ended), so that old records lie in whole, closed chains that
retention can archive.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime
from typing import Any

from .records import GENESIS_PREV, Sealer, make_record
from .stores import AuditStore

__all__ = ["AuditRecorder", "AuditUnavailable", "now"]


class AuditUnavailable(Exception):
    """The entry could not be made durable: the processing must not be answered."""


def now() -> str:
    """The current time as entries carry it: ISO 8601, UTC, microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class AuditRecorder:
    """Appends entries to one new chain of ``replica`` in ``store``."""

    def __init__(
        self,
        store: AuditStore,
        replica: str,
        sealer: Sealer | None,
        *,
        seal_every: int = 256,
        seal_interval: float = 10.0,
        rotate_interval: float = 0.0,
        claim: bool = False,
    ) -> None:
        """``claim``: write as the first free ``<replica>-<n>`` (several processes share
        one replica name); ``rotate_interval``: seconds before a new chain (0: never)."""
        self.store = store
        self.replica = replica
        self.claim = claim
        self.rotate_interval = rotate_interval
        self._opened_at = 0.0
        self.sealer = sealer
        self.seal_every = seal_every
        self.seal_interval = seal_interval
        self.chain = ""
        self._seq = 0
        self._last = GENESIS_PREV
        self._sealed_to = -1
        self._sealed_at = time.monotonic()
        self._pending: list[tuple[dict[str, Any], asyncio.Future[str]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._timer: asyncio.Task[None] | None = None
        self._started = asyncio.Lock()
        self._appending = asyncio.Lock()
        """One append at a time, in the order of the sequence numbers handed out."""
        self._open = False

    async def start(self) -> None:
        """Open the chain (written once, on first use if not called)."""
        async with self._started:
            if self._open:
                return
            if self.claim:
                self.replica = await self.store.claim(self.replica)
            await self._open_chain()
            self._open = True
            if self.sealer is not None:
                self._timer = asyncio.create_task(self._seal_periodically())

    async def _open_chain(self) -> None:
        for _ in range(16):
            chain, previous = await self.store.open_chain(self.replica)
            genesis = make_record(
                chain,
                0,
                GENESIS_PREV,
                "genesis",
                {
                    "time": now(),
                    "replica": self.replica,
                    "previous": None
                    if previous is None
                    else {
                        "chain": previous.get("chain"),
                        "seq": previous.get("seq"),
                        "hash": previous.get("hash"),
                    },
                },
            )
            try:
                await self.store.append(chain, [genesis])
            except RuntimeError:
                continue  # another process opened the same generation first
            break
        else:
            raise AuditUnavailable(f"cannot open a chain for replica {self.replica}")
        self.chain, self._seq, self._last = chain, 1, genesis["hash"]
        self._sealed_to, self._opened_at = -1, time.monotonic()

    async def _rotate(self) -> None:
        """Seal the chain, close it, and open the next generation."""
        if self.sealer is not None and self._seq - 1 > self._sealed_to:
            await self._append_seal()
        finished = self.chain
        await self._open_chain()
        await self.store.finish(finished)

    async def record(self, body: dict[str, Any]) -> str:
        """Append one entry; its hash once it is durable. :class:`AuditUnavailable` if not."""
        if not self._open:
            await self.start()
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending.append((body, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._pending:
            if self.rotate_interval and time.monotonic() - self._opened_at > self.rotate_interval:
                try:
                    await self._rotate()
                except Exception:  # the old chain goes on; the next batch tries again
                    self._opened_at = time.monotonic()
            batch, self._pending = self._pending, []
            records = []
            for body, _ in batch:
                record = make_record(self.chain, self._seq, self._last, "entry", body)
                records.append(record)
                self._seq, self._last = self._seq + 1, record["hash"]
            if self.sealer is not None and self._seq - 1 - self._sealed_to >= self.seal_every:
                records.append(self._seal_record())
            try:
                async with self._appending:
                    await self.store.append(self.chain, records)
            except Exception as error:  # the store failed: nothing of this batch is answered
                failure = AuditUnavailable(f"the access log cannot be written: {error}")
                for _, future in batch:
                    if not future.done():
                        future.set_exception(failure)
                # what was not written is not in the chain: go on from the last durable record
                self._rewind(records)
                continue
            for (_, future), record in zip(batch, records, strict=False):
                if not future.done():
                    future.set_result(record["hash"])

    def _rewind(self, unwritten: list[dict[str, Any]]) -> None:
        first = unwritten[0]
        self._seq, self._last = first["seq"], first["prev"]
        if unwritten[-1]["kind"] == "seal":
            self._sealed_to = unwritten[-1]["body"]["from"] - 1

    def _seal_record(self) -> dict[str, Any]:
        assert self.sealer is not None
        first, last = self._sealed_to + 1, self._seq - 1
        body = self.sealer.seal_body(self.chain, first, last, self._last, now())
        record = make_record(self.chain, self._seq, self._last, "seal", body)
        self._seq, self._last = self._seq + 1, record["hash"]
        self._sealed_to, self._sealed_at = record["seq"], time.monotonic()
        return record

    async def _seal_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.seal_interval)
            await self.seal()

    async def seal(self) -> None:
        """Seal the entries written since the last seal, if any."""
        if self.sealer is None or not self._open or self._seq - 1 <= self._sealed_to:
            return
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)
        if self._seq - 1 <= self._sealed_to:
            return
        # a store that fails now is tried again at the next seal
        with contextlib.suppress(Exception):
            await self._append_seal()

    async def _append_seal(self) -> None:
        """Seal the chain up to its last record; on a failure, as if it had not been."""
        record = self._seal_record()
        try:
            async with self._appending:
                await self.store.append(self.chain, [record])
        except Exception:
            self._rewind([record])
            raise

    async def close(self) -> None:
        """Seal what is left and close the store."""
        if self._timer is not None:
            self._timer.cancel()
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
        await self.seal()
        await self.store.close()
