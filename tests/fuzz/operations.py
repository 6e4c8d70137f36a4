"""Random valid operations over a client schema, for comparing gateways.

Each operation is drawn from a seeded generator: root fields with arguments taken from
example operations (so that lookups find data) or made from the argument's type, nested
selections to a bounded depth, inline fragments on abstract types (possible and impossible
runtime types alike), named fragments, aliases, a field repeated with another
sub-selection, and ``@skip``/``@include`` with literals and with variables. Every operation
is validated against the schema; one that is not valid is drawn again.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLFloat,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    TypeInfo,
    TypeInfoVisitor,
    Undefined,
    Visitor,
    get_named_type,
    is_leaf_type,
    parse,
    print_ast,
    validate,
    value_from_ast,
    visit,
)
from graphql.utilities import ast_from_value

__all__ = ["ArgumentExamples", "Operation", "OperationGenerator", "argument_examples"]


@dataclass(frozen=True)
class Operation:
    """One operation to send: its text and its variables."""

    query: str
    variables: Mapping[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The GraphQL-over-HTTP request body."""
        return {"query": self.query, "variables": dict(self.variables)}


ArgumentExamples = Mapping[str, tuple[Any, ...]]
"""Values seen for an argument, by coordinate (``Query.product(id:)``) and by argument name
(``id``): Python values as the argument's input type reads them."""


def argument_examples(
    schema: GraphQLSchema, operations: Iterable[tuple[str, Mapping[str, Any] | None]]
) -> dict[str, tuple[Any, ...]]:
    """The argument values ``operations`` pass, resolved against ``schema``; operations
    that do not parse or do not fit the schema are passed over."""
    seen: dict[str, list[Any]] = {}
    for text, variables in operations:
        try:
            document = parse(text)
        except Exception:
            continue
        if validate(schema, document):
            continue
        _collect_arguments(schema, document, dict(variables or {}), seen)
    return {key: tuple(values) for key, values in seen.items()}


