"""Read a supergraph SDL (``@link`` v1.0, join spec v0.2 to v0.5) into a :class:`Supergraph`.

The loader checks everything the planner will later rely on, so a supergraph is either
fully usable or rejected with a message naming the line and the problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    GraphQLError,
    GraphQLSyntaxError,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    NamedTypeNode,
    Node,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    OperationDefinitionNode,
    SchemaDefinitionNode,
    SelectionSetNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
    parse,
)
from graphql.language.location import get_location
from graphql.validation.validate import validate_sdl

from ..specs import context, cost, inaccessible, join, tag
from ..specs.access_control import SPECS as ACCESS_SPECS
from ..specs.context import context_name_of
from ..specs.link import apollo_spec, arguments_of, link_name, schema_directives
from .model import (
    KIND_OF_NODE,
    ContextArgument,
    EntityKey,
    FieldInfo,
    FieldSource,
    Subgraph,
    SubgraphName,
    Supergraph,
    TypeInfo,
    TypeKind,
    TypeMembership,
)

__all__ = ["SupergraphError", "load_supergraph", "load_supergraph_file", "parse_field_set"]

_Join = TypeVar("_Join", join.JoinType, join.JoinField)


class SupergraphError(Exception):
    """The supergraph cannot be served; ``line`` and ``column`` locate the problem."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"invalid supergraph: {where}{message}")


def _fail(message: str, node: Node | None) -> SupergraphError:
    if node is not None and node.loc is not None:
        location = get_location(node.loc.source, node.loc.start)
        return SupergraphError(message, location.line, location.column)
    return SupergraphError(message)


def parse_field_set(fields: str) -> SelectionSetNode:
    """Parse a FieldSet (a selection set without its outer braces)."""
    document = parse("{" + fields + "}", no_location=True)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


@dataclass(frozen=True, slots=True)
class _SpecNames:
    join: str
    inaccessible: str
    tag: str
    link: str
    directives: Mapping[str, str]
    """Other linked specs' directives (access control, demand control), by their spec
    name (``authenticated``, ``cost``, ``listSize``, ...): their names here."""


def load_supergraph_file(path: str) -> Supergraph:
    """Load and validate the supergraph SDL stored at ``path``."""
    try:
        with open(path, encoding="utf-8") as handle:
            sdl = handle.read()
    except OSError as error:
        raise SupergraphError(f"cannot read {path}: {error.strerror}") from error
    return load_supergraph(sdl)


def load_supergraph(sdl: str) -> Supergraph:
    """Load and validate a supergraph SDL."""
    try:
        document = parse(sdl)
    except GraphQLSyntaxError as error:
        line, column = _error_location(error)
        raise SupergraphError(f"syntax error: {error.message}", line, column) from error
    names, join_version = _linked_specs(document)
    sdl_errors = validate_sdl(document)
    if sdl_errors:
        # validated here, not in build_ast_schema, which joins the errors into one TypeError
        # and loses where they are
        first = sdl_errors[0]
        line, column = _error_location(first)
        raise SupergraphError(first.message, line, column)
    try:
        schema = build_ast_schema(document, assume_valid_sdl=True)
    except GraphQLError as error:
        line, column = _error_location(error)
        raise SupergraphError(error.message, line, column) from error
    except TypeError as error:  # graphql-core reports some schema errors as TypeError
        raise SupergraphError(str(error)) from error
    schema_errors = _validate_schema(schema)
    if schema_errors:
        first = schema_errors[0]
        line, column = _error_location(first)
        raise SupergraphError(first.message, line, column)
    subgraphs = _read_graphs(document, names)
    types, field_set_nodes = _read_types(document, names, subgraphs)
    root_types = {
        kind: root.name
        for kind, root in (
            ("query", schema.query_type),
            ("mutation", schema.mutation_type),
            ("subscription", schema.subscription_type),
        )
        if root is not None
    }
    if "query" not in root_types:
        raise SupergraphError("the supergraph has no query root type")
    supergraph = Supergraph(
        sdl=sdl,
        schema=schema,
        subgraphs=subgraphs,
        types=types,
        root_types=root_types,
        join_version=join_version,
        spec_names={
            "join": names.join,
            "inaccessible": names.inaccessible,
            "tag": names.tag,
            "link": names.link,
            **names.directives,
        },
    )
    _check_field_sets(document, supergraph, field_set_nodes)
    return supergraph


def _validate_schema(schema: object) -> list[GraphQLError]:
    from graphql import GraphQLSchema, validate_schema

    assert isinstance(schema, GraphQLSchema)
    return list(validate_schema(schema))


def _error_location(error: GraphQLError) -> tuple[int | None, int | None]:
    if error.locations:
        return error.locations[0].line, error.locations[0].column
    return None, None


