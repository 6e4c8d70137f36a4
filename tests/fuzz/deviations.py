"""Operations of the fixed fuzzing run on which Simpul and the reference gateways answer
differently because Simpul follows the spec and they do not (docs/architecture.md, "Checked
against the reference gateways"). Each is keyed by its supergraph and the digest
of the operation (text and variables) the seeded generator draws; each class has a test
of Simpul's own answer next to the feature it concerns."""

from __future__ import annotations

import hashlib
import json

from tests.fuzz.operations import Operation

__all__ = ["DEVIATIONS", "digest"]

DEVIATIONS: dict[tuple[str, str], str] = {}
"""``(supergraph, digest)``: why the answers differ (the row of docs/architecture.md's
table). The fixed run draws none at present."""


def digest(operation: Operation) -> str:
    """A short fingerprint of an operation's text and variables."""
    text = operation.query + json.dumps(dict(operation.variables), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
