"""The supergraph as the planner sees it: which subgraph can resolve what.

Everything here is read once from the supergraph SDL by :mod:`gateway.supergraph.loader`
and never changes afterwards, so the planner may cache freely against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import NewType

from graphql import (
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SelectionSetNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
)

SubgraphName = NewType("SubgraphName", str)


class TypeKind(Enum):
    OBJECT = "object"
    INTERFACE = "interface"
    UNION = "union"
    ENUM = "enum"
    INPUT = "input"
    SCALAR = "scalar"


KIND_OF_NODE: Mapping[type, TypeKind] = {
    ObjectTypeDefinitionNode: TypeKind.OBJECT,
    ObjectTypeExtensionNode: TypeKind.OBJECT,
    InterfaceTypeDefinitionNode: TypeKind.INTERFACE,
    InterfaceTypeExtensionNode: TypeKind.INTERFACE,
    UnionTypeDefinitionNode: TypeKind.UNION,
    UnionTypeExtensionNode: TypeKind.UNION,
    EnumTypeDefinitionNode: TypeKind.ENUM,
    EnumTypeExtensionNode: TypeKind.ENUM,
    InputObjectTypeDefinitionNode: TypeKind.INPUT,
    InputObjectTypeExtensionNode: TypeKind.INPUT,
    ScalarTypeDefinitionNode: TypeKind.SCALAR,
    ScalarTypeExtensionNode: TypeKind.SCALAR,
}
"""The kind of type each SDL definition or extension node declares (the composer's
subgraph reader and the supergraph loader both read SDL)."""


@dataclass(frozen=True, slots=True)
class Subgraph:
    """One subgraph: its name as composed, the graph enum value naming it, and its URL."""

    name: SubgraphName
    enum_value: str
    url: str


@dataclass(frozen=True, slots=True)
class EntityKey:
    """One ``@key`` of a type in one subgraph."""

    subgraph: SubgraphName
    fields: str
    selection: SelectionSetNode
    resolvable: bool


@dataclass(frozen=True, slots=True)
class TypeMembership:
    """A ``@join__type`` application: the type exists in ``subgraph``."""

    subgraph: SubgraphName
    extension: bool
    is_interface_object: bool


@dataclass(frozen=True, slots=True)
class ContextArgument:
    """An argument the gateway fills from a context an ancestor sets (``@fromContext``;
    join v0.5 ``contextArguments``): clients never see it."""

    name: str
    type: str
    """Its type in the subgraph, as written there."""
    context: str
    """The context, as the supergraph names it on the types setting it (``@context``)."""
    selection: SelectionSetNode
    """What is read on the ancestor setting the context: its one leaf is the value."""


@dataclass(frozen=True, slots=True)
class FieldSource:
    """A ``@join__field`` application (or the implicit one of a type's subgraphs)."""

    subgraph: SubgraphName
    external: bool = False
    requires: SelectionSetNode | None = None
    provides: SelectionSetNode | None = None
    type: str | None = None
    override_from: str | None = None
    used_overridden: bool = False
    override_label: str | None = None
    context_arguments: tuple[ContextArgument, ...] = ()

    @property
    def passed_in(self) -> bool:
        """Whether the field needs values the gateway passes in a fetch of its own: a
        requirement (``@requires``) or a context (``@fromContext``)."""
        return self.requires is not None or bool(self.context_arguments)


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str
    type_name: str
    """The named (unwrapped) supergraph type of the field."""
    sources: tuple[FieldSource, ...]
    """Where the field is declared; external and overridden declarations included."""


@dataclass(frozen=True, slots=True)
class TypeInfo:
    name: str
    kind: TypeKind
    members: tuple[TypeMembership, ...]
    keys: tuple[EntityKey, ...]
    fields: Mapping[str, FieldInfo]
    implements: Mapping[SubgraphName, frozenset[str]]
    """Interfaces this type implements in each subgraph (``@join__implements``)."""
    union_members: Mapping[SubgraphName, frozenset[str]]
    """For unions: the member types in each subgraph (``@join__unionMember``)."""
    contexts: frozenset[str] = frozenset()
    """The contexts objects of this type set for the fields below them (``@context``)."""

    def in_subgraph(self, subgraph: SubgraphName) -> bool:
        return any(m.subgraph == subgraph for m in self.members)

    def is_interface_object_in(self, subgraph: SubgraphName) -> bool:
        return any(m.subgraph == subgraph and m.is_interface_object for m in self.members)

    def keys_in(self, subgraph: SubgraphName) -> tuple[EntityKey, ...]:
        return tuple(k for k in self.keys if k.subgraph == subgraph)


@dataclass(frozen=True, slots=True)
class Supergraph:
    """A loaded, validated supergraph."""

    sdl: str
    schema: GraphQLSchema
    """The full supergraph schema, federation machinery included."""
    subgraphs: Mapping[SubgraphName, Subgraph]
    types: Mapping[str, TypeInfo]
    root_types: Mapping[str, str]
    """Operation kind (``query``, ``mutation``, ``subscription``) to root type name."""
    join_version: str
    spec_names: Mapping[str, str] = field(default_factory=dict)
    """Directive names of the linked specs as they appear in this document, by spec role."""

    def type(self, name: str) -> TypeInfo:
        return self.types[name]
