"""A subgraph's schema as composition sees it.

:func:`read_subgraph` turns a subgraph SDL (Federation 1 or 2, directives under any imported
name) into a :class:`SubgraphSchema`: types with their definitions and extensions merged,
root types under their standard names (``Query``, ``Mutation``, ``Subscription``), the
federation machinery (``_service``, ``_entities``, ``_Any``, the spec's own directives and
scalars) removed, and every federation directive read into a field of the model, so that
later steps never look at directive names again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graphql import (
    ConstDirectiveNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    GraphQLSyntaxError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    parse,
    print_ast,
)

from ..specs import access_control, cost
from ..specs.context import context_name_of, reference_of
from ..specs.federation import Key, Override, field_set_text, key_of, override_of
from ..specs.link import arguments_of
from ..specs.tag import tag_of
from ..supergraph.model import KIND_OF_NODE, TypeKind
from .composed_directives import ComposedDirectives, read_composed_directives
from .errors import CompositionError, CompositionErrorCode
from .links import FederationLink, read_federation_link
from .marks import Marks, merge_marks
from .sdl_validation import strip_machinery, validate_subgraph_sdl

__all__ = [
    "Argument",
    "EnumValue",
    "Field",
    "Key",
    "SubgraphSchema",
    "TypeDef",
    "read_subgraph",
]

_BUILT_IN = ("deprecated", "specifiedBy")
ROOT_NAMES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
_FIELDED = (
    ObjectTypeDefinitionNode
    | ObjectTypeExtensionNode
    | InterfaceTypeDefinitionNode
    | InterfaceTypeExtensionNode
)


@dataclass(frozen=True, slots=True)
class Argument:
    """An argument of a field, or a field of an input type."""

    name: str
    type: str
    default: str | None
    description: str | None
    marks: Marks


@dataclass(frozen=True, slots=True)
class ContextualArgument:
    """An argument filled from a context (``@fromContext(field: "$name selection")``): it
    leaves the client's schema."""

    name: str
    type: str
    default: str | None
    context: str
    """The context's name as the subgraph sets it (``@context(name:)``)."""
    selection: str
    """What follows the context's name: ``" { currency }"``."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str
    arguments: Mapping[str, Argument]
    description: str | None
    marks: Marks
    external: bool = False
    shareable: bool = False
    in_extension: bool = False
    """Declared in ``extend type`` (Federation 1 entities share such fields)."""
    requires: str | None = None
    provides: str | None = None
    override: str | None = None
    override_label: str | None = None
    contextual: tuple[ContextualArgument, ...] = ()


@dataclass(frozen=True, slots=True)
class EnumValue:
    name: str
    description: str | None
    marks: Marks


@dataclass(frozen=True, slots=True)
class TypeDef:
    name: str
    kind: TypeKind
    description: str | None
    marks: Marks
    fields: Mapping[str, Field] = field(default_factory=dict)
    """Object and interface fields; the fields of an input type are in ``input_fields``."""
    input_fields: Mapping[str, Argument] = field(default_factory=dict)
    interfaces: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    values: Mapping[str, EnumValue] = field(default_factory=dict)
    keys: tuple[Key, ...] = ()
    extension: bool = False
    """Only extended here (``extend type`` with no definition, or ``@extends``)."""
    extended: bool = False
    """Some declaration here is an ``extend type`` or has ``@extends``."""
    interface_object: bool = False
    specified_by: str | None = None
    contexts: tuple[str, ...] = ()
    """Contexts objects of this type set for the fields below them (``@context``)."""


@dataclass(frozen=True, slots=True)
class SubgraphSchema:
    """One subgraph, read and validated."""

    name: str
    url: str
    version: tuple[int, int]
    types: Mapping[str, TypeDef]
    root_types: Mapping[str, str]
    """Operation kind to root type name, for the root types this subgraph defines."""
    composed: ComposedDirectives = field(default_factory=ComposedDirectives)
    demand_names: Mapping[str, str] = field(default_factory=dict)
    """The cost spec's directives, when applied here, to the name they are applied by."""

    @property
    def is_fed1(self) -> bool:
        return self.version < (2, 0)


