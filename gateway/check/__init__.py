"""``simpul check``: what a subgraph change would do to the graph's clients.

``check(current, proposed, operations)`` composes the proposed subgraphs, compares the
resulting API schema with the current one (:mod:`.changes`), and validates the clients'
operations against both (:mod:`.operations`): an operation that validated before and no
longer does is broken by the change; one that still validates but uses an element a
breaking or dangerous change touches (a field that can now be null, an enum that gained a
value) is affected; one that was already invalid is listed apart.
:mod:`.report` prints the :class:`CheckResult` for people or for CI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from graphql import GraphQLSchema

from ..compose import CompositionError, CompositionFailed, SubgraphSDL
from .changes import ChangeCode, SchemaChange, Severity, diff_schemas
from .graphs import (
    CheckInputError,
    composed_api_schema,
    current_composed_api_schema,
    supergraph_api_schema,
)
from .operations import (
    ClientOperation,
    InvalidOperation,
    OperationsError,
    load_operations,
    used_coordinates,
    validate_operation,
)

__all__ = [
    "AffectedOperation",
    "ChangeCode",
    "CheckInputError",
    "CheckResult",
    "ClientOperation",
    "InvalidOperation",
    "OperationsError",
    "SchemaChange",
    "Severity",
    "Status",
    "check",
    "composed_api_schema",
    "current_composed_api_schema",
    "diff_schemas",
    "load_operations",
    "supergraph_api_schema",
]


class Status(StrEnum):
    SAFE = "safe"
    BREAKING = "breaking"
    COMPOSITION_FAILED = "composition_failed"


_EXIT_CODES = {Status.SAFE: 0, Status.BREAKING: 1, Status.COMPOSITION_FAILED: 2}


@dataclass(frozen=True, slots=True)
class AffectedOperation:
    """An operation that still validates but uses what a breaking or dangerous change
    touches: it may get answers it was not written for."""

    name: str | None
    file: str
    changes: tuple[SchemaChange, ...]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check."""

    status: Status
    errors: tuple[CompositionError, ...] = ()
    """Every composition error, when the proposed subgraphs do not compose."""
    changes: tuple[SchemaChange, ...] = ()
    broken_operations: tuple[InvalidOperation, ...] = ()
    """Operations valid against the current schema and invalid against the proposed one."""
    affected_operations: tuple[AffectedOperation, ...] = ()
    invalid_operations: tuple[InvalidOperation, ...] = ()
    """Operations already invalid against the current schema: not the change's doing."""
    operations_checked: int = 0

    @property
    def exit_code(self) -> int:
        """0 safe (dangerous changes included), 1 breaking, 2 composition failed."""
        return _EXIT_CODES[self.status]

    def with_severity(self, severity: Severity) -> tuple[SchemaChange, ...]:
        """The changes of one severity, in report order."""
        return tuple(c for c in self.changes if c.severity is severity)


def check(
    current: GraphQLSchema,
    proposed: Sequence[SubgraphSDL],
    operations: Sequence[ClientOperation] = (),
) -> CheckResult:
    """Compose ``proposed``, compare its API schema with ``current`` and validate
    ``operations`` against both."""
    try:
        schema = composed_api_schema(proposed)
    except CompositionFailed as failure:
        return CheckResult(Status.COMPOSITION_FAILED, errors=failure.errors)
    changes = diff_schemas(current, schema)
    broken: list[InvalidOperation] = []
    affected: list[AffectedOperation] = []
    invalid: list[InvalidOperation] = []
    risky = [c for c in changes if c.severity is not Severity.SAFE]
    for operation in operations:
        before = validate_operation(operation, current)
        if before:
            invalid.append(InvalidOperation(operation.name, operation.file, before))
            continue
        after = validate_operation(operation, schema)
        if after:
            broken.append(InvalidOperation(operation.name, operation.file, after))
            continue
        used = used_coordinates(operation, current)
        touching = tuple(c for c in risky if _touches(c, used))
        if touching:
            affected.append(AffectedOperation(operation.name, operation.file, touching))
    # An operation that stops validating is breaking even if no listed change explains it.
    breaking = broken or any(c.severity is Severity.BREAKING for c in changes)
    return CheckResult(
        Status.BREAKING if breaking else Status.SAFE,
        changes=changes,
        broken_operations=tuple(broken),
        affected_operations=tuple(affected),
        invalid_operations=tuple(invalid),
        operations_checked=len(operations),
    )


# Changes whose path names a field or an argument concern operations using that very field;
# the others (enum values, input fields, union members, interfaces) concern operations
# using the type.
_FIELD_CODES = {
    ChangeCode.FIELD_TYPE_CHANGED,
    ChangeCode.FIELD_REMOVED,
    ChangeCode.ARG_ADDED_REQUIRED,
    ChangeCode.ARG_ADDED_OPTIONAL,
    ChangeCode.ARG_REMOVED,
    ChangeCode.ARG_TYPE_CHANGED,
    ChangeCode.ARG_DEFAULT_CHANGED,
}


def _touches(change: SchemaChange, used: frozenset[str]) -> bool:
    element = change.path.partition("(")[0]  # an argument's field, or directive
    if element in used:
        return True
    return change.code not in _FIELD_CODES and element.partition(".")[0] in used
