"""The API schema: what clients see of the supergraph.

It is the supergraph without the federation machinery (the linked specs' directives and
types) and without the elements marked ``@inaccessible``. It validates operations,
answers introspection and is written to ``schema/api.graphql`` for frontend codegen.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    ExecutionResult,
    FieldDefinitionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    Node,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
    lexicographic_sort_schema,
    parse,
    print_schema,
)
from graphql.execution import experimental_execute_incrementally

from .specs.link import apollo_spec, arguments_of, import_names, imports_of, schema_directives
from .supergraph.model import Supergraph

__all__ = ["build_api_schema", "execute_here", "print_api_schema"]

# Directive definitions the API schema keeps even though a spec may link them.
_BUILT_IN_DIRECTIVES = {"deprecated", "specifiedBy", "oneOf", "skip", "include"}


def _spec_prefixes(document: DocumentNode, link_name: str) -> tuple[set[str], set[str]]:
    """Return the namespaces (``join``, ``link``, ...) and the bare directive names of specs."""
    prefixes = {link_name}
    directives = {link_name}
    for directive in schema_directives(document):
        if directive.name.value != link_name:
            continue
        args = arguments_of(directive)
        linked = apollo_spec(args.get("url"))
        if linked is None:
            continue
        name = str(args.get("as") or linked[0])
        prefixes.add(name)
        directives.add(name)
        for item in imports_of(args):
            _, imported = import_names(item)
            if imported.startswith("@"):
                directives.add(imported[1:])
    return prefixes, directives


_DEFER = parse(
    '"""Answer the fragment after the rest (incremental delivery, multipart/mixed)."""\n'
    "directive @defer(label: String, if: Boolean! = true) on FRAGMENT_SPREAD | INLINE_FRAGMENT"
).definitions[0]
"""``@defer``, which the gateway serves whatever the subgraphs support (gateway.defer)."""


def build_api_schema(supergraph: Supergraph) -> GraphQLSchema:
    """Derive the client-facing schema from a loaded supergraph."""
    document = parse(supergraph.sdl, no_location=True)
    prefixes, spec_directives = _spec_prefixes(document, supergraph.spec_names["link"])
    spec_directives -= _BUILT_IN_DIRECTIVES
    inaccessible = supergraph.spec_names["inaccessible"]

    def is_spec_name(name: str) -> bool:
        return any(name.startswith(f"{prefix}__") for prefix in prefixes)

    def hidden(node: Node) -> bool:
        return any(d.name.value == inaccessible for d in getattr(node, "directives", None) or ())

    removed_types = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
        and (hidden(d) or is_spec_name(d.name.value))
    }

    def strip(node: Any) -> Any:
        kept = tuple(
            d
            for d in node.directives or ()
            if d.name.value not in spec_directives and not is_spec_name(d.name.value)
        )
        return replace(node, directives=kept)

    def visible_fields(fields: Any) -> tuple[Any, ...]:
        result = []
        for field in fields or ():
            if hidden(field) or _named(field.type) in removed_types:
                continue
            field = strip(field)
            if isinstance(field, FieldDefinitionNode):
                args = tuple(strip(a) for a in field.arguments or () if not hidden(a))
                field = replace(field, arguments=args)
            result.append(field)
        return tuple(result)

    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            name = definition.name.value
            if name in spec_directives or is_spec_name(name) or name in _BUILT_IN_DIRECTIVES:
                continue
            definitions.append(definition)
        elif isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            stripped = strip(definition)
            if isinstance(stripped, SchemaDefinitionNode) or stripped.operation_types:
                definitions.append(stripped)
        elif isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            if definition.name.value in removed_types:
                continue
            node = strip(definition)
            if isinstance(
                node,
                ObjectTypeDefinitionNode
                | ObjectTypeExtensionNode
                | InterfaceTypeDefinitionNode
                | InterfaceTypeExtensionNode,
            ):
                node = replace(
                    node,
                    fields=visible_fields(node.fields),
                    interfaces=tuple(
                        i for i in node.interfaces or () if i.name.value not in removed_types
                    ),
                )
            elif isinstance(node, InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode):
                node = replace(node, fields=visible_fields(node.fields))
            elif isinstance(node, UnionTypeDefinitionNode | UnionTypeExtensionNode):
                node = replace(
                    node,
                    types=tuple(t for t in node.types or () if t.name.value not in removed_types),
                )
            elif isinstance(node, EnumTypeDefinitionNode | EnumTypeExtensionNode):
                node = replace(
                    node, values=tuple(strip(v) for v in node.values or () if not hidden(v))
                )
            definitions.append(node)
    if not any(
        isinstance(d, DirectiveDefinitionNode) and d.name.value == "defer" for d in definitions
    ):
        definitions.append(_DEFER)
    api_document = DocumentNode(definitions=tuple(definitions))
    return build_ast_schema(api_document, assume_valid=True, assume_valid_sdl=True)


def _named(type_node: Any) -> str:
    while not hasattr(type_node, "name"):
        type_node = type_node.type
    return str(type_node.name.value)


def execute_here(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None = None,
    root_value: Any = None,
    operation_name: str | None = None,
) -> ExecutionResult:
    """Execute ``document`` on the API schema in this process (introspection): graphql-core
    refuses a schema defining ``@defer`` to its plain ``execute``, though the document
    executed defers nothing (the gateway splits deferred fragments before)."""
    result = experimental_execute_incrementally(
        schema,
        document,
        root_value=root_value,
        variable_values=variables,
        operation_name=operation_name,
    )
    if isinstance(result, ExecutionResult):
        return result
    raise TypeError("an operation executed here must neither defer nor wait")


def print_api_schema(schema: GraphQLSchema) -> str:
    """Print the API schema with types and fields sorted, for a stable ``api.graphql``."""
    return print_schema(lexicographic_sort_schema(schema)) + "\n"