def _linked_specs(document: DocumentNode) -> tuple[_SpecNames, str]:
    for directive in schema_directives(document):
        if directive.name.value == "core":
            raise _fail(
                "this is a Federation 1 supergraph (@core, join v0.1); "
                "recompose it with a Federation 2 composer",
                directive,
            )
    own_name = link_name(document)
    join_name: str | None = None
    join_version = ""
    inaccessible_name = inaccessible.NAME
    tag_name = tag.NAME
    directives: dict[str, str] = {}
    for directive in schema_directives(document):
        if directive.name.value != own_name:
            continue
        args = arguments_of(directive)
        url = args.get("url")
        if not isinstance(url, str):
            raise _fail("@link without a url", directive)
        linked = apollo_spec(url)
        if linked is None:
            continue
        spec, version = linked
        alias = args.get("as")
        if args.get("for") == "SECURITY":
            _check_enforced(spec, version, directive)
        if spec in ACCESS_SPECS or spec == context.NAME:
            directives[spec] = str(alias or spec)
        elif spec == cost.NAME:
            directives.update(cost.directive_names(args))
        if spec == join.NAME:
            if version not in join.SUPPORTED:
                raise _fail(
                    f"join spec v{version} is not supported "
                    f"(supported: v{join.SUPPORTED[0]} to v{join.SUPPORTED[-1]})",
                    directive,
                )
            join_name = str(alias or join.NAME)
            join_version = version
        elif spec == inaccessible.NAME:
            inaccessible_name = str(alias or inaccessible.NAME)
        elif spec == tag.NAME:
            tag_name = str(alias or tag.NAME)
    if join_name is None:
        schema = next(
            (d for d in document.definitions if isinstance(d, SchemaDefinitionNode)), None
        )
        raise _fail(
            'not a supergraph: no @link(url: "https://specs.apollo.dev/join/v0.x") on the schema',
            schema,
        )
    names = _SpecNames(
        join=join_name,
        inaccessible=inaccessible_name,
        tag=tag_name,
        link=own_name,
        directives=directives,
    )
    return names, join_version


# The security features the gateway enforces: their directives never reach a client unheeded.
_ENFORCED_SECURITY = {
    inaccessible.NAME: inaccessible.SUPPORTED,
    **{name: (spec.version,) for name, spec in ACCESS_SPECS.items()},
    # contextual arguments are filled by the gateway alone: clients cannot pass them
    context.NAME: context.SUPPORTED,
}


def _check_enforced(spec: str, version: str, directive: ConstDirectiveNode) -> None:
    """Refuse a ``for: SECURITY`` feature this gateway does not enforce, as the ``@link``
    spec requires: serving the schema without it would open what it protects."""
    versions = _ENFORCED_SECURITY.get(spec)
    if versions is None or version not in versions:
        enforced = ", ".join(
            f"{name} v{' or v'.join(known)}" for name, known in _ENFORCED_SECURITY.items()
        )
        raise _fail(
            f"the supergraph links {spec} v{version} for SECURITY, which this gateway does "
            f"not enforce (it enforces {enforced}); serving it would ignore its protections",
            directive,
        )


def _read_graphs(document: DocumentNode, names: _SpecNames) -> dict[SubgraphName, Subgraph]:
    enum_name = f"{names.join}__Graph"
    graph_directive = f"{names.join}__graph"
    subgraphs: dict[SubgraphName, Subgraph] = {}
    found = False
    for definition in document.definitions:
        if not isinstance(definition, EnumTypeDefinitionNode) or definition.name.value != enum_name:
            continue
        found = True
        for value in definition.values or ():
            applied = [d for d in value.directives or () if d.name.value == graph_directive]
            if len(applied) != 1:
                raise _fail(
                    f"graph {value.name.value} needs exactly one @{graph_directive}(name:, url:)",
                    value,
                )
            args = arguments_of(applied[0])
            name, url = args.get("name"), args.get("url")
            if not isinstance(name, str) or not isinstance(url, str):
                raise _fail(f"@{graph_directive} on {value.name.value} needs name and url", value)
            if SubgraphName(name) in subgraphs:
                raise _fail(f'two graphs are named "{name}"', value)
            # keyed by the name field sources and keys carry, not by the enum value
            subgraphs[SubgraphName(name)] = Subgraph(
                name=SubgraphName(name), enum_value=value.name.value, url=url
            )
    if not found:
        raise SupergraphError(f"the supergraph has no {enum_name} enum listing its subgraphs")
    return subgraphs


def _named_type(type_node: TypeNode) -> str:
    inner = type_node
    while isinstance(inner, ListTypeNode | NonNullTypeNode):
        inner = inner.type
    assert isinstance(inner, NamedTypeNode)
    return inner.name.value