def read_subgraph(
    name: str, url: str, sdl: str
) -> tuple[SubgraphSchema | None, list[CompositionError]]:
    """Parse and validate one subgraph's SDL; ``None`` and the reasons when it is unusable."""
    try:
        document = parse(sdl)
    except GraphQLSyntaxError as error:
        return None, [
            CompositionError(CompositionErrorCode.INVALID_GRAPHQL, f"[{name}] {error.message}")
        ]
    link, errors = read_federation_link(name, document)
    document = strip_machinery(document, link)
    errors += validate_subgraph_sdl(name, document, link)
    if errors:
        return None, errors
    composed, errors = read_composed_directives(name, document, link)
    if errors:
        return None, errors
    reader = _Reader(link, _root_renames(document), composed.names)
    collected: dict[str, list[TypeDefinitionNode | TypeExtensionNode]] = {}
    for definition in document.definitions:
        if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            collected.setdefault(reader.rename(definition.name.value), []).append(definition)
    types = {type_name: reader.type_def(type_name, nodes) for type_name, nodes in collected.items()}
    roots = {
        kind: root
        for kind, root in ROOT_NAMES.items()
        if root in types and (root != "Query" or types[root].fields)
    }
    if "Query" in types and not types["Query"].fields:
        # Only `_service` and `_entities` were there: the subgraph has no query fields.
        del types["Query"]
    return (
        SubgraphSchema(name, url, link.version, types, roots, composed, reader.demand_names),
        [],
    )


def _root_renames(document: object) -> dict[str, str]:
    renames: dict[str, str] = {}
    for definition in getattr(document, "definitions", ()):
        if isinstance(definition, SchemaDefinitionNode):
            for operation in definition.operation_types:
                renames[operation.type.name.value] = ROOT_NAMES[operation.operation.value]
    return renames


def type_text(node: TypeNode, rename: Mapping[str, str]) -> str:
    """Print a type reference, with root types under their standard names."""
    if isinstance(node, NonNullTypeNode):
        return type_text(node.type, rename) + "!"
    if isinstance(node, ListTypeNode):
        return "[" + type_text(node.type, rename) + "]"
    assert isinstance(node, NamedTypeNode)
    return rename.get(node.name.value, node.name.value)


