"""Shaping compiled per document: the common case as generated Python.

Most answers need nothing of the general shaping walk but copying: every non-null field
has a value, every enum value is known, every list is a list. For a document seen again,
each object of its selection becomes one generated function building the response object
as a dict literal from its source, e.g. for ``{ upc price reviews { body } }`` on
``Product`` (``price: Int!``, ``reviews: [Review!]!``)::

    def shape(src):
        if src.__class__ is not dict:
            raise Fallback
        try:
            v1 = src['price']
            if v1 is None:
                raise Fallback
            v2 = src['reviews']
            return {'upc': src['upc'], 'price': v1,
                    'reviews': ([s2(x) for x in v2] if v2.__class__ is list else fallback(0))}
        except KeyError:
            return lacking(src)

where ``s2`` is the function generated for ``Review`` and ``lacking`` the same body reading
each field with ``src.get`` (a missing field is null, as in the general walk). Objects,
lists of objects and enum values are completed in the generated code; other lists and
abstract types by closures.
Anything else (a null where none may be, a value of the wrong kind, an unknown enum value
or ``__typename``) raises :class:`Fallback`, and the caller shapes the whole answer again
with the general walk, which reports it. Nothing else is caught (but the KeyError of a
missing field, each object its own): a bug in the generated code fails the request instead
of quietly taking the slow path. So the compiled path only ever answers what the general
walk would answer without errors of its own, and it needs no paths.

Fields are collected by the general walk's own collection (:meth:`_Shaper.collect`); an
abstract field's function is generated when its runtime type first shows up in an answer,
as the general walk does, so a selection over many implementations costs only what the
data uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    SelectionSetNode,
    is_abstract_type,
)

from .steps import INTROSPECTION, NON_NULL_SCALAR, SCALAR, TYPENAME, Step

__all__ = ["MAX_FUNCTIONS", "Collector", "Fallback", "Shape", "compile_shape"]

Shape = Callable[[Mapping[str, Any]], dict[str, Any]]
"""A compiled shaping function: the client's data from the merged answer."""

Complete = Callable[[Any], Any]

MAX_FUNCTIONS = 2000
"""More object functions than this for one document: it is shaped by the general walk."""


class Fallback(Exception):
    """The answer needs the general shaping walk."""


class _TooLarge(Fallback):
    """More functions than :data:`MAX_FUNCTIONS`: at compile time, no compiled shaping; later,
    when an abstract field meets a new runtime type, the general walk for that answer."""


class Collector(Protocol):
    """Field collection by the general walk, for fixed ``@skip``/``@include`` conditions."""

    @property
    def schema(self) -> GraphQLSchema: ...

    def collect(
        self,
        object_type: GraphQLObjectType | GraphQLInterfaceType,
        selection_sets: tuple[SelectionSetNode, ...],
    ) -> tuple[Step, ...]:
        """The steps of ``object_type`` for the merged ``selection_sets``."""
        ...

    def asks_for_concrete_type(
        self, interface: GraphQLInterfaceType, selection_sets: tuple[SelectionSetNode, ...]
    ) -> bool:
        """Whether the selections on ``interface`` ask for its objects' own type."""
        ...


@dataclass(frozen=True, slots=True)
class _Read:
    """A part of generated code reading the field ``key`` (its repr) from ``src``."""

    key: str


_Parts = tuple[str | _Read, ...]


def _code(body: list[_Parts], items: list[_Parts], indent: str, read: str) -> list[str]:
    """The lines of an object function's ``body`` and returned ``items``, each field read
    as ``read`` (a format of the key)."""

    def text(parts: _Parts) -> str:
        return "".join(read.format(p.key) if isinstance(p, _Read) else p for p in parts)

    lines = [indent + text(line) for line in body]
    lines.append(f"{indent}return {{{', '.join(text(item) for item in items)}}}")
    return lines


def _fallback(_: Any) -> Any:
    raise Fallback


def _identity(value: Any) -> Any:
    return value