def _collect_arguments(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any],
    seen: dict[str, list[Any]],
) -> None:
    type_info = TypeInfo(schema)

    class Collector(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            argument = type_info.get_argument()
            parent = type_info.get_parent_type()
            definition = type_info.get_field_def()
            if argument is None or parent is None or definition is None:
                return
            value = value_from_ast(node.value, argument.type, variables)
            if value is None or value is Undefined:
                return
            field_name = next(
                (n for n, f in parent.fields.items() if f is definition),  # type: ignore[union-attr]
                None,
            )
            for key in (f"{parent.name}.{field_name}({node.name.value}:)", node.name.value):
                values = seen.setdefault(key, [])
                if value not in values:
                    values.append(value)

    visit(document, TypeInfoVisitor(type_info, Collector()))


class _Draw:
    """One operation being drawn: its variables, fragments and names in use."""

    def __init__(self) -> None:
        self.variables: dict[str, tuple[str, Any]] = {}
        self.fragments: dict[str, str] = {}
        self.aliases = 0

    def variable(self, type_text: str, value: Any) -> str:
        name = f"v{len(self.variables)}"
        self.variables[name] = (type_text, value)
        return f"${name}"

    def alias(self) -> str:
        self.aliases += 1
        return f"a{self.aliases}"


class OperationGenerator:
    """Seeded random valid queries over ``schema``."""

    def __init__(
        self,
        schema: GraphQLSchema,
        examples: ArgumentExamples | None = None,
        seed: int = 0,
        max_depth: int = 4,
    ) -> None:
        self.schema = schema
        self.examples = examples or {}
        self.random = random.Random(seed)
        self.max_depth = max_depth
        query = schema.query_type
        if query is None:
            raise ValueError("the schema has no query type")
        self.query = query
        self.possible: dict[str, list[GraphQLNamedType]] = {}
        for named in schema.type_map.values():
            if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
                implementations = list(schema.get_possible_types(named))
                if isinstance(named, GraphQLInterfaceType):
                    implementations += schema.get_implementations(named).interfaces
                self.possible[named.name] = sorted(implementations, key=lambda t: t.name)

    def operations(self, count: int) -> list[Operation]:
        """``count`` valid operations."""
        return [self.operation() for _ in range(count)]

    def operation(self) -> Operation:
        """One valid operation (drawn again until it validates)."""
        for _ in range(200):
            draw = _Draw()
            roots = self._fields(self.query, draw, depth=0, root=True)
            if not roots:
                continue
            text = self._document(draw, roots)
            document = parse(text)
            if not validate(self.schema, document):
                values = {name: value for name, (_, value) in draw.variables.items()}
                return Operation(print_ast(document), values)
        raise RuntimeError("no valid operation could be drawn")

    def _document(self, draw: _Draw, roots: list[str]) -> str:
        header = ""
        if draw.variables:
            declared = ", ".join(f"${n}: {t}" for n, (t, _) in draw.variables.items())
            header = f"({declared})"
        text = f"query Fuzz{header} {{ {' '.join(roots)} }}"
        for fragment in draw.fragments.values():
            text += f" {fragment}"
        return text

    def _chance(self, probability: float) -> bool:
        return self.random.random() < probability

    def _fields(
        self, parent: GraphQLNamedType, draw: _Draw, depth: int, root: bool = False
    ) -> list[str]:
        """A selection on ``parent``: fields, and fragments where it is abstract."""
        selections: list[str] = []
        fields = getattr(parent, "fields", {})
        names = list(fields)
        if names:
            if depth >= self.max_depth:
                names = [n for n in names if is_leaf_type(get_named_type(fields[n].type))]
            count = min(len(names), self.random.randint(1, 3 if root else 4))
            for name in self.random.sample(names, count) if names else []:
                selections += self._field(parent, name, fields[name], draw, depth)
        if self.possible.get(parent.name) and depth < self.max_depth:
            for _ in range(self.random.randint(0, 2)):
                condition = self.random.choice(self.possible[parent.name])
                inner = self._fields(condition, draw, depth + 1)
                if inner:
                    selections.append(self._fragment(condition, inner, draw))
        if not root and self._chance(0.25):
            # a fragment with no type condition, under a condition of its own
            inner = self._fields(parent, draw, depth + 1) if depth < self.max_depth else []
            if inner:
                selections.append(
                    f"...{self._directive(draw, always=True)} {{ {' '.join(inner)} }}"
                )
        if not root and (not selections or self._chance(0.15)):
            selections.append("__typename")
        return selections

    def _fragment(self, condition: GraphQLNamedType, inner: list[str], draw: _Draw) -> str:
        """An inline fragment, or a named one spread here."""
        body = " ".join(inner)
        if self._chance(0.2):
            name = f"F{len(draw.fragments)}"
            draw.fragments[name] = f"fragment {name} on {condition.name} {{ {body} }}"
            return f"...{name}{self._directive(draw)}"
        return f"... on {condition.name}{self._directive(draw)} {{ {body} }}"

    def _field(
        self,
        parent: GraphQLNamedType,
        name: str,
        definition: GraphQLField,
        draw: _Draw,
        depth: int,
    ) -> list[str]:
        arguments = self._arguments(parent, name, definition, draw)
        named = get_named_type(definition.type)
        copies = 2 if self._chance(0.1) else 1
        selections = []
        for _ in range(copies):
            alias = f"{draw.alias()}: " if self._chance(0.15) else ""
            head = f"{alias}{name}{arguments}{self._directive(draw)}"
            if is_leaf_type(named):
                selections.append(head)
                continue
            inner = self._fields(named, draw, depth + 1)
            selections.append(f"{head} {{ {' '.join(inner)} }}")
        return selections

    def _directive(self, draw: _Draw, always: bool = False) -> str:
        if not always and not self._chance(0.15):
            return ""
        which = self.random.choice(("skip", "include"))
        value = self.random.choice((True, False))
        if self._chance(0.5):
            return f" @{which}(if: {draw.variable('Boolean!', value)})"
        return f" @{which}(if: {'true' if value else 'false'})"

    def _arguments(
        self, parent: GraphQLNamedType, name: str, definition: GraphQLField, draw: _Draw
    ) -> str:
        given = []
        for argument_name, argument in definition.args.items():
            required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is None
            if not required and not self._chance(0.3):
                continue
            value = self._argument_value(
                f"{parent.name}.{name}({argument_name}:)", argument_name, argument
            )
            if self._chance(0.2):
                given.append(f"{argument_name}: {draw.variable(str(argument.type), value)}")
                continue
            literal = ast_from_value(value, argument.type)
            if literal is None:
                continue
            given.append(f"{argument_name}: {print_ast(literal)}")
        return f"({', '.join(given)})" if given else ""

    def _argument_value(self, coordinate: str, name: str, argument: GraphQLArgument) -> Any:
        for key in (coordinate, name):
            seen = [v for v in self.examples.get(key, ()) if _fits(v, argument.type)]
            if seen and self._chance(0.9):
                return self.random.choice(seen)
        return self._value(argument.type, depth=0)

    def _value(self, type_: GraphQLInputType, depth: int) -> Any:
        if isinstance(type_, GraphQLNonNull):
            return self._value(type_.of_type, depth)
        if isinstance(type_, GraphQLList):
            return [self._value(type_.of_type, depth + 1) for _ in range(self.random.randint(1, 2))]
        if isinstance(type_, GraphQLEnumType):
            return self.random.choice(list(type_.values.values())).value
        if isinstance(type_, GraphQLInputObjectType):
            value = {}
            for field_name, input_field in type_.fields.items():
                required = isinstance(input_field.type, GraphQLNonNull)
                if required or (depth < 2 and self._chance(0.3)):
                    value[field_name] = self._value(input_field.type, depth + 1)
            return value
        if isinstance(type_, GraphQLScalarType):
            if type_ is GraphQLInt:
                return self.random.randint(0, 5)
            if type_ is GraphQLFloat:
                return float(self.random.randint(0, 5))
            if type_ is GraphQLBoolean:
                return self.random.choice((True, False))
            return str(self.random.randint(1, 5))
        raise TypeError(f"no value for {type_}")


def _fits(value: Any, type_: GraphQLInputType) -> bool:
    """Whether ``value`` (seen for an argument of the same name elsewhere) is one of
    ``type_``'s values."""
    try:
        return ast_from_value(value, type_) is not None
    except (GraphQLError, TypeError, ValueError):
        return False
