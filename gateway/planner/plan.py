"""The query plan: an immutable tree the executor walks.

Node kinds follow Apollo's planners (``Fetch``, ``Flatten``, ``Sequence``, ``Parallel``,
``Condition``) so plans print in the text format Apollo's tooling and tests use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from ..supergraph.model import SubgraphName

__all__ = [
    "Batch",
    "Condition",
    "Fetch",
    "Flatten",
    "InputField",
    "InputFragment",
    "OutputRewrite",
    "Parallel",
    "PathElement",
    "PlanNode",
    "PlanningError",
    "QueryPlan",
    "Sequence",
]

PathElement: TypeAlias = str
"""A response key, ``"@"`` for every item of a list, or ``"|[A,B]"`` for a type condition."""


class PlanningError(Exception):
    """The operation cannot be planned over this supergraph."""


@dataclass(frozen=True, slots=True)
class InputField:
    """One field of an entity representation, read from the merged response."""

    name: str
    """The field's name in the representation."""
    data_key: str
    """The key under which the field's value sits in the merged response."""
    selections: tuple[InputField | InputFragment, ...] | None = None


@dataclass(frozen=True, slots=True)
class InputFragment:
    """The representation of objects whose ``__typename`` is one of ``possible_types``."""

    type_condition: str
    possible_types: frozenset[str]
    selections: tuple[InputField | InputFragment, ...]
    typename: str | None = None
    """The ``__typename`` to send instead of the object's own (``@interfaceObject``)."""


@dataclass(frozen=True, slots=True)
class OutputRewrite:
    """Under ``path`` (lists crossed implicitly), in objects of ``type_condition``,
    rename ``alias`` to ``key``."""

    path: tuple[str, ...]
    type_condition: str | None
    alias: str
    key: str


@dataclass(frozen=True, slots=True)
class ContextRead:
    """A contextual argument of an entity fetch: for each object, the value is read on its
    ancestor ``depth`` response-path elements from the root (the object setting the
    context), at ``selections``, and passed in ``variable``; objects whose values differ
    are sent in separate calls."""

    variable: str
    depth: int
    selections: tuple[InputField | InputFragment, ...]


@dataclass(frozen=True, slots=True)
class Fetch:
    service: SubgraphName
    operation: str
    """The document sent to the subgraph."""
    operation_kind: Literal["query", "mutation", "subscription"]
    variable_usages: tuple[str, ...]
    requires: tuple[InputFragment, ...] | None
    """Set for entity fetches: how to build each representation."""
    selection_text: str
    """The selection as printed in the plan (without the entity wrapper)."""
    requires_text: str | None = None
    variables_text: str = ""
    operation_name: str | None = None
    output_rewrites: tuple[OutputRewrite, ...] = ()
    """Aliases to rename back in the subgraph's answer before it is merged."""
    response_keys: tuple[str, ...] = ()
    """The client's fields this fetch answers at its merge position (for error paths)."""
    contexts: tuple[ContextRead, ...] = ()
    selection: str = ""
    """The selection sent, compact: for an entity fetch, what ``_entities`` selects."""


@dataclass(frozen=True, slots=True)
class Flatten:
    path: tuple[PathElement, ...]
    node: Fetch


@dataclass(frozen=True, slots=True)
class Batch:
    """Entity fetches to one subgraph that become ready at the same time, sent as one call.

    Each part is a ``Flatten`` (under the ``Condition`` nodes of its own ``@skip`` and
    ``@include``, if any); the call holds each part's ``_entities`` under an alias of its
    own, and its answer is split back by alias. A part with no representations to send,
    or whose condition is not met, is left out of the call."""

    service: SubgraphName
    parts: tuple[PlanNode, ...]
    variables: tuple[tuple[str, str], ...] = ()
    """The client variables the parts use: name and declaration (``$name:Type=default``)."""
    operation_name: str | None = None
    calls: dict[tuple[int, ...], Fetch] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    """The calls made so far, by the parts they carry (see :meth:`call`)."""

    def call(self, parts: tuple[int, ...]) -> Fetch:
        """The fetch sending :meth:`document` for ``parts``, made once."""
        found = self.calls.get(parts)
        if found is not None:
            return found
        call = self.calls[parts] = Fetch(
            service=self.service,
            operation=self.document(parts),
            operation_kind="query",
            variable_usages=(),
            requires=None,
            selection_text="",
            operation_name=self.operation_name,
        )
        return call

    def document(self, parts: tuple[int, ...]) -> str:
        """The document carrying ``parts`` (indexes into :attr:`parts`): part ``i``'s
        ``_entities`` under the alias ``_i``, its representations in ``$representations_i``."""
        fetches = [_fetch_of(self.parts[i]) for i in parts]
        used = {name for fetch in fetches for name in fetch.variable_usages}
        declared = [f"$representations_{i}:[_Any!]!" for i in parts]
        declared += [text for name, text in self.variables if name in used]
        fields = " ".join(
            f"_{i}:_entities(representations:$representations_{i}){fetch.selection}"
            for i, fetch in zip(parts, fetches, strict=True)
        )
        name = f" {self.operation_name}" if self.operation_name else ""
        return f"query{name}({','.join(declared)}){{{fields}}}"


@dataclass(frozen=True, slots=True)
class Sequence:
    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class Parallel:
    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    """Run ``if_clause`` when the boolean variable is true, ``else_clause`` otherwise."""

    variable: str
    if_clause: PlanNode | None
    else_clause: PlanNode | None


PlanNode: TypeAlias = Fetch | Flatten | Batch | Sequence | Parallel | Condition


def _fetch_of(part: PlanNode) -> Fetch:
    """The entity fetch of a batch's part, under its conditions."""
    while isinstance(part, Condition):
        found = part.if_clause if part.if_clause is not None else part.else_clause
        assert found is not None
        part = found
    assert isinstance(part, Flatten)
    return part.node


@dataclass(frozen=True, slots=True)
class Unresolvable:
    """A client field no subgraph can resolve where the operation reaches it: it is asked
    of no subgraph, answers ``null`` and an error names it, and the rest is answered."""

    path: tuple[str, ...]
    """Its response path, ``"@"`` for each list level (positions are not known yet)."""
    reason: str
    conditions: tuple[tuple[str, bool], ...] = ()
    """``(variable, include)``: it is asked for only when each variable equals ``include``."""

    def asked(self, variables: Mapping[str, object]) -> bool:
        """Whether the request's variables select it."""
        return all(bool(variables.get(name)) == include for name, include in self.conditions)


@dataclass(frozen=True, slots=True)
class QueryPlan:
    node: PlanNode | None
    unresolvable: tuple[Unresolvable, ...] = ()
