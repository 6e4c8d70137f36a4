"""Reading one subgraph: Federation 1 and 2, imported and renamed directives, the
federation machinery a served SDL carries, and the errors of an unusable SDL."""

from __future__ import annotations

import pytest

from gateway.compose.errors import CompositionErrorCode
from gateway.compose.subgraph import Key, SubgraphSchema, read_subgraph
from gateway.supergraph import TypeKind

LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3"'


def read(sdl: str) -> SubgraphSchema:
    schema, errors = read_subgraph("s", "http://s/graphql", sdl)
    assert not errors, errors
    assert schema is not None
    return schema


def codes(sdl: str) -> list[CompositionErrorCode]:
    schema, errors = read_subgraph("s", "http://s/graphql", sdl)
    assert schema is None
    return [e.code for e in errors]


def test_renamed_import_and_default_prefix() -> None:
    schema = read(
        LINK + ', import: [{name: "@key", as: "@primaryKey"}, "@external"])\n'
        "type Query { p: Product @federation__shareable }\n"
        'type Product @primaryKey(fields: "id") { id: ID! name: String @federation__inaccessible }'
    )
    product = schema.types["Product"]
    assert product.keys == (Key("id", True),)
    assert product.fields["name"].marks.inaccessible
    assert schema.types["Query"].fields["p"].shareable


def test_link_with_its_own_prefix() -> None:
    schema = read(
        LINK + ', as: "fed", import: [])\n'
        "type Query { p: Product }\n"
        'type Product @fed__key(fields: "id", resolvable: false) { id: ID! }'
    )
    assert schema.types["Product"].keys == (Key("id", False),)


def test_link_itself_renamed() -> None:
    schema = read(
        'extend schema @mylink(url: "https://specs.apollo.dev/link/v1.0", as: "mylink")\n'
        '  @mylink(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
        'type Query { t: T }\ntype T @key(fields: "id") { id: ID! }'
    )
    assert schema.version == (2, 3)
    assert schema.types["T"].keys == (Key("id", True),)


def test_federation_1_subgraph_as_a_server_prints_it() -> None:
    # Federation 1 libraries print their own (non-repeatable) definitions and `_FieldSet`.
    schema = read(
        """
        directive @key(fields: _FieldSet!) on OBJECT | INTERFACE
        directive @external on FIELD_DEFINITION
        scalar _FieldSet
        scalar _Any
        type _Service { sdl: String }
        union _Entity = User
        extend type Query {
          _entities(representations: [_Any!]!): [_Entity]!
          _service: _Service!
          me: User
        }
        extend type User @key(fields: "id") @key(fields: "email") {
          id: ID! @external email: String @external name: String
        }
        """
    )
    assert schema.is_fed1
    assert set(schema.types) == {"Query", "User"}
    assert list(schema.types["Query"].fields) == ["me"]
    user = schema.types["User"]
    assert [k.fields for k in user.keys] == ["id", "email"]
    assert user.extended and not user.extension  # Federation 1: `extend` alone is no extension
    assert user.fields["id"].external and user.fields["id"].in_extension


def test_served_sdl_without_query_fields_has_no_query_root() -> None:
    schema = read(
        LINK
        + ', import: ["@key"]) { query: Query }\n'.replace("extend schema", "schema")
        + """
        type Query { _entities(representations: [_Any!]!): [_Entity]! _service: _Service! }
        scalar _Any
        union _Entity = Thing
        type _Service { sdl: String! }
        type Thing @key(fields: "id") { id: ID! }
        """
    )
    assert "Query" not in schema.types
    assert schema.root_types == {}


def test_root_types_take_their_standard_names() -> None:
    schema = read(
        """
        schema { query: Root mutation: Change }
        type Root { thing: Thing }
        type Change { rename(name: String): Thing }
        type Thing { root: Root }
        """
    )
    assert schema.root_types == {"query": "Query", "mutation": "Mutation"}
    assert schema.types["Thing"].fields["root"].type == "Query"


def test_interface_object_reads_as_the_interface() -> None:
    schema = read(
        LINK + ', import: ["@key", "@interfaceObject"])\n'
        'type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int }'
    )
    media = schema.types["Media"]
    assert media.interface_object and media.kind is TypeKind.OBJECT


@pytest.mark.parametrize(
    ("sdl", "expected"),
    [
        ("type Query { a: Int", [CompositionErrorCode.INVALID_GRAPHQL]),
        ("type Query { a: Missing }", [CompositionErrorCode.INVALID_GRAPHQL]),
        ("type Query { a: Int @unknown }", [CompositionErrorCode.INVALID_GRAPHQL]),
        (
            LINK + ', import: ["@key"])\ntype Query { a: Int @shareable }',
            [CompositionErrorCode.INVALID_GRAPHQL],
        ),
        (
            LINK + ', import: ["@nothing"])\ntype Query { a: Int }',
            [CompositionErrorCode.INVALID_LINK_DIRECTIVE_USAGE],
        ),
        (
            'extend schema @link(url: "https://specs.apollo.dev/federation/v3.0")\n'
            "type Query { a: Int }",
            [CompositionErrorCode.UNKNOWN_FEDERATION_LINK_VERSION],
        ),
        (
            "interface Node { id: ID! }\n"
            "type Query { a: Thing }\n"
            "type Thing implements Node { b: Int }",
            [CompositionErrorCode.INVALID_GRAPHQL],
        ),
    ],
)
def test_unusable_sdl(sdl: str, expected: list[CompositionErrorCode]) -> None:
    assert codes(sdl) == expected
