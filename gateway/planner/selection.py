"""Selections the planner builds for one subgraph fetch, and how they are printed.

A :class:`SelectionTree` is mutable while a plan is built. Field entries are shared by
reference with the representation inputs and merge paths that point into them, so an
entry the planner renames (to make room for a client field with the same response key)
is renamed everywhere at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from graphql import ArgumentNode, DirectiveNode, OperationDefinitionNode, parse, print_ast

__all__ = ["FieldEntry", "FragmentEntry", "SelectionTree", "print_arguments", "print_directives"]


def print_arguments(arguments: tuple[ArgumentNode, ...]) -> str:
    if not arguments:
        return ""
    return "(" + ", ".join(f"{a.name.value}: {print_ast(a.value)}" for a in arguments) + ")"


def print_directives(directives: tuple[DirectiveNode, ...]) -> str:
    return "".join(" " + print_ast(d) for d in directives)


@dataclass(eq=False, slots=True)
class FieldEntry:
    name: str
    alias: str | None
    arguments_text: str
    directives_text: str
    internal: bool
    tree: SelectionTree | None = None
    type_text: str = ""
    """The field's type in the subgraph the selection is sent to."""
    conditions: frozenset[tuple[str, bool]] = frozenset()
    """The variable ``@skip``/``@include`` conditions in ``directives_text``."""

    @property
    def response_key(self) -> str:
        return self.alias or self.name


@dataclass(eq=False, slots=True)
class FragmentEntry:
    type_condition: str | None
    directives_text: str
    tree: SelectionTree
    conditions: frozenset[tuple[str, bool]] = frozenset()


