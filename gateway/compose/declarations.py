"""Every subgraph's declarations of a type, looked up by name during merging."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..supergraph.model import TypeKind
from .fieldsets import FieldSetUsage
from .subgraph import SubgraphSchema, TypeDef
from .type_refs import named

__all__ = ["Declarations"]


@dataclass(frozen=True)
class Declarations:
    """The validated subgraphs (in graph order) and what their field sets use."""

    subgraphs: tuple[SubgraphSchema, ...]
    usages: Mapping[str, FieldSetUsage] = field(default_factory=dict)

    def of_type(self, name: str) -> list[tuple[SubgraphSchema, TypeDef]]:
        """The subgraphs declaring type ``name``, with their declaration."""
        return [(s, s.types[name]) for s in self.subgraphs if name in s.types]

    @cached_property
    def type_names(self) -> tuple[str, ...]:
        """Every type name, in order of first declaration."""
        return tuple(dict.fromkeys(n for s in self.subgraphs for n in s.types))

    @cached_property
    def _possible(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for subgraph in self.subgraphs:
            for type_def in subgraph.types.values():
                for interface in type_def.interfaces:
                    found.setdefault(interface, set()).add(type_def.name)
                for member in type_def.members:
                    found.setdefault(type_def.name, set()).add(member)
        return {name: frozenset(types) for name, types in found.items()}

    def possible(self, abstract: str) -> frozenset[str]:
        """Types implementing interface ``abstract`` or members of union ``abstract``."""
        return self._possible.get(abstract, frozenset())

    @cached_property
    def input_types(self) -> Mapping[str, str]:
        """Type names used by some argument or input field, each with the first such
        element's coordinate (``Query.search(kind:)``, ``Filter.kind``)."""
        found: dict[str, str] = {}
        for subgraph in self.subgraphs:
            for type_def in subgraph.types.values():
                for argument in type_def.input_fields.values():
                    found.setdefault(named(argument.type), f"{type_def.name}.{argument.name}")
                for field_def in type_def.fields.values():
                    for argument in field_def.arguments.values():
                        found.setdefault(
                            named(argument.type),
                            f"{type_def.name}.{field_def.name}({argument.name}:)",
                        )
        return found

    @cached_property
    def output_types(self) -> Mapping[str, str]:
        """Type names some object or interface field returns, each with the first such
        field's coordinate."""
        found: dict[str, str] = {}
        for subgraph in self.subgraphs:
            for type_def in subgraph.types.values():
                for field_def in type_def.fields.values():
                    found.setdefault(named(field_def.type), f"{type_def.name}.{field_def.name}")
        return found

    def usage(self, subgraph: str) -> FieldSetUsage:
        return self.usages.get(subgraph) or FieldSetUsage()

    def is_interface_like(self, type_def: TypeDef) -> bool:
        return type_def.kind is TypeKind.INTERFACE or type_def.interface_object