class _Reader:
    def __init__(self, names: _SpecNames, subgraphs: Mapping[SubgraphName, Subgraph]):
        self.prefix = names.join
        self.by_enum = {sg.enum_value: sg.name for sg in subgraphs.values()}
        self.field_set_nodes: dict[int, Node] = {}
        """The directive each parsed field set came from (by the selection's id), so a
        field set selecting what does not exist is reported at its own line."""

    def field_set(self, text: object, node: Node, what: str) -> SelectionSetNode:
        selection = _field_set(text, node, what)
        self.field_set_nodes[id(selection)] = node
        return selection

    def graph(self, value: object, node: Node) -> SubgraphName:
        if not isinstance(value, str) or value not in self.by_enum:
            raise _fail(self.unknown_graph(value), node)
        return self.by_enum[value]

    def unknown_graph(self, value: object) -> str:
        return f"unknown graph {value!r} in a @{self.prefix}__ directive"

    def read(
        self, reader: Callable[[Mapping[str, object]], _Join], node: ConstDirectiveNode
    ) -> _Join:
        """A ``@join__`` application read with the join spec's ``reader``."""
        try:
            return reader(arguments_of(node))
        except join.JoinArgumentError as error:
            # a graph that is no enum value is an unknown one
            reason = self.unknown_graph(error.value) if error.argument == "graph" else error.reason
            raise _fail(reason, node) from error

    def applied(
        self, node: TypeDefinitionNode | TypeExtensionNode | FieldDefinitionNode, name: str
    ) -> Iterator[ConstDirectiveNode]:
        full = f"{self.prefix}__{name}"
        for directive in node.directives or ():
            if directive.name.value == full:
                yield directive


def _field_set(text: object, node: Node, what: str) -> SelectionSetNode:
    if not isinstance(text, str):
        raise _fail(f"{what} must be a string", node)
    try:
        return parse_field_set(text)
    except GraphQLSyntaxError as error:
        raise _fail(f"invalid {what} {text!r}: {error.message}", node) from error


def _read_types(
    document: DocumentNode, names: _SpecNames, subgraphs: Mapping[SubgraphName, Subgraph]
) -> tuple[dict[str, TypeInfo], dict[int, Node]]:
    reader = _Reader(names, subgraphs)
    collected: dict[str, list[TypeDefinitionNode | TypeExtensionNode]] = {}
    for definition in document.definitions:
        kind = KIND_OF_NODE.get(type(definition))
        if kind is None:
            continue
        assert isinstance(definition, TypeDefinitionNode | TypeExtensionNode)
        name = definition.name.value
        if name.startswith(f"{names.join}__") or name.startswith(f"{names.link}__"):
            continue
        collected.setdefault(name, []).append(definition)
    all_graphs = tuple(sg.name for sg in subgraphs.values())
    context_directive = names.directives.get(context.NAME)
    types: dict[str, TypeInfo] = {}
    for name, nodes in collected.items():
        kind = KIND_OF_NODE[type(nodes[0])]
        members: list[TypeMembership] = []
        keys: list[EntityKey] = []
        implements: dict[SubgraphName, set[str]] = {}
        union_members: dict[SubgraphName, set[str]] = {}
        field_nodes: list[FieldDefinitionNode] = []
        contexts: set[str] = set()
        for node in nodes:
            for directive in node.directives or ():
                if context_directive is not None and directive.name.value == context_directive:
                    name_set = context_name_of(arguments_of(directive))
                    if name_set is not None:
                        contexts.add(name_set)
            for directive in reader.applied(node, "type"):
                join_type = reader.read(join.join_type_of, directive)
                graph = reader.graph(join_type.graph, directive)
                if not any(m.subgraph == graph for m in members):
                    members.append(
                        TypeMembership(
                            subgraph=graph,
                            extension=join_type.extension,
                            is_interface_object=join_type.interface_object,
                        )
                    )
                if join_type.key is not None:
                    keys.append(
                        EntityKey(
                            subgraph=graph,
                            fields=join_type.key,
                            selection=reader.field_set(join_type.key, directive, "key"),
                            resolvable=join_type.resolvable,
                        )
                    )
            for directive in reader.applied(node, "implements"):
                args = arguments_of(directive)
                graph = reader.graph(args.get("graph"), directive)
                implements.setdefault(graph, set()).add(str(args.get("interface")))
            for directive in reader.applied(node, "unionMember"):
                args = arguments_of(directive)
                graph = reader.graph(args.get("graph"), directive)
                union_members.setdefault(graph, set()).add(str(args.get("member")))
            if isinstance(
                node,
                ObjectTypeDefinitionNode
                | ObjectTypeExtensionNode
                | InterfaceTypeDefinitionNode
                | InterfaceTypeExtensionNode,
            ):
                field_nodes.extend(node.fields or ())
        if not members:
            members = [TypeMembership(g, False, False) for g in all_graphs]
        if kind is TypeKind.UNION and not union_members:
            # join v0.2 has no @join__unionMember: a member is in every subgraph defining it
            union_node_members = [
                t.name.value
                for node in nodes
                if isinstance(node, UnionTypeDefinitionNode | UnionTypeExtensionNode)
                for t in node.types or ()
            ]
            for membership in members:
                union_members[membership.subgraph] = set(union_node_members)
        fields: dict[str, FieldInfo] = {}
        member_graphs = tuple(m.subgraph for m in members)
        for field_node in field_nodes:
            fields[field_node.name.value] = FieldInfo(
                name=field_node.name.value,
                type_name=_named_type(field_node.type),
                sources=_field_sources(reader, field_node, member_graphs),
            )
        types[name] = TypeInfo(
            name=name,
            kind=kind,
            members=tuple(members),
            keys=tuple(keys),
            fields=fields,
            implements={g: frozenset(v) for g, v in implements.items()},
            union_members={g: frozenset(v) for g, v in union_members.items()},
            contexts=frozenset(contexts),
        )
    return types, reader.field_set_nodes


