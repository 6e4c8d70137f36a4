"""Authorization at planning time: the operation a caller may run, and why the rest is not.

:class:`OperationAccess` is built once per operation of a cached document. It walks the
selection (fragments inlined) and lists every protected element it reaches, with the
:class:`~.rules.Need` to meet. Per request, :meth:`OperationAccess.denied` says which of
them the caller does not meet, and :meth:`OperationAccess.filtered` gives, once per denied
set, the operation with those elements removed: the planner never sees them, so no
subgraph is asked for them. The client's response is still shaped from the original
selection, so a removed field answers ``null`` (by the usual null propagation if it is
non-null) and an ``UNAUTHORIZED_FIELD_OR_TYPE`` error names its path. Paths through lists
carry ``"@"`` for the list level, as Apollo Router writes them: the positions are not
known before execution.

A selection left empty by the removals keeps ``__typename``, so its parent object still
arrives and its removed fields answer ``null`` inside it.

The walk also finds who the personal data is about, for the access record: the values of
arguments marked as identifying a data subject, and the response paths of fields so marked.
Personal data reached below no such argument, on a type that has such a field the client
did not select, gets that field added under an alias of its own: the gateway reads it from
the subgraph's answer for the record, and the client's answer, shaped from its own
selection, never shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    ValueNode,
    get_named_type,
    is_composite_type,
)

from .caller import Caller
from .rules import AccessRules, Need

__all__ = ["Filtered", "OperationAccess", "OperationTooComplex", "Use"]

ErrorPath = tuple[str, ...]

MAX_VISITS = 20_000
"""Selections one authorization walk may visit (fragments inlined); beyond, the operation
is refused rather than walked further: a fragment spread many times at many levels would
otherwise make the walk itself the attack."""

MAX_PATHS = 20
"""Error paths kept per removed element: the first ones tell the client enough."""


class OperationTooComplex(Exception):
    """The operation reaches protected elements through more selections than are walked."""


@dataclass(frozen=True, slots=True)
class Use:
    """A protected element the operation selects."""

    coordinate: str
    """``Type.field``, or ``Type`` for a fragment on a protected type."""
    need: Need
    count: int
    """How many selections reach it (aliases and repeated fragments each count)."""
    paths: tuple[ErrorPath, ...] = ()
    """Its response paths (at most :data:`MAX_PATHS`), ``"@"`` for list levels."""


@dataclass(frozen=True, slots=True)
class Filtered:
    """The operation without one set of denied elements."""

    operation: OperationDefinitionNode
    fragments: Mapping[str, FragmentDefinitionNode]
    paths: Mapping[str, tuple[ErrorPath, ...]]
    """Each removed element's response paths (at most :data:`MAX_PATHS`)."""
    kept: Mapping[str, Use]
    """The protected elements still selected, counted in the filtered operation."""
    subject_arguments: tuple[ValueNode, ...] = ()
    """The values given to arguments identifying a data subject (variables unresolved)."""
    subject_paths: tuple[ErrorPath, ...] = ()
    """Where the answer carries values identifying a data subject (the operation's
    response keys, added aliases included)."""


_TYPENAME = FieldNode(name=NameNode(value="__typename"))
_SUBJECT_ALIAS = "simpulSubjek_"