class _Reader:
    """Reads declarations into the model, resolving the subgraph's directive names."""

    def __init__(self, link: FederationLink, renames: Mapping[str, str], composed: frozenset[str]):
        self.link = link
        self.renames = renames
        self.composed = composed
        self.demand_names: dict[str, str] = {}

    def rename(self, name: str) -> str:
        return self.renames.get(name, name)

    def directives(
        self, node: object, name: str
    ) -> list[tuple[ConstDirectiveNode, dict[str, object]]]:
        """Applications of federation directive ``name`` (or a built-in) on ``node``."""
        found = []
        for directive in getattr(node, "directives", None) or ():
            local = directive.name.value
            if self.link.directives.get(local, local if name in _BUILT_IN else None) == name:
                found.append((directive, arguments_of(directive)))
        return found

    def has(self, node: object, name: str) -> bool:
        return bool(self.directives(node, name))

    def marks(self, node: object) -> Marks:
        deprecated = None
        for directive, _ in self.directives(node, "deprecated"):
            deprecated = print_ast(directive)
        return Marks(
            inaccessible=self.has(node, "inaccessible"),
            tags=tuple(tag_of(args) for _, args in self.directives(node, "tag")),
            deprecated=deprecated,
            access=access_control.access_marks_of(self.applied(node, access_control.FEDERATION)),
            demand=self.demand(node),
            composed=tuple(
                (d.name.value, print_ast(d))
                for d in getattr(node, "directives", None) or ()
                if d.name.value in self.composed
            ),
        )

    def applied(self, node: object, names: Iterable[str]) -> dict[str, dict[str, object]]:
        """The arguments of each of the federation directives ``names`` applied on ``node``."""
        return {name: args for name in names for _, args in self.directives(node, name)}

    def demand(self, node: object) -> cost.Demand:
        for name in cost.FEDERATION:
            for directive, _ in self.directives(node, name):
                # the supergraph applies the directive by the name the subgraph gave it
                self.demand_names[name] = directive.name.value
        return cost.demand_of(self.applied(node, cost.FEDERATION))

    def argument(self, node: InputValueDefinitionNode) -> Argument:
        return Argument(
            name=node.name.value,
            type=type_text(node.type, self.renames),
            default=print_ast(node.default_value) if node.default_value is not None else None,
            description=node.description.value if node.description else None,
            marks=self.marks(node),
        )

    def string_arg(self, node: object, directive: str, argument: str) -> str | None:
        for _, args in self.directives(node, directive):
            return field_set_text(args.get(argument))
        return None

    def field(
        self, node: FieldDefinitionNode, owner: TypeDefinitionNode | TypeExtensionNode, root: bool
    ) -> Field:
        in_extension = isinstance(owner, TypeExtensionNode)
        if self.link.is_fed1:
            # Federation 1 had no @shareable: fields of type definitions and of root types
            # are shareable, as Federation 2 composers read them.
            shareable = not in_extension or root
        else:
            shareable = self.has(node, "shareable") or self.has(owner, "shareable")
        override = Override(None)
        for _, args in self.directives(node, "override"):
            override = override_of(args)
        arguments: dict[str, Argument] = {}
        contextual: list[ContextualArgument] = []
        for argument_node in node.arguments or ():
            reference = self.string_arg(argument_node, "fromContext", "field")
            if reference is None:
                arguments[argument_node.name.value] = self.argument(argument_node)
                continue
            found = reference_of(reference)
            plain = self.argument(argument_node)
            contextual.append(
                ContextualArgument(
                    name=plain.name,
                    type=plain.type,
                    default=plain.default,
                    context=found.context,
                    selection=found.selection,
                )
            )
        return Field(
            name=node.name.value,
            type=type_text(node.type, self.renames),
            arguments=arguments,
            description=node.description.value if node.description else None,
            marks=self.marks(node),
            external=self.has(node, "external") or self.has(owner, "external"),
            shareable=shareable,
            in_extension=in_extension,
            requires=self.string_arg(node, "requires", "fields"),
            provides=self.string_arg(node, "provides", "fields"),
            override=override.source,
            override_label=override.label,
            contextual=tuple(contextual),
        )

    def type_def(self, name: str, nodes: list[TypeDefinitionNode | TypeExtensionNode]) -> TypeDef:
        kind = KIND_OF_NODE[type(nodes[0])]
        has_extends = any(self.has(n, "extends") for n in nodes)
        has_definition = any(isinstance(n, TypeDefinitionNode) for n in nodes)
        interface_object = any(self.has(n, "interfaceObject") for n in nodes)
        description = next(
            (
                n.description.value
                for n in nodes
                if isinstance(n, TypeDefinitionNode) and n.description
            ),
            None,
        )
        marks = [self.marks(n) for n in nodes]
        fields: dict[str, Field] = {}
        input_fields: dict[str, Argument] = {}
        values: dict[str, EnumValue] = {}
        interfaces: list[str] = []
        members: list[str] = []
        keys: list[Key] = []
        specified_by = None
        for node in nodes:
            if isinstance(node, _FIELDED):
                for field_node in node.fields or ():
                    fields[field_node.name.value] = self.field(
                        field_node, node, name in ROOT_NAMES.values()
                    )
                interfaces += [self.rename(i.name.value) for i in node.interfaces or ()]
            elif isinstance(node, InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode):
                for input_node in node.fields or ():
                    input_fields[input_node.name.value] = self.argument(input_node)
            elif isinstance(node, UnionTypeDefinitionNode | UnionTypeExtensionNode):
                members += [self.rename(t.name.value) for t in node.types or ()]
            elif isinstance(node, EnumTypeDefinitionNode | EnumTypeExtensionNode):
                for value in node.values or ():
                    values[value.name.value] = EnumValue(
                        name=value.name.value,
                        description=value.description.value if value.description else None,
                        marks=self.marks(value),
                    )
            keys += [key_of(args) for _, args in self.directives(node, "key")]
            for _, args in self.directives(node, "specifiedBy"):
                specified_by = field_set_text(args.get("url"))
        return TypeDef(
            name=name,
            kind=TypeKind.OBJECT if interface_object else kind,
            description=description,
            marks=merge_marks(marks),
            fields=fields,
            input_fields=input_fields,
            interfaces=tuple(dict.fromkeys(interfaces)),
            members=tuple(dict.fromkeys(members)),
            values=values,
            keys=tuple(keys),
            extension=has_extends or (not self.link.is_fed1 and not has_definition),
            extended=has_extends or any(isinstance(n, TypeExtensionNode) for n in nodes),
            interface_object=interface_object,
            specified_by=specified_by,
            contexts=tuple(
                dict.fromkeys(
                    context
                    for n in nodes
                    for _, args in self.directives(n, "context")
                    if (context := context_name_of(args)) is not None
                )
            ),
        )