def _field_sources(
    reader: _Reader, node: FieldDefinitionNode, member_graphs: Iterable[SubgraphName]
) -> tuple[FieldSource, ...]:
    applied = list(reader.applied(node, "field"))
    if not applied:
        return tuple(FieldSource(subgraph=g) for g in member_graphs)
    sources: list[FieldSource] = []
    for directive in applied:
        join_field = reader.read(join.join_field_of, directive)
        if join_field.graph is None:
            continue  # a supergraph-only field (e.g. added to an interface by @interfaceObject)
        graph = reader.graph(join_field.graph, directive)
        requires, provides = join_field.requires, join_field.provides
        sources.append(
            FieldSource(
                subgraph=graph,
                external=join_field.external,
                requires=reader.field_set(requires, directive, "requires") if requires else None,
                provides=reader.field_set(provides, directive, "provides") if provides else None,
                type=join_field.type,
                override_from=join_field.override,
                used_overridden=join_field.used_overridden,
                override_label=join_field.override_label,
                context_arguments=_context_arguments(join_field, directive),
            )
        )
    return tuple(sources)


def _context_arguments(join_field: join.JoinField, node: Node) -> tuple[ContextArgument, ...]:
    """join v0.5 ``contextArguments``, the selection as written after the context's name
    (``" { currency }"``) parsed."""
    arguments = []
    for name, type_, context_name, selection in join_field.context_arguments:
        text = selection.strip()
        if text.startswith("{") and text.endswith("}"):
            text = text[1:-1]
        arguments.append(
            ContextArgument(
                name=name,
                type=type_,
                context=context_name,
                selection=_field_set(text, node, "context selection"),
            )
        )
    return tuple(arguments)


def _check_field_sets(
    document: DocumentNode, supergraph: Supergraph, field_set_nodes: Mapping[int, Node]
) -> None:
    """Every key, requires and provides must select fields that exist; a problem is
    reported at the directive holding the field set."""
    locations: dict[str, Node] = {}
    for definition in document.definitions:
        if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            locations.setdefault(definition.name.value, definition)

    def where(type_name: str, selection: SelectionSetNode) -> Node | None:
        return field_set_nodes.get(id(selection), locations.get(type_name))

    for info in supergraph.types.values():
        for key in info.keys:
            _check_selection(
                supergraph, info.name, key.selection, where(info.name, key.selection), "key"
            )
        for field_info in info.fields.values():
            for source in field_info.sources:
                if source.requires is not None:
                    _check_selection(
                        supergraph,
                        info.name,
                        source.requires,
                        where(info.name, source.requires),
                        f"requires of {info.name}.{field_info.name}",
                    )
                if source.provides is not None:
                    _check_selection(
                        supergraph,
                        field_info.type_name,
                        source.provides,
                        where(info.name, source.provides),
                        f"provides of {info.name}.{field_info.name}",
                    )


def _check_selection(
    supergraph: Supergraph,
    type_name: str,
    selection: SelectionSetNode,
    node: Node | None,
    what: str,
) -> None:
    from graphql import FieldNode, InlineFragmentNode

    info = supergraph.types.get(type_name)
    if info is None:
        raise _fail(f"{what} refers to unknown type {type_name}", node)
    for item in selection.selections:
        if isinstance(item, FieldNode):
            if item.name.value == "__typename":
                continue
            field_info = info.fields.get(item.name.value)
            if field_info is None:
                raise _fail(f"{what} selects unknown field {type_name}.{item.name.value}", node)
            if item.selection_set is not None:
                _check_selection(supergraph, field_info.type_name, item.selection_set, node, what)
        elif isinstance(item, InlineFragmentNode):
            condition = item.type_condition.name.value if item.type_condition else type_name
            _check_selection(supergraph, condition, item.selection_set, node, what)
