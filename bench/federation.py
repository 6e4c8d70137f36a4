"""Federation subgraphs over plain Python data, answering each distinct request once.

A :class:`Subgraph` is built from its SDL (Federation v2, ``@link``; an SDL printed by a
running subgraph, with ``_entities``, ``_service`` and their types, is taken as well),
resolvers for its root fields and one reference resolver per entity type. It executes a
request with graphql-core the first time its exact body arrives and keeps the serialized
answer, so every later identical request costs one dictionary lookup: the benchmark
measures the gateways, not the subgraphs. Gateways send the same body for the same client
query, so after the warm-up every call is a cache hit (the counters say so).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from graphql import (
    DefinitionNode,
    DocumentNode,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    TypeDefinitionNode,
    build_ast_schema,
    graphql_sync,
    parse,
)

__all__ = ["Monolith", "Subgraph"]

Resolver = Callable[..., Any]
ReferenceResolver = Callable[[Mapping[str, Any]], Any]

_PRELUDE = """
scalar _Any
scalar federation__FieldSet
scalar link__Import
directive @link(url: String!, import: [link__Import]) repeatable on SCHEMA
directive @key(fields: federation__FieldSet!, resolvable: Boolean = true)
  repeatable on OBJECT | INTERFACE
directive @external on FIELD_DEFINITION | OBJECT
directive @requires(fields: federation__FieldSet!) on FIELD_DEFINITION
directive @provides(fields: federation__FieldSet!) on FIELD_DEFINITION
directive @shareable repeatable on OBJECT | FIELD_DEFINITION
directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @policy(policies: [[String!]!]!)
  on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],
  requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
type _Service { sdl: String! }
"""

_FEDERATION_TYPES = frozenset(("_Any", "_Entity", "_Service"))
_FEDERATION_FIELDS = frozenset(("_entities", "_service"))

MAX_CACHED = 10_000
"""Distinct request bodies kept per subgraph; later ones are executed every time."""


def _without_federation_fields(document: DocumentNode) -> list[DefinitionNode]:
    """The definitions of ``document`` without what federation adds to a running subgraph.

    An SDL exported from a running subgraph already declares ``_Any``, ``_Entity``,
    ``_Service`` and ``Query._entities``/``_service``; they are left out so the prelude's
    own (and the union of the entity types given resolvers) stand alone.
    """
    kept: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, TypeDefinitionNode) and (
            definition.name.value in _FEDERATION_TYPES
        ):
            continue
        if (
            isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode)
            and definition.name.value == "Query"
        ):
            fields = tuple(
                f for f in definition.fields or () if f.name.value not in _FEDERATION_FIELDS
            )
            definition = replace(definition, fields=fields)
        kept.append(definition)
    return kept


def _set_resolvers(schema: GraphQLSchema, resolvers: Mapping[str, Resolver]) -> None:
    """Install ``{"Type.field": resolver}`` on ``schema``."""
    for path, resolver in resolvers.items():
        type_name, field_name = path.split(".")
        owner = schema.get_type(type_name)
        assert isinstance(owner, GraphQLObjectType), path
        owner.fields[field_name].resolve = resolver


@dataclass
class _Entry:
    body: bytes
    hits: int = 0


@dataclass
class Subgraph:
    """One subgraph: ``answer(request_body) -> response_body``, cached by the request body."""

    name: str
    sdl: str
    roots: Mapping[str, Resolver]
    references: Mapping[str, ReferenceResolver]
    fields: Mapping[str, Resolver] = field(default_factory=dict)
    """Resolvers of other fields, by ``"Type.field"`` (default: the parent's key)."""
    requests: int = 0
    misses: int = 0
    _cache: dict[bytes, _Entry] = field(default_factory=dict, repr=False)
    schema: GraphQLSchema = field(init=False, repr=False)

    def __post_init__(self) -> None:
        entity_types = sorted(self.references)
        definitions = _without_federation_fields(parse(self.sdl))
        has_query = any(
            isinstance(d, ObjectTypeDefinitionNode) and d.name.value == "Query" for d in definitions
        )
        root = "extend type Query" if has_query else "type Query"
        additions = [_PRELUDE, f"{root} {{ _service: _Service! }}"]
        if entity_types:
            additions.append(f"union _Entity = {' | '.join(entity_types)}")
            additions.append(
                "extend type Query { _entities(representations: [_Any!]!): [_Entity]! }"
            )
        prelude = parse("\n".join(additions)).definitions
        self.schema = build_ast_schema(DocumentNode(definitions=(*definitions, *prelude)))
        query = self.schema.query_type
        assert query is not None
        for name, resolver in self.roots.items():
            query.fields[name].resolve = resolver
        _set_resolvers(self.schema, self.fields)
        query.fields["_service"].resolve = lambda _root, _info: {"sdl": self.sdl}
        if entity_types:
            query.fields["_entities"].resolve = self._entities
            union = self.schema.get_type("_Entity")
            assert isinstance(union, GraphQLUnionType)
            union.resolve_type = lambda value, _info, _type: value["__typename"]
        for type_name in entity_types:
            assert isinstance(self.schema.get_type(type_name), GraphQLObjectType), type_name

    def _entities(self, _root: Any, _info: Any, representations: list[dict[str, Any]]) -> list[Any]:
        found = []
        for representation in representations:
            resolve = self.references.get(representation.get("__typename", ""))
            found.append(resolve(representation) if resolve else None)
        return found

    def answer(self, body: bytes) -> bytes:
        """The response body for one request body (a GraphQL-over-HTTP POST)."""
        self.requests += 1
        entry = self._cache.get(body)
        if entry is None:
            self.misses += 1
            entry = _Entry(self.execute(body))
            if len(self._cache) < MAX_CACHED:
                self._cache[body] = entry
        entry.hits += 1
        return entry.body

    def execute(self, body: bytes) -> bytes:
        """Run one request body through graphql-core (no cache)."""
        try:
            request = orjson.loads(body)
            query = request["query"]
            variables = request.get("variables")
            operation_name = request.get("operationName")
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
            return orjson.dumps({"errors": [{"message": "not a GraphQL request"}]})
        result = graphql_sync(
            self.schema, query, variable_values=variables, operation_name=operation_name
        )
        response: dict[str, Any] = {}
        if result.errors:
            response["errors"] = [error.formatted for error in result.errors]
        if result.data is not None or not result.errors:
            response["data"] = result.data
        return orjson.dumps(response)

    def stats(self) -> dict[str, Any]:
        """Counters, and the cached request whose answer is largest (to measure alone)."""
        largest = max(self._cache.items(), key=lambda item: len(item[1].body), default=None)
        return {
            "requests": self.requests,
            "misses": self.misses,
            "distinct": len(self._cache),
            "largest_request": largest[0].decode() if largest else None,
            "largest_response_bytes": len(largest[1].body) if largest else 0,
        }


@dataclass
class Monolith:
    """The whole graph in one schema, without federation: the reference answer."""

    sdl: str
    roots: Mapping[str, Resolver]
    fields: Mapping[str, Resolver] = field(default_factory=dict)
    """Resolvers of other fields, by ``"Type.field"`` (default: the parent's key)."""

    def run(self, query: str) -> dict[str, Any]:
        schema = build_ast_schema(parse(self.sdl))
        assert schema.query_type is not None
        for name, resolver in self.roots.items():
            schema.query_type.fields[name].resolve = resolver
        _set_resolvers(schema, self.fields)
        result = graphql_sync(schema, query)
        assert not result.errors, result.errors
        return {"data": result.data}
