"""Retention: chains past the retention period move to the archive, seals and all.

Nothing is deleted that is not first durable in the archive, and only whole chains move: a
chain whose writer has moved on to a later generation, whose last record is older than the
cutoff, and that verifies (so the archive holds what was sealed, and a chain with a problem
stays where ``simpul audit verify`` reports it). The archive is a folder of chain files
that verification reads together with the live store: a chain's genesis may name a
predecessor in either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .stores import AuditStore
from .verify import Report, verify

__all__ = ["Archived", "archive"]


@dataclass(slots=True)
class Archived:
    """What one archiving run did."""

    moved: list[str] = field(default_factory=list)
    kept_with_problems: list[str] = field(default_factory=list)


async def archive(
    store: AuditStore,
    destination: AuditStore,
    cutoff: datetime,
    keys: Mapping[str, Ed25519PublicKey],
) -> Archived:
    """Move the whole chains of ``store`` last written before ``cutoff`` to ``destination``."""
    done = Archived()
    names = await store.chains()
    latest: dict[str, str] = {}
    for name in names:
        replica = name.rpartition(".")[0]
        latest[replica] = max(latest.get(replica, name), name)
    for name in names:
        if latest[name.rpartition(".")[0]] == name:
            continue  # its writer may still append to it
        records = await store.read(name)
        if not records or _last_time(records) >= cutoff:
            continue
        report: Report = await verify([store, destination], keys, pattern=name)
        if not report.ok:
            done.kept_with_problems.append(name)
            continue
        await destination.import_chain(name, records)
        if await destination.read(name) != records:
            done.kept_with_problems.append(name)
            continue
        await store.remove(name)
        done.moved.append(name)
    return done


def _last_time(records: list[dict[str, object]]) -> datetime:
    for record in reversed(records):
        body = record.get("body")
        stamp = body.get("time") if isinstance(body, dict) else None
        if isinstance(stamp, str):
            try:
                return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            except ValueError:
                continue
    return datetime.max.replace(tzinfo=UTC)  # no time: never old enough