class OperationAccess:
    """The protected elements of one operation, and its filtered forms by denied set."""

    def __init__(
        self,
        rules: AccessRules,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self._rules = rules
        self._schema = schema
        self._operation = operation
        self._fragments = fragments
        self._filtered: dict[frozenset[str], Filtered] = {}
        whole = self.filtered(frozenset())
        self.uses: Mapping[str, Use] = whole.kept
        """Every protected element the operation selects; empty for most operations."""

    def denied(self, caller: Caller) -> frozenset[str]:
        """The elements ``caller`` may not reach."""
        return frozenset(c for c, use in self.uses.items() if not use.need.met_by(caller))

    def filtered(self, denied: frozenset[str]) -> Filtered:
        """The operation with the ``denied`` elements removed (cached per set)."""
        found = self._filtered.get(denied)
        if found is None:
            if denied and not self.uses:
                raise ValueError("nothing to deny in an operation without protected elements")
            found = self._filtered[denied] = _Walk(self, denied).run()
        return found


class _Walk:
    def __init__(self, access: OperationAccess, denied: frozenset[str]) -> None:
        self.rules = access._rules
        self.schema = access._schema
        self.operation = access._operation
        self.fragments = access._fragments
        self.denied = denied
        self.paths: dict[str, list[ErrorPath]] = {}
        self.kept: dict[str, tuple[Need, int]] = {}
        self.kept_paths: dict[str, list[ErrorPath]] = {}
        self.subject_arguments: list[ValueNode] = []
        self.subject_paths: list[ErrorPath] = []
        self.visits = 0
        self.changed = False
        self.added = False

    def run(self) -> Filtered:
        root = self.schema.get_root_type(self.operation.operation)
        assert root is not None
        selection, _ = self.selection_set(self.operation.selection_set, root, ())
        kept = {
            c: Use(c, need, count, tuple(self.kept_paths.get(c, ())))
            for c, (need, count) in self.kept.items()
        }
        paths = {c: tuple(p) for c, p in self.paths.items()}
        subjects = (tuple(self.subject_arguments), tuple(dict.fromkeys(self.subject_paths)))
        if not self.changed or not (self.denied or self.added):
            return Filtered(self.operation, self.fragments, paths, kept, *subjects)
        # the fragments are inlined where they were spread: the filtered operation needs none
        operation = replace(self.operation, selection_set=selection)
        return Filtered(operation, {}, paths, kept, *subjects)

    def selection_set(
        self, selection_set: SelectionSetNode, parent: GraphQLCompositeType, path: ErrorPath
    ) -> tuple[SelectionSetNode, bool]:
        """The selection with the denied elements removed, and whether it reaches personal
        data whose subject nothing in or above it identifies yet."""
        kept: list[SelectionNode] = []
        unidentified = False
        for selection in selection_set.selections:
            self.visits += 1
            if self.visits > MAX_VISITS:
                raise OperationTooComplex
            if isinstance(selection, FieldNode):
                field, below = self.field(selection, parent, path)
                if field is not None:
                    kept.append(field)
            elif isinstance(selection, InlineFragmentNode):
                fragment, below = self.fragment(selection, parent, path)
                if fragment is not None:
                    kept.append(fragment)
            elif isinstance(selection, FragmentSpreadNode):
                definition = self.fragments.get(selection.name.value)
                if definition is None:
                    continue
                inline = InlineFragmentNode(
                    type_condition=definition.type_condition,
                    directives=selection.directives,
                    selection_set=definition.selection_set,
                )
                fragment, below = self.fragment(inline, parent, path)
                if fragment is not None:
                    kept.append(fragment)
                self.changed = True  # spreads become inline fragments
            unidentified = unidentified or below
        if unidentified and (subject := self.rules.subject_fields(parent.name)):
            unidentified = False
            if not any(
                isinstance(s, FieldNode) and s.name.value in subject and not s.directives
                for s in kept
            ):
                kept.append(self.subject_field(subject[0], kept, parent, path))
        if len(kept) != len(selection_set.selections) or any(
            a is not b for a, b in zip(kept, selection_set.selections, strict=False)
        ):
            self.changed = True
            return SelectionSetNode(selections=tuple(kept) or (_TYPENAME,)), unidentified
        return selection_set, unidentified

    def subject_field(
        self,
        name: str,
        siblings: list[SelectionNode],
        parent: GraphQLCompositeType,
        path: ErrorPath,
    ) -> FieldNode:
        """The subject field ``name`` of ``parent``, selected under an alias no sibling uses."""
        keys = {(s.alias or s.name).value for s in siblings if isinstance(s, FieldNode)}
        alias, number = f"{_SUBJECT_ALIAS}{name}", 1
        while alias in keys:
            alias, number = f"{_SUBJECT_ALIAS}{name}{number}", number + 1
        definition = getattr(parent, "fields", {})[name]
        self.subject_paths.append((*path, alias, *_list_levels(definition.type)))
        self.added = True
        return FieldNode(alias=NameNode(value=alias), name=NameNode(value=name))

    def field(
        self, node: FieldNode, parent: GraphQLCompositeType, path: ErrorPath
    ) -> tuple[FieldNode | None, bool]:
        name = node.name.value
        if name.startswith("__"):
            return node, False
        key = node.alias.value if node.alias else name
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:
            return node, False  # validation has refused unknown fields; nothing to protect
        here = (*path, key, *_list_levels(definition.type))
        identifying = self.rules.subject_arguments(parent.name, name)
        self.subject_arguments.extend(
            a.value for a in node.arguments or () if a.name.value in identifying
        )
        coordinate = f"{parent.name}.{name}"
        need = self.rules.field_need(parent.name, name)
        if not self.allowed(coordinate, need, here):
            return None, False
        if name in self.rules.subject_fields(parent.name):
            self.subject_paths.append(here)
        unidentified = need is not None and need.personal is not None
        if node.selection_set is not None:
            returned = get_named_type(definition.type)
            assert is_composite_type(returned)
            selection, below = self.selection_set(node.selection_set, returned, here)
            unidentified = unidentified or below
            if selection is not node.selection_set:
                node = replace(node, selection_set=selection)
        # an identifying argument names the subject of everything the field reaches
        return node, unidentified and not identifying

    def fragment(
        self,
        node: InlineFragmentNode,
        parent: GraphQLCompositeType,
        path: ErrorPath,
    ) -> tuple[InlineFragmentNode | None, bool]:
        target, personal = parent, False
        if node.type_condition is not None:
            named = self.schema.get_type(node.type_condition.name.value)
            if named is None or not is_composite_type(named):
                return node, False
            target = named
            need = self.rules.type_need(target.name)
            if not self.allowed(target.name, need, path):
                return None, False
            personal = need is not None and need.personal is not None
        selection, unidentified = self.selection_set(node.selection_set, target, path)
        if selection is not node.selection_set:
            node = replace(node, selection_set=selection)
        return node, unidentified or personal

    def allowed(self, coordinate: str, need: Need | None, path: ErrorPath) -> bool:
        if need is None:
            return True
        if coordinate in self.denied:
            paths = self.paths.setdefault(coordinate, [])
            if len(paths) < MAX_PATHS and path not in paths:
                paths.append(path)
            return False
        _, count = self.kept.get(coordinate, (need, 0))
        self.kept[coordinate] = (need, count + 1)
        if need.personal is not None:
            paths = self.kept_paths.setdefault(coordinate, [])
            if len(paths) < MAX_PATHS and path not in paths:
                paths.append(path)
        return True


def _list_levels(type_: GraphQLOutputType) -> tuple[str, ...]:
    levels: list[str] = []
    while True:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        elif isinstance(type_, GraphQLList):
            levels.append("@")
            type_ = type_.of_type
        else:
            return tuple(levels)
