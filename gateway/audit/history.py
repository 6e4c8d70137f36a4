"""A data subject's history: every processing of one resident's personal data.

UU 27/2022 gives a data subject the right to learn who processed their data and why. The
entries naming the subject's keyed hash are found in the live store and the archive; the
entries other writers made for the same requests (an OPD subgraph's own record of the
processing it did for the gateway's request) are joined to them by request id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .entries import REFUSED, Entry
from .stores import AuditStore

__all__ = ["Processing", "subject_history"]


@dataclass(frozen=True, slots=True)
class Processing:
    """One entry of a subject's history, with where it lies in the log."""

    entry: Entry
    chain: str
    seq: int
    hash: str


async def subject_history(
    stores: Sequence[AuditStore], subject: str, *, refused: bool = False
) -> list[Processing]:
    """Every entry naming ``subject`` (a keyed hash), or written for the same requests, in
    time order; refusals (nothing was processed) only if ``refused``."""
    found: dict[tuple[str, int], Processing] = {}
    for store in stores:
        for record in await store.subject_records(subject):
            _add(found, record)
    requests = sorted({p.entry.request for p in found.values() if p.entry.request})
    if requests:
        for store in stores:
            for record in await store.request_records(requests):
                _add(found, record)
    # the gateway's entry opens the story of its request; the subgraphs' follow it
    history = sorted(
        found.values(),
        key=lambda p: (p.entry.time, p.entry.source != "gateway", p.chain, p.seq),
    )
    return [p for p in history if refused or p.entry.outcome != REFUSED]


def _add(found: dict[tuple[str, int], Processing], record: dict[str, object]) -> None:
    if record.get("kind") != "entry" or not isinstance(record.get("body"), dict):
        return
    try:
        entry = Entry.from_body(record["body"])  # type: ignore[arg-type]
    except ValueError:
        return  # not an entry verification would pass; `simpul audit verify` reports it
    chain, seq = str(record.get("chain")), record.get("seq")
    if isinstance(seq, int):
        found[chain, seq] = Processing(entry, chain, seq, str(record.get("hash")))
