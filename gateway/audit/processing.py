"""The gateway's entry for one request: what access control decided, what execution did.

Authorization (:mod:`gateway.access`) says which personal fields the operation reaches and
where, which it was refused, and where the data subjects are identified (arguments and
response paths). After execution, :func:`gateway_entry` reads the subjects' identifiers
from the variables and the merged subgraph answers (before the answer is shaped, so fields
the gateway added for the record are there and the client never sees them) and tells the
outcome from the errors on the personal fields' paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from graphql import OperationDefinitionNode, value_from_ast_untyped

from ..access import Caller, Decision
from .entries import ANSWERED, FAILED, REFUSED, Entry, FieldUse, Refusal
from .trail import AuditTrail

__all__ = ["gateway_entry"]

MAX_SUBJECTS = 1000
"""Subjects named in one entry, at most: an operation listing more is recorded with the
first ones and a count (``detail.subjects``)."""


def gateway_entry(
    trail: AuditTrail,
    *,
    decision: Decision,
    caller: Caller,
    request_id: str,
    time: str,
    operation: OperationDefinitionNode,
    document: str,
    variables: Mapping[str, Any],
    data: Any = None,
    errors: Sequence[Mapping[str, Any]] = (),
    subgraphs: Sequence[str] = (),
    owners: Callable[[str], Iterable[str]] = lambda coordinate: (),
    executed: bool = True,
) -> Entry:
    """The entry for one request (``executed``: the plan ran; else it was refused whole);
    ``owners`` names the subgraphs holding a personal field (``Type.field``)."""
    identifiers = list(_argument_identifiers(decision, variables))
    if executed:
        for path in decision.subject_paths:
            identifiers.extend(_values_at(data, path))
    subjects = list(dict.fromkeys(trail.subject(i) for i in identifiers))
    detail: dict[str, str] = {}
    if len(subjects) > MAX_SUBJECTS:
        detail["subjects"] = str(len(subjects))
        subjects = subjects[:MAX_SUBJECTS]
    personal_paths = [p for use in decision.personal for p in use.paths]
    if not executed or not decision.personal:
        outcome = REFUSED
    elif any(_under(error.get("path"), personal_paths) for error in errors):
        outcome = FAILED
    else:
        outcome = ANSWERED
    return Entry(
        source="gateway",
        request=request_id,
        time=time,
        outcome=outcome,
        client=caller.client,
        officer=caller.officer,
        purpose=caller.purpose,
        legal_basis=decision.legal_basis,
        operation=operation.name.value if operation.name else None,
        kind=operation.operation.value,
        document=document,
        fields=tuple(
            FieldUse(use.coordinate, use.need.personal or "pribadi", use.paths)
            for use in (decision.personal if executed else ())
        ),
        refused=tuple(Refusal(field, code) for field, code in decision.refused),
        subjects=tuple(subjects),
        subgraphs=tuple(sorted(subgraphs)),
        owners=tuple(
            sorted(
                {
                    owner
                    for coordinate in (
                        *(use.coordinate for use in decision.personal),
                        *(field for field, _ in decision.refused),
                    )
                    for owner in owners(coordinate)
                }
            )
        ),
        detail=detail,
    )


def _argument_identifiers(decision: Decision, variables: Mapping[str, Any]) -> Iterator[str]:
    for node in decision.subject_arguments:
        yield from _identifiers(value_from_ast_untyped(node, dict(variables)))


def _identifiers(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _identifiers(item)
    elif isinstance(value, str | int) and not isinstance(value, bool):
        yield str(value)


def _values_at(node: Any, path: Sequence[str]) -> Iterator[str]:
    """The identifiers at ``path`` of the merged answer (``"@"``: every item of a list)."""
    if not path:
        yield from _identifiers(node)
        return
    step, rest = path[0], path[1:]
    if step == "@":
        if isinstance(node, list):
            for item in node:
                yield from _values_at(item, rest)
    elif isinstance(node, dict):
        yield from _values_at(node.get(step), rest)


def _under(error_path: Any, paths: Sequence[Sequence[str]]) -> bool:
    """Whether an error's path lies at or below one of ``paths`` (or above: a parent's
    failure fails what is below it)."""
    if not isinstance(error_path, list):
        return bool(paths)  # an error without a path may concern anything
    for path in paths:
        if all(step == "@" or step == key for step, key in zip(path, error_path, strict=False)):
            return True
    return False
