"""Subgraphs made from an SDL alone, answering with data that is a function of what is asked.

The planner's golden tests hold subgraph SDLs without implementations. Here each one gets an
executable schema (graphql-core, with ``_entities`` and ``_service``) whose every value is a
pure function of the object's identity, its type, the field and its arguments: a field two
subgraphs resolve answers the same in both, and an entity reached through any subgraph is
the same entity. An object's identity is the path of fields that reached it from the root;
an entity fetched by its key finds it again in a registry all the mock subgraphs of a
process share, filled whenever an entity is answered.

The same function executed over the whole API schema (:func:`oracle`) gives what a correct
gateway must answer: the fuzzer compares Simpul's answers with it.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Mapping
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    build_ast_schema,
    get_named_type,
    parse,
    print_ast,
)
from graphql.execution import experimental_execute_incrementally

from gateway.api_schema import build_api_schema
from gateway.supergraph import Supergraph

__all__ = ["MockData", "mock_app", "mock_schema", "oracle"]


class MockData:
    """The values every mock subgraph (and the oracle) of one supergraph answers."""

    def __init__(self, supergraph: Supergraph, subgraphs: Mapping[str, GraphQLSchema]) -> None:
        self.supergraph = supergraph
        self.api = build_api_schema(supergraph)
        self.shared = _shared_choices(self.api, subgraphs.values())
        """Per abstract type the concrete types, per enum the values, every subgraph
        defining it knows: the values chosen among them are the same in all."""
        self.registry: dict[tuple[str, str], tuple[str, str]] = {}
        """(type, key values as JSON) -> (identity, concrete type)."""

    def _digest(self, *parts: object) -> int:
        text = json.dumps(parts, sort_keys=True, default=str)
        return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)

    def runtime_type(self, abstract: str, identity: str) -> str:
        """The concrete type of the object ``identity`` where ``abstract`` is expected."""
        named = self.api.get_type(abstract)
        if isinstance(named, GraphQLObjectType):
            return named.name
        possible = self.shared.get(abstract) or sorted(
            t.name
            for t in self.api.get_possible_types(named)  # type: ignore[arg-type]
        )
        return possible[self._digest("type", identity) % len(possible)]

    def scalar(self, type_: GraphQLScalarType | GraphQLEnumType, identity: str, field: str) -> Any:
        digest = self._digest(identity, field)
        if isinstance(type_, GraphQLEnumType):
            values = self.shared.get(type_.name) or sorted(type_.values)
            return values[digest % len(values)]
        if type_.name == "Int":
            return digest % 100
        if type_.name == "Float":
            return (digest % 1000) / 10
        if type_.name == "Boolean":
            return digest % 2 == 0
        return f"{field}-{digest % 100_000}"

    def register(self, typename: str, identity: str) -> None:
        """Remember the entity ``identity`` under each of its keys (and its interfaces')."""
        names = [typename]
        runtime = self.api.get_type(typename)
        names += [i.name for i in getattr(runtime, "interfaces", ())]
        for name in names:
            info = self.supergraph.types.get(name)
            if info is None:
                continue
            for key in info.keys:
                value = self.project(typename, identity, key.selection)
                self.registry[(name, _canonical(value))] = (identity, typename)

    def project(self, typename: str, identity: str, selection: Any) -> dict[str, Any]:
        """The values of a key's selection on the object ``identity``."""
        result: dict[str, Any] = {}
        runtime = self.api.get_type(typename)
        for node in selection.selections:
            name = node.name.value
            field = getattr(runtime, "fields", {}).get(name)
            if field is None:
                continue
            named = get_named_type(field.type)
            if node.selection_set is None:
                result[name] = self.scalar(named, identity, name)  # type: ignore[arg-type]
            else:
                child = f"{identity}/{name}"
                result[name] = self.project(
                    self.runtime_type(named.name, child), child, node.selection_set
                )
        return result

    def find(self, representation: Mapping[str, Any]) -> tuple[str, str] | None:
        """The identity and concrete type an entity's representation stands for."""
        typename = str(representation.get("__typename"))
        info = self.supergraph.types.get(typename)
        for key in info.keys if info is not None else ():
            names = [n.name.value for n in key.selection.selections]
            if all(n in representation for n in names):
                found = self.registry.get(
                    (typename, _canonical({n: representation[n] for n in names}))
                )
                if found is not None:
                    return found
        return None

    def resolve(self, parent: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        """Any field of a mock subgraph or of the oracle."""
        if info.field_name == "_entities":
            found = []
            for representation in arguments["representations"]:
                entity = self.find(representation)
                if entity is None:
                    found.append(None)
                    continue
                # an @interfaceObject subgraph answers for the interface, as an object type
                named = info.schema.get_type(str(representation.get("__typename")))
                typename = named.name if isinstance(named, GraphQLObjectType) else entity[1]
                found.append({"__id": entity[0], "__type": typename})
            return found
        if info.field_name == "_service":
            return {"sdl": ""}
        identity = parent["__id"] if isinstance(parent, dict) else ""
        args = json.dumps(arguments, sort_keys=True) if arguments else ""
        return self._value(
            info.return_type, f"{identity}/{info.field_name}{args}", info.field_name, identity
        )

    def _value(self, type_: Any, child: str, field: str, identity: str) -> Any:
        if isinstance(type_, GraphQLNonNull):
            return self._value(type_.of_type, child, field, identity)
        if isinstance(type_, GraphQLList):
            return [
                self._value(type_.of_type, f"{child}[{i}]", field, f"{identity}[{i}]")
                for i in range(2)
            ]
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            return self.scalar(type_, identity, field)
        runtime = self.runtime_type(type_.name, child)
        self.register(runtime, child)
        return {"__id": child, "__type": runtime}

    def type_of(self, value: Any, info: GraphQLResolveInfo, abstract: Any) -> str | None:
        """The concrete type of a value where the schema expects ``abstract``."""
        runtime = value.get("__type") if isinstance(value, dict) else None
        if runtime is None:
            return None
        if info.schema.get_type(runtime) is not None and (
            not isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType)
            or info.schema.is_sub_type(abstract, info.schema.get_type(runtime))  # type: ignore[arg-type]
        ):
            return str(runtime)
        return None


def mock_schema(sdl: str) -> GraphQLSchema:
    """A subgraph SDL as an executable schema, federation's fields included."""
    document = parse(textwrap.dedent(sdl))
    types: dict[str, Any] = {}
    others = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        if isinstance(definition, ObjectTypeExtensionNode | InterfaceTypeExtensionNode):
            kind = (
                ObjectTypeDefinitionNode
                if isinstance(definition, ObjectTypeExtensionNode)
                else InterfaceTypeDefinitionNode
            )
            definition = kind(
                name=definition.name,
                interfaces=definition.interfaces,
                directives=definition.directives,
                fields=definition.fields,
            )
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            known = types.get(definition.name.value)
            if known is not None:
                definition = type(known)(
                    name=known.name,
                    interfaces=(*(known.interfaces or ()), *(definition.interfaces or ())),
                    directives=(*(known.directives or ()), *(definition.directives or ())),
                    fields=(*(known.fields or ()), *(definition.fields or ())),
                )
            types[definition.name.value] = definition
        else:
            others.append(definition)
    entities = [
        name
        for name, node in types.items()
        if isinstance(node, ObjectTypeDefinitionNode)
        and any(d.name.value == "key" for d in node.directives or ())
    ]
    text = "\n".join(print_ast(node) for node in (*types.values(), *others))
    text += "\nscalar _Any\ntype _Service { sdl: String }\n"
    if entities:
        text += f"union _Entity = {' | '.join(entities)}\n"
        text += (
            "extend type Query "
            "{ _entities(representations: [_Any!]!): [_Entity]! _service: _Service! }\n"
        )
    else:
        text += "extend type Query { _service: _Service! }\n"
    if "Query" not in types:
        text = "type Query { _mock: String }\n" + text
    return build_ast_schema(parse(text), assume_valid_sdl=True)


def oracle(data: MockData, document: DocumentNode, variables: Mapping[str, Any]) -> Any:
    """What a correct gateway answers: the operation over the API schema, same values."""
    return experimental_execute_incrementally(
        data.api,
        document,
        variable_values=dict(variables),
        field_resolver=data.resolve,
        type_resolver=data.type_of,
    )


def mock_app(schema: GraphQLSchema, data: MockData) -> Any:
    """An ASGI app serving ``schema`` with ``data``'s values."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = orjson.loads(body)
        try:
            document = parse(request["query"])
            result = experimental_execute_incrementally(
                schema,
                document,
                variable_values=request.get("variables") or {},
                field_resolver=data.resolve,
                type_resolver=data.type_of,
            )
            answer: dict[str, Any] = {"data": result.data}  # type: ignore[union-attr]
            if result.errors:  # type: ignore[union-attr]
                answer["errors"] = [e.formatted for e in result.errors]  # type: ignore[union-attr]
        except Exception as error:  # a document the subgraph refuses
            answer = {"errors": [{"message": str(error)}]}
        payload = orjson.dumps(answer)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    return app


def _canonical(value: Any) -> str:
    """One text per value, whatever the order of its keys."""
    return json.dumps(value, sort_keys=True, default=str)


def _shared_choices(api: GraphQLSchema, subgraphs: Any) -> dict[str, list[str]]:
    """Per abstract type and enum of the API: what every subgraph defining it knows."""
    shared: dict[str, list[str]] = {}
    for name, named in api.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(named, GraphQLEnumType):
            known = set(named.values)
        elif isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            known = {t.name for t in api.get_possible_types(named)}
        else:
            continue
        for schema in subgraphs:
            mine = schema.get_type(name)
            if isinstance(mine, GraphQLEnumType):
                known &= set(mine.values)
            elif isinstance(mine, GraphQLInterfaceType | GraphQLUnionType):
                known &= {t.name for t in schema.get_possible_types(mine)}
            elif isinstance(mine, GraphQLObjectType):
                known &= {name}  # an @interfaceObject: the subgraph knows no implementation
        shared[name] = sorted(known)
    return shared