class _Compiler:
    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self.schema = collector.schema
        self.functions = 0

    def object_function(
        self,
        object_type: GraphQLObjectType | GraphQLInterfaceType,
        selection_sets: tuple[SelectionSetNode, ...],
    ) -> Shape:
        self.functions += 1
        if self.functions > MAX_FUNCTIONS:
            raise _TooLarge
        namespace: dict[str, Any] = {"Fallback": Fallback, "fallback": _fallback}
        # the lines and the returned items, each field read as below
        body: list[_Parts] = []
        items: list[_Parts] = []
        for number, step in enumerate(self.collector.collect(object_type, selection_sets)):
            key = repr(step.key)
            if step.kind == TYPENAME:
                items.append((f"{key}: {object_type.name!r}",))
            elif step.kind in (SCALAR, INTROSPECTION):
                items.append((f"{key}: ", _Read(key)))
            elif step.kind == NON_NULL_SCALAR:
                body += [(f"v{number} = ", _Read(key)), (f"if v{number} is None:",)]
                body.append(("    raise Fallback",))
                items.append((f"{key}: v{number}",))
            else:
                assert step.type is not None
                body.append((f"v{number} = ", _Read(key)))
                value = self.inline(step.type, step.selection_sets, f"v{number}", namespace)
                items.append((f"{key}: {value}",))
        # A field read by subscript costs about a third less than by ``get``, and nearly
        # every object has all of its fields. One that lacks some (an entity its subgraph
        # did not know, whose fields are null) is read again by ``get``. The object
        # functions called here catch their own KeyError: the one caught is this object's.
        lines = ["def shape(src):", "    if src.__class__ is not dict:", "        raise Fallback"]
        lines.append("    try:")
        lines += _code(body, items, "        ", "src[{}]")
        lines += ["    except KeyError:", "        return lacking(src)", "def lacking(src):"]
        lines += _code(body, items, "    ", "src.get({})")
        exec("\n".join(lines), namespace)
        shape: Shape = namespace["shape"]
        return shape

    def inline(
        self,
        type_: GraphQLOutputType,
        selection_sets: tuple[SelectionSetNode, ...],
        value: str,
        namespace: dict[str, Any],
    ) -> str:
        """An expression completing the value in variable ``value``: objects and lists of
        objects (most of a response) in the generated code itself, the rest by a call."""
        non_null = isinstance(type_, GraphQLNonNull)
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        name = f"s{len(namespace)}"
        # an object function given anything but an object raises Fallback
        if isinstance(inner, GraphQLObjectType):
            namespace[name] = self.object_function(inner, selection_sets)
            return (
                f"{name}({value})"
                if non_null
                else f"(None if {value} is None else {name}({value}))"
            )
        if isinstance(inner, GraphQLList):
            item_type = inner.of_type
            named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
            if isinstance(named, GraphQLObjectType):
                namespace[name] = self.object_function(named, selection_sets)
                item = (
                    f"{name}(x)"
                    if isinstance(item_type, GraphQLNonNull)
                    else f"(None if x is None else {name}(x))"
                )
                listed = (
                    f"([{item} for x in {value}] if {value}.__class__ is list else fallback(0))"
                )
                return listed if non_null else f"(None if {value} is None else {listed})"
        if isinstance(inner, GraphQLEnumType):
            namespace[name] = frozenset(inner.values)
            known = f"({value}.__class__ is str and {value} in {name})"
            if non_null:
                return f"({value} if {known} else fallback(0))"
            return f"({value} if {value} is None or {known} else fallback(0))"
        namespace[name] = self.completion(type_, selection_sets)
        return f"{name}({value})"

    def completion(
        self, type_: GraphQLOutputType, selection_sets: tuple[SelectionSetNode, ...]
    ) -> Complete:
        """The function completing one value of ``type_`` (``None`` passes if nullable)."""
        if isinstance(type_, GraphQLNonNull):
            inner = self.completion(type_.of_type, selection_sets)
            return _non_null(inner)
        if isinstance(type_, GraphQLScalarType):
            return _identity
        if isinstance(type_, GraphQLEnumType):
            return _enum(frozenset(type_.values))
        if isinstance(type_, GraphQLList):
            item_type = type_.of_type
            non_null = isinstance(item_type, GraphQLNonNull)
            named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
            if isinstance(named, GraphQLScalarType):
                return _non_null_scalar_list if non_null else _scalar_list
            return _list(self.completion(item_type, selection_sets))
        if isinstance(type_, GraphQLObjectType):
            return _nullable(self.object_function(type_, selection_sets))
        assert is_abstract_type(type_)
        return _abstract(_Dispatch(self, type_, selection_sets))  # type: ignore[arg-type]


class _Dispatch(dict[str, Shape]):
    """The object function per runtime type of an abstract field, generated on first sight."""

    def __init__(
        self,
        compiler: _Compiler,
        abstract: GraphQLInterfaceType,
        selection_sets: tuple[SelectionSetNode, ...],
    ) -> None:
        super().__init__()
        self.compiler = compiler
        self.abstract = abstract
        self.selection_sets = selection_sets

    def __missing__(self, typename: str) -> Shape:
        schema = self.compiler.schema
        runtime = schema.get_type(typename) if isinstance(typename, str) else None
        if runtime is self.abstract and isinstance(runtime, GraphQLInterfaceType):
            # an @interfaceObject answered for the interface itself (see the general walk)
            if self.compiler.collector.asks_for_concrete_type(runtime, self.selection_sets):
                raise Fallback
            shape = self.compiler.object_function(runtime, self.selection_sets)
        elif isinstance(runtime, GraphQLObjectType) and schema.is_sub_type(self.abstract, runtime):
            shape = self.compiler.object_function(runtime, self.selection_sets)
        else:
            raise Fallback  # not remembered: a subgraph must not grow this with made-up names
        self[typename] = shape
        return shape


def _non_null(inner: Complete) -> Complete:
    def complete(value: Any) -> Any:
        if value is None:
            raise Fallback
        return inner(value)

    return complete


def _nullable(shape: Shape) -> Complete:
    def complete(value: Any) -> Any:
        return None if value is None else shape(value)

    return complete


def _enum(values: frozenset[str]) -> Complete:
    def complete(value: Any) -> Any:
        if value is None or (value.__class__ is str and value in values):
            return value
        raise Fallback

    return complete


def _abstract(dispatch: _Dispatch) -> Complete:
    def complete(value: Any) -> Any:
        if value is None:
            return None
        if value.__class__ is not dict:
            raise Fallback
        typename = value.get("__typename")
        if typename.__class__ is not str:
            raise Fallback
        return dispatch[typename](value)

    return complete


def _scalar_list(value: Any) -> Any:
    if value is None or value.__class__ is list:
        return value
    raise Fallback


def _non_null_scalar_list(value: Any) -> Any:
    if value is None:
        return None
    if value.__class__ is not list or any(item is None for item in value):
        raise Fallback
    return value


def _list(inner: Complete) -> Complete:
    def complete(value: Any) -> Any:
        if value is None:
            return None
        if value.__class__ is not list:
            raise Fallback
        return [inner(item) for item in value]

    return complete


def compile_shape(
    collector: Collector, root_type: GraphQLObjectType, selection_set: SelectionSetNode
) -> Shape | None:
    """The compiled shaping of one operation's selection, or ``None`` if it is too large.

    ``collector`` must collect for the conditions (``@skip``/``@include`` variables) the
    result is used with.
    """
    try:
        return _Compiler(collector).object_function(root_type, (selection_set,))
    except _TooLarge:
        return None
