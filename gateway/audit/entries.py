"""What one entry of the access log says: one processing of personal data.

The gateway writes an entry for every operation that reaches a field marked personal, and
for every refusal of one to an authenticated client; an OPD subgraph that processes
personal data on its own (a verification against the registry) writes its own entry,
carrying the same request id. An entry names the verified client application, the officer
and the purpose, the legal basis of the grants used, the operation (its name and the
SHA-256 of the document), the personal fields touched with their response paths, the data
subjects as keyed hashes (HMAC-SHA256 under the subject key: the same NIK gives the same
value in every entry, so a resident's history can be found, and the value cannot be turned
back into a NIK without the key), the outcome and the subgraphs called.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ANSWERED",
    "FAILED",
    "OUTCOMES",
    "REFUSED",
    "Entry",
    "FieldUse",
    "Refusal",
    "document_hash",
    "subject_hash",
]

ANSWERED = "answered"
"""The personal data was processed and the answer sent."""
REFUSED = "refused"
"""The caller was refused every personal field it asked for; nothing was processed."""
FAILED = "failed"
"""Processing was attempted and failed (a subgraph down or in error): it may have happened."""
OUTCOMES = (ANSWERED, REFUSED, FAILED)


def subject_hash(key: bytes, value: str) -> str:
    """The keyed hash naming a data subject (its identifier's spacing ignored)."""
    return hmac.digest(key, value.strip().encode(), "sha256").hex()


def document_hash(document: str) -> str:
    """The SHA-256 of an operation's document text, as trusted-document manifests name it."""
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FieldUse:
    """One personal field an operation touched."""

    field: str
    """``Type.field``."""
    category: str
    """``pribadi`` or ``spesifik``."""
    paths: tuple[tuple[str, ...], ...] = ()
    """Where the answer carries it (``"@"`` for list levels)."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """One personal field the caller asked for and was refused."""

    field: str
    code: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One processing of personal data."""

    source: str
    """Who wrote it: ``gateway``, or the subgraph that processed the data itself."""
    request: str
    time: str
    """When the processing began (ISO 8601, UTC)."""
    outcome: str
    client: str | None = None
    officer: str | None = None
    purpose: str | None = None
    legal_basis: tuple[str, ...] = ()
    operation: str | None = None
    kind: str = "query"
    document: str | None = None
    fields: tuple[FieldUse, ...] = ()
    refused: tuple[Refusal, ...] = ()
    subjects: tuple[str, ...] = ()
    subgraphs: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    """The subgraphs whose personal data it concerns (an OPD's officer sees these)."""
    detail: Mapping[str, str] = field(default_factory=dict)
    """What the source adds about the processing (a verification's result)."""

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"an outcome is one of {', '.join(OUTCOMES)}, not {self.outcome!r}")

    def body(self) -> dict[str, Any]:
        """The entry as the log stores it (JSON values only)."""
        return {
            "source": self.source,
            "request": self.request,
            "time": self.time,
            "outcome": self.outcome,
            "client": self.client,
            "officer": self.officer,
            "purpose": self.purpose,
            "legal_basis": list(self.legal_basis),
            "operation": self.operation,
            "kind": self.kind,
            "document": self.document,
            "fields": [
                {"field": f.field, "category": f.category, "paths": [list(p) for p in f.paths]}
                for f in self.fields
            ],
            "refused": [{"field": r.field, "code": r.code} for r in self.refused],
            "subjects": list(self.subjects),
            "subgraphs": list(self.subgraphs),
            "owners": list(self.owners),
            "detail": dict(self.detail),
        }

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> Entry:
        """The entry a stored body holds; ``ValueError`` if it is not one."""
        try:
            return cls(
                source=str(body["source"]),
                request=str(body["request"]),
                time=str(body["time"]),
                outcome=str(body["outcome"]),
                client=_optional(body.get("client")),
                officer=_optional(body.get("officer")),
                purpose=_optional(body.get("purpose")),
                legal_basis=_strings(body.get("legal_basis", ())),
                operation=_optional(body.get("operation")),
                kind=str(body.get("kind", "query")),
                document=_optional(body.get("document")),
                fields=tuple(
                    FieldUse(
                        str(f["field"]),
                        str(f["category"]),
                        tuple(tuple(str(k) for k in p) for p in f.get("paths", ())),
                    )
                    for f in body.get("fields", ())
                ),
                refused=tuple(
                    Refusal(str(r["field"]), str(r["code"])) for r in body.get("refused", ())
                ),
                subjects=_strings(body.get("subjects", ())),
                subgraphs=_strings(body.get("subgraphs", ())),
                owners=_strings(body.get("owners", ())),
                detail={str(k): str(v) for k, v in dict(body.get("detail") or {}).items()},
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not an access entry: {error}") from None


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def _strings(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)
