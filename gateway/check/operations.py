"""Client documents: the operations a frontend sends, read from a folder of ``.graphql``
files, and validated one by one against an API schema.

A file may hold several named operations and fragments, and an operation may spread a
fragment defined in another file (codegen setups often keep shared fragments apart).
Each operation is validated as its own document: the operation and the fragments it
reaches, wherever they are defined, so that one broken operation never hides or blames
another.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLType,
    Node,
    OperationDefinitionNode,
    Source,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    validate,
    visit,
)
from graphql.language import ArgumentNode, DirectiveNode, FieldNode, VariableDefinitionNode
from graphql.utilities import type_from_ast

__all__ = [
    "ClientOperation",
    "InvalidOperation",
    "OperationsError",
    "load_operations",
    "used_coordinates",
    "validate_operation",
]

SUFFIXES = (".graphql", ".gql")


class OperationsError(Exception):
    """The operations folder cannot be read."""


@dataclass(frozen=True, slots=True)
class ClientOperation:
    """One operation of a client document, ready to validate."""

    name: str | None
    """The operation's name; ``None`` for an anonymous operation, or a file that does not
    parse (then ``syntax_error`` says why)."""
    file: str
    document: DocumentNode | None
    """The operation and every fragment it spreads, directly or through other fragments."""
    syntax_error: str | None = None


@dataclass(frozen=True, slots=True)
class InvalidOperation:
    """An operation that does not validate, and why."""

    name: str | None
    file: str
    errors: tuple[str, ...]


def load_operations(folder: str | Path) -> tuple[ClientOperation, ...]:
    """Every operation in the ``.graphql`` and ``.gql`` files under ``folder``, searched
    recursively, in file order; a file that does not parse is one entry with its error."""
    root = Path(folder)
    if not root.is_dir():
        raise OperationsError(f"--operations {folder}: not a folder")
    files = sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    parsed: list[tuple[str, DocumentNode]] = []
    broken: list[ClientOperation] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise OperationsError(f"cannot read {path}: {error}") from error
        try:
            # The source is named after its file, so that an error in a fragment of another
            # file says where it is.
            parsed.append((str(path), parse(Source(text, str(path)))))
        except GraphQLError as error:
            broken.append(ClientOperation(None, str(path), None, _located(error, str(path))))
    fragments: dict[str, list[FragmentDefinitionNode]] = {}
    for _, document in parsed:
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                fragments.setdefault(definition.name.value, []).append(definition)
    operations = [
        ClientOperation(
            definition.name.value if definition.name else None,
            file,
            DocumentNode(definitions=(definition, *_reached_fragments(definition, fragments))),
        )
        for file, document in parsed
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    return (*broken, *operations)


def _reached_fragments(
    operation: OperationDefinitionNode, fragments: Mapping[str, Sequence[FragmentDefinitionNode]]
) -> Iterator[FragmentDefinitionNode]:
    # Every definition of a name goes in: a name defined twice is then reported by
    # validation ("There can be only one fragment named ..."), as it would be by a server.
    seen: set[str] = set()
    pending: list[Node] = [operation]
    while pending:
        for name in _spread_names(pending.pop()):
            if name in seen:
                continue
            seen.add(name)
            for definition in fragments.get(name, ()):
                pending.append(definition)
                yield definition


def _spread_names(node: Node) -> Iterator[str]:
    selection_set = getattr(node, "selection_set", None)
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            yield selection.name.value
        else:
            yield from _spread_names(selection)


def validate_operation(operation: ClientOperation, schema: GraphQLSchema) -> tuple[str, ...]:
    """The validation errors of ``operation`` against ``schema`` (empty when valid), each
    message with its line and column (and file, when it is in a fragment of another)."""
    if operation.document is None:
        return (operation.syntax_error or "the file does not parse",)
    errors = validate(schema, operation.document)
    return tuple(_located(error, operation.file) for error in errors)


def _located(error: GraphQLError, file: str) -> str:
    if not error.locations:
        return error.message
    where = error.locations[0]
    source = error.source.name if error.source is not None else file
    place = f"line {where.line}, column {where.column}"
    return (
        f"{error.message} ({place})" if source == file else f"{error.message} ({source}, {place})"
    )


def used_coordinates(operation: ClientOperation, schema: GraphQLSchema) -> frozenset[str]:
    """What a valid ``operation`` uses of ``schema``: the fields (``Type.field``), the
    directives (``@name``) and the names of the types it selects from, receives or sends."""
    if operation.document is None:
        return frozenset()
    type_info = TypeInfo(schema)
    used: set[str] = set()

    def add_type(type_: GraphQLType | None) -> None:
        if type_ is not None:
            used.add(get_named_type(type_).name)

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            parent = type_info.get_parent_type()
            if parent is not None:
                used.add(f"{parent.name}.{node.name.value}")
                add_type(parent)
            add_type(type_info.get_type())

        def enter_argument(self, node: ArgumentNode, *_: object) -> None:
            add_type(type_info.get_input_type())

        def enter_directive(self, node: DirectiveNode, *_: object) -> None:
            used.add(f"@{node.name.value}")

        def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
            add_type(type_from_ast(schema, node.type))

    visit(operation.document, TypeInfoVisitor(type_info, Collect()))
    return frozenset(used)