@dataclass(eq=False, slots=True)
class SelectionTree:
    items: list[FieldEntry | FragmentEntry] = field(default_factory=list)
    _aliases: int = 0
    # indexes, so that wide selections are built in linear time
    _by_key: dict[str, list[FieldEntry]] = field(default_factory=dict)
    _fragments: dict[tuple[str | None, str], SelectionTree] = field(default_factory=dict)
    _internal: dict[tuple[str, str, str], FieldEntry] = field(default_factory=dict)
    """The gateway's own entries by what they select: found again after a rename."""

    def fields_at(self, key: str) -> Iterator[FieldEntry]:
        # an entry renamed since it was indexed is no longer at ``key``
        return (e for e in self._by_key.get(key, ()) if e.response_key == key)

    def _rename(self, entry: FieldEntry, alias: str) -> None:
        entry.alias = alias
        self._by_key.setdefault(alias, []).append(entry)

    def add_field(
        self,
        name: str,
        alias: str | None,
        arguments_text: str,
        directives_text: str,
        internal: bool,
        composite: bool,
    ) -> FieldEntry:
        """Add a field, or return the entry already selecting the same thing."""
        if internal and alias is None:
            # one the gateway added before, renamed since to make room for a client field
            known = self._internal.get((name, arguments_text, directives_text))
            if known is not None:
                return known
        key = alias or name
        same = [
            e
            for e in self.fields_at(key)
            if e.name == name
            and e.arguments_text == arguments_text
            and e.directives_text == directives_text
        ]
        if same:
            if not internal:
                same[0].internal = False  # a client field now relies on its response key
            return same[0]
        clashing = [
            e
            for e in self.fields_at(key)
            if e.name != name or e.arguments_text != arguments_text or e.internal or internal
        ]
        if internal and clashing:
            alias = self._fresh_alias(name)
        elif clashing:
            for entry in clashing:
                if entry.internal:
                    self._rename(entry, self._fresh_alias(entry.name))
        entry = FieldEntry(
            name=name,
            alias=alias,
            arguments_text=arguments_text,
            directives_text=directives_text,
            internal=internal,
            tree=SelectionTree() if composite else None,
        )
        self.items.append(entry)
        self._by_key.setdefault(entry.response_key, []).append(entry)
        if internal:
            self._internal.setdefault((name, arguments_text, directives_text), entry)
        return entry

    def add_typename(self) -> FieldEntry:
        return self.add_field("__typename", None, "", "", internal=True, composite=False)

    def add_fragment(
        self,
        type_condition: str | None,
        directives_text: str = "",
        conditions: frozenset[tuple[str, bool]] = frozenset(),
    ) -> SelectionTree:
        known = self._fragments.get((type_condition, directives_text))
        if known is not None:
            return known
        fragment = FragmentEntry(type_condition, directives_text, SelectionTree(), conditions)
        self.items.append(fragment)
        self._fragments[(type_condition, directives_text)] = fragment.tree
        return fragment.tree

    def _fresh_alias(self, name: str) -> str:
        while True:
            self._aliases += 1
            alias = f"_{name.lstrip('_')}{self._aliases}"
            if not any(self.fields_at(alias)):
                return alias

    def separate_conflicting_shapes(
        self, path: tuple[str, ...] = ()
    ) -> list[tuple[tuple[str, ...], str | None, str, str]]:
        """Alias fields that share a response key across type conditions with different types.

        A subgraph rejects ``... on A { id } ... on B { id }`` when ``A.id`` is ``ID!`` and
        ``B.id`` is ``ID``; the second one is sent under a fresh alias and renamed back
        when the answer arrives. Returns ``(path, type condition, alias, key)`` rewrites.
        """
        rewrites: list[tuple[tuple[str, ...], str | None, str, str]] = []
        seen: dict[str, str] = {}
        for item in self.items:
            if isinstance(item, FieldEntry) and item.type_text:
                seen.setdefault(item.response_key, item.type_text)
        for condition, entry in self._fragment_fields():
            key = entry.response_key
            if not entry.type_text:
                continue
            if key in seen and seen[key] != entry.type_text:
                entry.alias = self._fresh_alias(entry.name)
                rewrites.append((path, condition, entry.alias, key))
            else:
                seen.setdefault(key, entry.type_text)
        for entry in self._all_fields():
            if entry.tree is not None:
                rewrites.extend(entry.tree.separate_conflicting_shapes((*path, entry.response_key)))
        return rewrites

    def _fragment_fields(
        self, condition: str | None = None
    ) -> Iterator[tuple[str | None, FieldEntry]]:
        for item in self.items:
            if isinstance(item, FragmentEntry):
                inner = item.type_condition or condition
                for entry in item.tree.items:
                    if isinstance(entry, FieldEntry):
                        yield inner, entry
                yield from item.tree._fragment_fields(inner)

    def client_keys(self) -> tuple[str, ...]:
        """Response keys of the client's fields at this level, fragments looked through."""
        keys = dict.fromkeys(e.response_key for e in self._all_fields() if not e.internal)
        return tuple(keys)

    def _all_fields(self) -> Iterator[FieldEntry]:
        for item in self.items:
            if isinstance(item, FieldEntry):
                yield item
            else:
                yield from item.tree._all_fields()

    def shared_conditions(self) -> frozenset[tuple[str, bool]]:
        """Conditions every selected item is under: the whole fetch can be skipped on them."""
        shared: frozenset[tuple[str, bool]] | None = None
        for item in self.items:
            if isinstance(item, FieldEntry):
                mine = item.conditions
            else:
                mine = item.conditions | item.tree.shared_conditions()
            shared = mine if shared is None else shared & mine
            if not shared:
                return frozenset()
        return shared or frozenset()

    def selects_client_value(self) -> bool:
        """Whether any value the client asked for (a leaf other than ``__typename``) is
        selected here or below."""
        return any(
            (e.tree is None and not e.internal and e.name != "__typename")
            or (e.tree is not None and e.tree.selects_client_value())
            for e in self._all_fields()
        )

    def is_empty(self) -> bool:
        return not self.items

    def _printed(self) -> list[FieldEntry | FragmentEntry]:
        """The items to print: a fragment left with nothing in it is not (``{}`` is not
        GraphQL). A field whose selection is left empty (every field under it skipped or
        of a type it cannot be) selects ``__typename``, so the object is still answered."""
        return [i for i in self.items if isinstance(i, FieldEntry) or i.tree._printed()]

    def print_compact(self) -> str:
        """The selection set as sent to a subgraph: ``{a b{c}}``."""
        parts: list[str] = []
        for item in self._printed():
            layers = _layers(item.directives_text)
            head = _header(item, layers[0])
            if item.tree is not None:
                head += item.tree.print_compact()
            for layer in layers[1:]:
                head = f"...{layer}{{{head}}}"
            parts.append(head)
        return "{" + (" ".join(parts) or "__typename") + "}"

    def print_pretty(self, depth: int = 0) -> str:
        """The selection set as printed in plans, two spaces per level."""
        pad = "  " * (depth + 1)
        lines = ["{"]
        for item in self._printed():
            layers = _layers(item.directives_text)
            inner = depth + len(layers) - 1
            head = "  " * (inner + 1) + _header(item, layers[0])
            if item.tree is not None:
                head += " " + item.tree.print_pretty(inner + 1)
            for level, layer in enumerate(layers[1:]):
                outer = "  " * (inner - level)
                head = f"{outer}...{layer} {{\n{head}\n{outer}}}"
            lines.append(head)
        if len(lines) == 1:
            lines.append(pad + "__typename")
        lines.append("  " * depth + "}")
        return "\n".join(lines)


def _header(item: FieldEntry | FragmentEntry, directives_text: str) -> str:
    if isinstance(item, FieldEntry):
        alias = f"{item.alias}: " if item.alias and item.alias != item.name else ""
        return f"{alias}{item.name}{item.arguments_text}{directives_text}"
    condition = f" on {item.type_condition}" if item.type_condition else ""
    return f"...{condition}{directives_text}"


@lru_cache(maxsize=1024)
def _layers(directives_text: str) -> tuple[str, ...]:
    """``directives_text`` split so that no directive is repeated in one part: the first
    part stays on the selection, each other one goes on an inline fragment around it (a
    selection under two ``@skip`` conditions, its own and a flattened fragment's, is sent
    as ``... @skip(if: $a) { f @skip(if: $b) }``: one location takes a directive once)."""
    if directives_text.count("@") < 2:
        return (directives_text,)
    operation = parse(f"{{ x{directives_text} }}").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    directives = operation.selection_set.selections[0].directives or ()
    layers: list[list[DirectiveNode]] = []
    for directive in directives:
        layer = next(
            (each for each in layers if all(d.name.value != directive.name.value for d in each)),
            None,
        )
        if layer is None:
            layers.append(layer := [])
        layer.append(directive)
    if len(layers) == 1:
        return (directives_text,)
    return tuple(print_directives(tuple(layer)) for layer in layers)
