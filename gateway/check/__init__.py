"""``simpul check``: what a subgraph change would do to the graph's clients.

``check(current, proposed, operations)`` composes the proposed subgraphs, compares the
resulting API schema with the current one (:mod:`.changes`), and validates the clients'
operations against both (:mod:`.operations`): an operation that validated before and no
longer does is broken by the change; one that was already invalid is listed apart.
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
    validate_operation,
)

__all__ = [
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
class CheckResult:
    """The outcome of one check."""

    status: Status
    errors: tuple[CompositionError, ...] = ()
    """Every composition error, when the proposed subgraphs do not compose."""
    changes: tuple[SchemaChange, ...] = ()
    broken_operations: tuple[InvalidOperation, ...] = ()
    """Operations valid against the current schema and invalid against the proposed one."""
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
    invalid: list[InvalidOperation] = []
    for operation in operations:
        before = validate_operation(operation, current)
        if before:
            invalid.append(InvalidOperation(operation.name, operation.file, before))
            continue
        after = validate_operation(operation, schema)
        if after:
            broken.append(InvalidOperation(operation.name, operation.file, after))
    # An operation that stops validating is breaking even if no listed change explains it.
    breaking = broken or any(c.severity is Severity.BREAKING for c in changes)
    return CheckResult(
        Status.BREAKING if breaking else Status.SAFE,
        changes=changes,
        broken_operations=tuple(broken),
        invalid_operations=tuple(invalid),
        operations_checked=len(operations),
    )
