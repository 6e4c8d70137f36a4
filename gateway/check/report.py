"""A :class:`~gateway.check.CheckResult` for people (text) and for CI (one JSON object).

The JSON object::

    {"status": "safe" | "breaking" | "composition_failed",
     "errors": [{"code", "message"}],                       composition errors
     "changes": [{"severity", "code", "path", "message"}],
     "operations": [{"name", "file", "errors": [...]}],     operations the change breaks
     "affected": [{"name", "file", "changes": [{"severity", "code", "path"}]}],
                                     still valid, but using what a risky change touches
     "already_invalid": [{"name", "file", "errors": [...]}]}  invalid before the change
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import orjson

from . import AffectedOperation, CheckResult, InvalidOperation, Severity, Status

__all__ = ["render_json", "render_text"]


class ErrorJSON(TypedDict):
    code: str
    message: str


class ChangeJSON(TypedDict):
    severity: str
    code: str
    path: str
    message: str


class OperationJSON(TypedDict):
    name: str | None
    file: str
    errors: list[str]


class ChangeRefJSON(TypedDict):
    severity: str
    code: str
    path: str


class AffectedJSON(TypedDict):
    name: str | None
    file: str
    changes: list[ChangeRefJSON]


class ResultJSON(TypedDict):
    status: str
    errors: list[ErrorJSON]
    changes: list[ChangeJSON]
    operations: list[OperationJSON]
    affected: list[AffectedJSON]
    already_invalid: list[OperationJSON]


def render_json(result: CheckResult) -> str:
    """The result as one JSON object (see the module docstring), newline-terminated."""
    document: ResultJSON = {
        "status": str(result.status),
        "errors": [{"code": str(e.code), "message": e.message} for e in result.errors],
        "changes": [
            {"severity": str(c.severity), "code": str(c.code), "path": c.path, "message": c.message}
            for c in result.changes
        ],
        "operations": [_operation_json(o) for o in result.broken_operations],
        "affected": [_affected_json(o) for o in result.affected_operations],
        "already_invalid": [_operation_json(o) for o in result.invalid_operations],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def _operation_json(operation: InvalidOperation) -> OperationJSON:
    return {"name": operation.name, "file": operation.file, "errors": list(operation.errors)}


def _affected_json(operation: AffectedOperation) -> AffectedJSON:
    return {
        "name": operation.name,
        "file": operation.file,
        "changes": [
            {"severity": str(c.severity), "code": str(c.code), "path": c.path}
            for c in operation.changes
        ],
    }


_HEADINGS = {
    Severity.BREAKING: "Breaking changes",
    Severity.DANGEROUS: "Dangerous changes (warnings: existing operations still validate)",
    Severity.SAFE: "Safe changes",
}


def render_text(result: CheckResult) -> str:
    """The result for a terminal or a CI log: grouped, with a summary line at the end."""
    lines: list[str] = []
    if result.status is Status.COMPOSITION_FAILED:
        lines += ["Composition failed: the proposed subgraphs do not compose.", ""]
        lines += [f"  {error.code}: {error.message}" for error in result.errors]
        count = len(result.errors)
        lines += ["", f"composition failed: {_plural(count, 'error')}; no schema to compare."]
        return "\n".join(lines) + "\n"
    for severity in Severity:
        changes = result.with_severity(severity)
        if changes:
            lines.append(f"{_HEADINGS[severity]} ({len(changes)})")
            for change in changes:
                lines += [f"  {change.code}  {change.path}", f"    {change.message}"]
            lines.append("")
    lines += _operations_text("Operations this change breaks", result.broken_operations)
    lines += _affected_text(result.affected_operations)
    lines += _operations_text(
        "Operations already invalid against the current schema (not caused by this change)",
        result.invalid_operations,
    )
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def _operations_text(heading: str, operations: Sequence[InvalidOperation]) -> list[str]:
    if not operations:
        return []
    lines = [f"{heading} ({len(operations)})"]
    for operation in operations:
        lines.append(f"  {operation.name or '(unnamed)'}  ({operation.file})")
        lines += [f"    {error}" for error in operation.errors]
    return [*lines, ""]


def _affected_text(operations: Sequence[AffectedOperation]) -> list[str]:
    if not operations:
        return []
    lines = [f"Operations that still validate but use what changed ({len(operations)})"]
    for operation in operations:
        lines.append(f"  {operation.name or '(unnamed)'}  ({operation.file})")
        lines += [f"    {c.severity}: {c.code}  {c.path}" for c in operation.changes]
    return [*lines, ""]


def _summary(result: CheckResult) -> str:
    """``BREAKING: 1 breaking, 0 dangerous, 2 safe changes; 1 of 3 operations broken.``"""
    if result.changes:
        counts = ", ".join(f"{len(result.with_severity(s))} {s}" for s in Severity)
        summary = f"{counts} {'change' if len(result.changes) == 1 else 'changes'}"
    else:
        summary = "no change to the API schema"
    if result.operations_checked:
        broken = len(result.broken_operations)
        summary += f"; {broken} of {_plural(result.operations_checked, 'operation')} broken"
        if result.affected_operations:
            summary += f", {len(result.affected_operations)} affected"
        if result.invalid_operations:
            summary += f", {len(result.invalid_operations)} already invalid"
    return f"{str(result.status).upper()}: {summary}."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
