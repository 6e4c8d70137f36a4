"""Fetch groups: the mutable fetches a plan is built from, before they become plan nodes.

A group is one future ``Fetch``: a subgraph, the response path where its result is merged,
the selection to send and, for entity fetches, how to build each representation. Groups
depend on the groups whose results they read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..supergraph.model import SubgraphName
from .normalize import Conditions
from .plan import InputField, InputFragment
from .selection import FieldEntry, SelectionTree

__all__ = [
    "EntityInput",
    "Group",
    "GroupContext",
    "InputBuilder",
    "InputSlot",
    "PathRef",
    "path_identity",
    "resolve_path",
]

PathRef = FieldEntry | str
"""A merge-path element: the field entry (renamable) or ``"@"`` / ``"|[T]"``."""


def resolve_path(path: tuple[PathRef, ...]) -> tuple[str, ...]:
    return tuple(p.response_key if isinstance(p, FieldEntry) else p for p in path)


def path_identity(path: tuple[PathRef, ...]) -> tuple[object, ...]:
    """The position ``path`` stands for, by the field entries themselves: two fields
    with one response key now (``comments(limit: 3)`` selected for a requirement and the
    client's ``comments(limit: 1)``) are two positions once one is renamed."""
    return tuple(id(p) if isinstance(p, FieldEntry) else p for p in path)


@dataclass(eq=False, slots=True)
class InputSlot:
    name: str
    entry: FieldEntry | None = None
    sub: InputBuilder | None = None


@dataclass(eq=False, slots=True)
class InputBuilder:
    """Collects which fields make up a representation while the planner places them."""

    fields: dict[str, InputSlot] = field(default_factory=dict)
    fragments: dict[str, tuple[frozenset[str], InputBuilder]] = field(default_factory=dict)

    def slot(self, name: str, arguments_text: str) -> InputSlot:
        key = name + arguments_text
        if key not in self.fields:
            self.fields[key] = InputSlot(name)
        return self.fields[key]

    def fragment(self, type_condition: str, possible_types: frozenset[str]) -> InputBuilder:
        if type_condition not in self.fragments:
            self.fragments[type_condition] = (possible_types, InputBuilder())
        return self.fragments[type_condition][1]

    def clashes_with(self, other: InputBuilder) -> bool:
        """Whether merging would put one field name twice with different arguments."""
        names = {slot.name: key for key, slot in self.fields.items()}
        for key, slot in other.fields.items():
            mine = names.get(slot.name)
            if mine is not None and mine != key:
                return True
            if mine is not None and slot.sub is not None and self.fields[mine].sub is not None:
                sub = self.fields[mine].sub
                assert sub is not None
                if sub.clashes_with(slot.sub):
                    return True
        return any(
            condition in self.fragments and self.fragments[condition][1].clashes_with(builder)
            for condition, (_, builder) in other.fragments.items()
        )

    def merge(self, other: InputBuilder) -> None:
        for key, slot in other.fields.items():
            mine = self.fields.setdefault(key, InputSlot(slot.name))
            mine.entry = mine.entry or slot.entry
            if slot.sub is not None:
                if mine.sub is None:
                    mine.sub = InputBuilder()
                mine.sub.merge(slot.sub)
        for condition, (possible, builder) in other.fragments.items():
            self.fragment(condition, possible).merge(builder)

    def build(self) -> tuple[InputField | InputFragment, ...]:
        items: list[InputField | InputFragment] = []
        for slot in self.fields.values():
            if slot.entry is None:
                continue
            items.append(
                InputField(
                    name=slot.name,
                    data_key=slot.entry.response_key,
                    selections=slot.sub.build() if slot.sub is not None else None,
                )
            )
        for condition, (possible, builder) in self.fragments.items():
            items.append(InputFragment(condition, possible, builder.build()))
        return tuple(items)


@dataclass(eq=False, slots=True)
class GroupContext:
    """A contextual argument a group's fetch passes: the variable carrying it, its type,
    the position of the ancestor setting the context, and where its value is read there."""

    variable: str
    type_text: str
    ancestor: tuple[PathRef, ...]
    inputs: InputBuilder


@dataclass(eq=False, slots=True)
class EntityInput:
    type_condition: str
    possible_types: frozenset[str]
    typename: str | None
    builder: InputBuilder


@dataclass(eq=False, slots=True)
class Group:
    id: int
    subgraph: SubgraphName
    path: tuple[PathRef, ...]
    entity: bool
    conditions: Conditions
    deps: frozenset[Group]
    tree: SelectionTree = field(default_factory=SelectionTree)
    inputs: dict[tuple[str, str | None], EntityInput] = field(default_factory=dict)
    variables: set[str] = field(default_factory=set)
    contexts: list[GroupContext] = field(default_factory=list)
    root_order: int = 0
    """For mutations: root groups run one after the other in this order."""

    def entity_input(
        self, type_condition: str, possible_types: frozenset[str], typename: str | None
    ) -> InputBuilder:
        key = (type_condition, typename)
        if key not in self.inputs:
            self.inputs[key] = EntityInput(type_condition, possible_types, typename, InputBuilder())
        return self.inputs[key].builder

    def build_inputs(self) -> tuple[InputFragment, ...]:
        return tuple(
            InputFragment(
                type_condition=i.type_condition,
                possible_types=i.possible_types,
                selections=i.builder.build(),
                typename=i.typename,
            )
            for i in self.inputs.values()
        )

    def __repr__(self) -> str:
        return f"Group({self.id}, {self.subgraph}, {resolve_path(self.path)})"
