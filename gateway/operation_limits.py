"""Operation limits: what one document may ask for, checked before it is validated.

Counted on the parsed document, fragments counted each time they are spread (so a fragment
spread ten times counts ten times) with each fragment walked once:

- aliases: fields selected under another name (``a: kelurahan(...)``), the way one request
  multiplies one field;
- root fields: distinct response keys at the top of an operation;
- fields: every field selection;
- height: the field selections as written, each fragment counted once (Apollo Router's
  measure);
- directives on one field or fragment.

Depth and the number of tokens are the document cache's own limits
(:mod:`gateway.operation`); :func:`selection_depth` measures depth the same way, for the
OPD subgraphs' own limits (:mod:`subgraphs.toolkit.limits`). Counts stop at the limit plus
one, so a fragment bomb costs the walk of its definitions, not of its expansion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from .errors import ErrorCode, RequestError, graphql_error

__all__ = ["OperationLimits", "check_limits", "definitions_of", "selection_depth"]


@dataclass(frozen=True, slots=True)
class OperationLimits:
    max_aliases: int = 30
    max_root_fields: int = 20
    max_fields: int = 2000
    max_height: int = 200
    max_directives: int = 5


@dataclass(frozen=True, slots=True)
class _Counts:
    aliases: int = 0
    fields: int = 0
    directives: int = 0
    """The most directives on one node."""


def definitions_of(
    document: DocumentNode,
) -> tuple[dict[str | None, OperationDefinitionNode], dict[str, FragmentDefinitionNode]]:
    """A document's operations by name (``None`` for an anonymous one) and fragments."""
    operations: dict[str | None, OperationDefinitionNode] = {}
    fragments: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            operations[definition.name.value if definition.name else None] = definition
        elif isinstance(definition, FragmentDefinitionNode):
            fragments[definition.name.value] = definition
    return operations, fragments


def check_limits(
    operations: Mapping[str | None, OperationDefinitionNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    limits: OperationLimits,
) -> RequestError | None:
    """The refusal of the first limit an operation of the document exceeds, or ``None``."""
    counter = _Counter(fragments, limits)
    for operation in operations.values():
        counts = counter.selection(operation.selection_set)
        root_keys = counter.root_keys(operation.selection_set, set())
        for value, limit, what, code in (
            (counts.aliases, limits.max_aliases, "aliases", ErrorCode.MAX_ALIASES_LIMIT),
            (
                len(root_keys),
                limits.max_root_fields,
                "root fields",
                ErrorCode.MAX_ROOT_FIELDS_LIMIT,
            ),
            (counts.fields, limits.max_fields, "field selections", ErrorCode.MAX_FIELDS_LIMIT),
            (
                counter.height(operation.selection_set),
                limits.max_height,
                "distinct field selections",
                ErrorCode.MAX_HEIGHT_LIMIT,
            ),
            (
                counts.directives,
                limits.max_directives,
                "directives on one field",
                ErrorCode.MAX_DIRECTIVES_LIMIT,
            ),
        ):
            if value > limit:
                # counts stop early, so the message says only that the limit is passed
                message = f"the operation has more than {limit} {what}"
                return RequestError([graphql_error(message, code)])
    return None


def selection_depth(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    known: dict[str, int] | None = None,
) -> int:
    """Nesting depth of a selection: each field with a selection of its own adds a level
    (``{ a { b } }`` is 1 deep), a fragment counts where it is spread. Each fragment's
    depth is worked out once (``known``, shareable by the operations of one document), so
    fragments spreading the next one several times cost linear, not exponential, time."""
    if selection_set is None:
        return 0
    known = {} if known is None else known
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is not None:
                inner = selection_depth(selection.selection_set, fragments, known)
                deepest = max(deepest, 1 + inner)
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, selection_depth(selection.selection_set, fragments, known))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None:
                continue
            if name not in known:
                known[name] = 0  # a cycle (rejected by validation anyway) adds nothing
                known[name] = selection_depth(fragment.selection_set, fragments, known)
            deepest = max(deepest, known[name])
    return deepest


class _Counter:
    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], limits: OperationLimits):
        self.fragments = fragments
        self.cap = (
            max(limits.max_aliases, limits.max_fields, limits.max_height, limits.max_directives) + 1
        )
        self.known: dict[str, _Counts] = {}

    def selection(self, selection_set: SelectionSetNode) -> _Counts:
        aliases = fields = directives = 0
        for selection in selection_set.selections:
            directives = max(directives, len(selection.directives or ()))
            if isinstance(selection, FieldNode):
                fields += 1
                aliases += selection.alias is not None
                if selection.selection_set is not None:
                    inner = self.selection(selection.selection_set)
                    aliases, fields = aliases + inner.aliases, fields + inner.fields
                    directives = max(directives, inner.directives)
            elif isinstance(selection, InlineFragmentNode):
                inner = self.selection(selection.selection_set)
                aliases, fields = aliases + inner.aliases, fields + inner.fields
                directives = max(directives, inner.directives)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value)
                aliases, fields = aliases + inner.aliases, fields + inner.fields
                directives = max(directives, inner.directives)
            if aliases >= self.cap and fields >= self.cap:
                break
        return _Counts(min(aliases, self.cap), min(fields, self.cap), directives)

    def fragment(self, name: str) -> _Counts:
        found = self.known.get(name)
        if found is None:
            definition = self.fragments.get(name)
            self.known[name] = _Counts()  # a cycle (refused by validation) adds nothing
            if definition is not None:
                found = self.selection(definition.selection_set)
                directives = max(found.directives, len(definition.directives or ()))
                found = _Counts(found.aliases, found.fields, directives)
                self.known[name] = found
            found = self.known[name]
        return found

    def height(self, selection_set: SelectionSetNode) -> int:
        """Field selections written in the operation and the fragments it reaches, each
        fragment counted once however often it is spread (Apollo Router's height)."""
        total, reached = 0, set()
        pending = [selection_set]
        while pending and total <= self.cap:
            current = pending.pop()
            for selection in current.selections:
                if isinstance(selection, FieldNode):
                    total += 1
                    if selection.selection_set is not None:
                        pending.append(selection.selection_set)
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    definition = self.fragments.get(name)
                    if definition is not None and name not in reached:
                        reached.add(name)
                        pending.append(definition.selection_set)
        return total

    def root_keys(self, selection_set: SelectionSetNode, seen: set[str]) -> set[str]:
        keys: set[str] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                keys.add(selection.alias.value if selection.alias else selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                keys |= self.root_keys(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                definition = self.fragments.get(name)
                if definition is not None and name not in seen:
                    seen.add(name)
                    keys |= self.root_keys(definition.selection_set, seen)
            if len(keys) > self.cap:
                break
        return keys
