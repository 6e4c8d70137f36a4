"""Checking the access log: every chain whole, in order, unaltered, and sealed.

For each chain, in the order its records were written: sequence numbers run 0, 1, 2, ...
(a gap is a *missing* record, a step back a *reordered* one), each record's ``prev`` is the
hash of the record before, each ``hash`` recomputes from the record (else the record was
*altered*), a seal's signature holds under one of the known keys and covers exactly the
records since the seal before. A genesis naming the chain before it on the same replica
must name that chain's real last record: a chain whose tail was cut breaks there. Entries
after a chain's last seal are reported as unsealed (a process killed before its next seal
leaves some), not as a failure; nor is a torn last line (a write the machine lost power in
before its ``fsync`` completed, so it was never acknowledged), which is counted as torn.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .records import GENESIS_PREV, KINDS, record_hash, seal_is_valid
from .stores import AuditStore

__all__ = ["Problem", "Report", "verify"]


@dataclass(frozen=True, slots=True)
class Problem:
    chain: str
    position: int
    """The record's place in the chain as stored (0: the first written)."""
    kind: str
    """``altered``, ``missing``, ``reordered``, ``unreadable``, ``bad-seal``, ``truncated``."""
    detail: str

    def __str__(self) -> str:
        return f"{self.chain} record {self.position}: {self.kind}: {self.detail}"


@dataclass(slots=True)
class Report:
    chains: int = 0
    entries: int = 0
    seals: int = 0
    unsealed: int = 0
    torn: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


async def verify(
    stores: AuditStore | Sequence[AuditStore],
    keys: Mapping[str, Ed25519PublicKey],
    pattern: str | None = None,
) -> Report:
    """Check the chains of ``stores`` (the live store and its archive are one log: a chain
    may name its predecessor in either); ``keys`` are the seal keys by key id; ``pattern``
    (``gateway-0.*``) limits the check to the chains it matches."""
    report = Report()
    contents: dict[str, list[dict[str, Any]]] = {}
    for store in [stores] if not isinstance(stores, Sequence) else stores:
        for name in await store.chains():
            if name not in contents:
                contents[name] = await store.read(name)
    for name in sorted(contents):
        if pattern is not None and not fnmatch.fnmatchcase(name, pattern):
            continue
        report.chains += 1
        problem = _check_chain(name, contents[name], contents, keys, report)
        if problem is not None:
            report.problems.append(problem)
    return report


def _check_chain(
    name: str,
    records: list[dict[str, Any]],
    contents: Mapping[str, list[dict[str, Any]]],
    keys: Mapping[str, Ed25519PublicKey],
    report: Report,
) -> Problem | None:
    previous_hash = GENESIS_PREV
    sealed_to = -1
    if records and "torn" in records[-1]:
        records = records[:-1]
        report.torn += 1
    for position, record in enumerate(records):
        if "unreadable" in record or "torn" in record:
            return Problem(name, position, "unreadable", "the record is not JSON")
        seq = record.get("seq")
        if not isinstance(seq, int) or seq != position:
            if isinstance(seq, int) and seq > position:
                return Problem(
                    name, position, "missing", f"expected record {position}, found {seq}"
                )
            return Problem(name, position, "reordered", f"record {seq} where {position} belongs")
        kind, body = record.get("kind"), record.get("body")
        if kind not in KINDS or not isinstance(body, dict) or record.get("chain") != name:
            return Problem(name, position, "altered", "the record's form is not an access record's")
        if record.get("prev") != previous_hash:
            return Problem(name, position, "altered", "it does not follow the record before")
        if record.get("hash") != record_hash(name, seq, previous_hash, kind, body):
            return Problem(name, position, "altered", "its hash does not match its content")
        if (kind == "genesis") != (position == 0):
            return Problem(name, position, "altered", "a genesis only opens a chain")
        if kind == "genesis":
            problem = _check_genesis(name, body, contents)
            if problem is not None:
                return problem
        elif kind == "seal":
            if not seal_is_valid(name, body, keys):
                return Problem(name, position, "bad-seal", "the signature does not hold")
            if body.get("from") != sealed_to + 1 or body.get("to") != position - 1:
                return Problem(
                    name, position, "bad-seal", "it does not cover the records since the last seal"
                )
            if body.get("hash") != previous_hash:
                return Problem(name, position, "bad-seal", "it names another record's hash")
            report.seals += 1
            sealed_to = position
        else:
            report.entries += 1
        previous_hash = record["hash"]
    report.unsealed += sum(1 for r in records[sealed_to + 1 :] if r.get("kind") == "entry")
    return None


def _check_genesis(
    name: str, body: Mapping[str, Any], contents: Mapping[str, list[dict[str, Any]]]
) -> Problem | None:
    replica, _, number = name.rpartition(".")
    before = f"{replica}.{int(number) - 1:06d}" if number.isdigit() and int(number) > 0 else None
    previous = body.get("previous")
    if before is None:
        if previous is not None:
            return Problem(name, 0, "altered", "the first chain of a replica names a predecessor")
        return None
    if before not in contents:
        return Problem(name, 0, "truncated", f"the chain before it, {before}, is gone")
    whole = [r for r in contents[before] if "torn" not in r]
    last = whole[-1] if whole else None
    if (
        not isinstance(previous, dict)
        or last is None
        or (previous.get("seq") != last.get("seq") or previous.get("hash") != last.get("hash"))
    ):
        named = previous.get("seq") if isinstance(previous, dict) else "?"
        return Problem(
            before,
            len(contents[before]) - 1,
            "truncated",
            f"{name} was opened after record {named} of it: records were removed or added "
            "at its end",
        )
    return None
