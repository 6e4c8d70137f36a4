"""Operations of the fixed fuzzing run on which Simpul and the reference gateways answer
differently because Simpul follows the spec and they do not (docs/architecture.md, "Where
Simpul and the reference gateways differ"). Each is keyed by its supergraph and the digest
of the operation (text and variables) the seeded generator draws; each class has a test
of Simpul's own answer next to the feature it concerns."""

from __future__ import annotations

import hashlib
import json

from tests.fuzz.operations import Operation

__all__ = ["DEVIATIONS", "digest"]

CONCRETE_TYPE_OF_AN_INTERFACE_OBJECT = (
    "A fragment on an implementation selecting fields of an @interfaceObject subgraph, below "
    "a field that subgraph answers: GraphQL spec 6.3.2 (DoesFragmentTypeApply: the fragment "
    "applies when the object's type is the fragment's). Simpul learns the concrete type from "
    "the owner of the implementations and answers the fragment; Hive Gateway 2.15 fails "
    "('resolved to a non-object type'), Apollo Gateway 2.14 answers an empty object."
)

DEVIATIONS: dict[tuple[str, str], str] = {}
"""``(supergraph, digest)``: why the answers differ."""


def digest(operation: Operation) -> str:
    """A short fingerprint of an operation's text and variables."""
    text = operation.query + json.dumps(dict(operation.variables), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
