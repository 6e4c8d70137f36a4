"""The client-facing schema: the supergraph without its federation machinery, without
what is @inaccessible, printed sorted and stable, validating client operations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Node,
    build_schema,
    parse,
    print_ast,
    validate,
)

from gateway.api_schema import build_api_schema, execute_here, print_api_schema
from gateway.supergraph import load_supergraph

SUPERGRAPH = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
  @link(url: "https://specs.apollo.dev/tag/v0.3")
  @tag(name: "library")
{
  query: Query
  mutation: Mutation
}

directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments)
  repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(
  graph: join__Graph
  requires: join__FieldSet
  provides: join__FieldSet
  type: String
  external: Boolean
  override: String
  usedOverridden: Boolean
  overrideLabel: String
  contextArguments: [join__ContextArgument!]
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!)
  repeatable on OBJECT | INTERFACE
directive @join__type(
  graph: join__Graph!
  key: join__FieldSet
  extension: Boolean! = false
  resolvable: Boolean! = true
  isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])
  repeatable on SCHEMA
directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION
  | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
  | SCHEMA
directive @lowercase on FIELD

scalar Date
  @join__type(graph: MEMBERS)
  @specifiedBy(url: "https://www.rfc-editor.org/rfc/rfc3339")

input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}
scalar join__DirectiveArguments
scalar join__FieldSet
scalar join__FieldValue
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }

enum join__Graph {
  LIBRARY @join__graph(name: "library", url: "http://library/graphql")
  MEMBERS @join__graph(name: "members", url: "http://members/graphql")
}

type Query @join__type(graph: LIBRARY) @join__type(graph: MEMBERS) {
  search(
    text: String! @tag(name: "public")
    filter: SearchFilter
    debug: Boolean @inaccessible
  ): [Result!]!
    @join__field(graph: LIBRARY)
    @tag(name: "public")
  media: [Media!]! @join__field(graph: LIBRARY)
  member(id: ID!): Member @join__field(graph: MEMBERS)
  secret: Secret @join__field(graph: LIBRARY) @inaccessible
  oldSearch: [Result!]! @join__field(graph: LIBRARY) @deprecated(reason: "Use search.")
}

type Mutation @join__type(graph: MEMBERS) {
  borrow(input: BorrowInput!): Loan @join__field(graph: MEMBERS)
}

input SearchFilter @join__type(graph: LIBRARY) {
  format: Format
  internalScore: Float @inaccessible
  year: Int @deprecated(reason: "Use range.")
}

input BorrowInput @join__type(graph: MEMBERS) {
  bookId: ID! @tag(name: "public")
  days: Int = 14
}

enum Format @join__type(graph: LIBRARY) @tag(name: "public") {
  PAPER @join__enumValue(graph: LIBRARY) @tag(name: "public")
  EBOOK @join__enumValue(graph: LIBRARY)
  MICROFILM @join__enumValue(graph: LIBRARY) @inaccessible
  CASSETTE @join__enumValue(graph: LIBRARY) @deprecated(reason: "No longer lent.")
}

interface Media @join__type(graph: LIBRARY, key: "id") {
  id: ID!
  title: String!
}

interface Audited @join__type(graph: LIBRARY) @inaccessible {
  auditLog: String
}

type Book implements Media & Audited
  @join__implements(graph: LIBRARY, interface: "Media")
  @join__implements(graph: LIBRARY, interface: "Audited")
  @join__type(graph: LIBRARY, key: "id")
  @join__directive(graphs: [LIBRARY], name: "cost", args: {weight: 2})
  @tag(name: "public")
{
  id: ID!
  title: String!
  auditLog: String @inaccessible
  format: Format
}

type Draft implements Media
  @join__implements(graph: LIBRARY, interface: "Media")
  @join__type(graph: LIBRARY, key: "id")
  @inaccessible
{
  id: ID!
  title: String!
}

type Secret @join__type(graph: LIBRARY) @inaccessible {
  code: String
}

union Result
  @join__type(graph: LIBRARY)
  @join__unionMember(graph: LIBRARY, member: "Book")
  @join__unionMember(graph: LIBRARY, member: "Secret")
  = Book | Secret

type Member @join__type(graph: MEMBERS, key: "id") {
  id: ID!
  name: String
  nik: String @inaccessible
  loans(
    includeReturned: Boolean = false
    all: Boolean @deprecated(reason: "Renamed.")
    audit: Boolean @inaccessible
  ): [Loan!]!
}

type Loan @join__type(graph: MEMBERS) {
  bookId: ID!
  "When the book must be back."
  due: Date
}
"""


def api() -> GraphQLSchema:
    return build_api_schema(load_supergraph(SUPERGRAPH))


def applied_directives(schema: GraphQLSchema) -> Iterator[tuple[str, str]]:
    """(element, directive name) for every directive applied anywhere in ``schema``."""

    def on(where: str, node: Node | None) -> Iterator[tuple[str, str]]:
        for directive in getattr(node, "directives", None) or ():
            yield where, directive.name.value

    yield from on("schema", schema.ast_node)
    for name, named in schema.type_map.items():
        if name.startswith("__"):
            continue
        yield from on(name, named.ast_node)
        if isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                yield from on(f"{name}.{value_name}", value.ast_node)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                yield from on(f"{name}.{field_name}", field.ast_node)
                for arg_name, arg in field.args.items():
                    yield from on(f"{name}.{field_name}({arg_name})", arg.ast_node)
        if isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                yield from on(f"{name}.{field_name}", input_field.ast_node)


def errors(query: str) -> list[str]:
    return [e.message for e in validate(api(), parse(query))]


# The federation machinery is gone -----------------------------------------------------------


def test_no_join_or_link_types() -> None:
    names = set(api().type_map)
    assert not {n for n in names if n.startswith(("join__", "link__"))}
    assert {"Query", "Mutation", "Book", "Media", "Result", "Format", "Date"} <= names


def test_no_spec_directive_definitions() -> None:
    # @defer is the gateway's own (incremental delivery), whatever the subgraphs support
    assert sorted(d.name for d in api().directives) == [
        "defer",
        "deprecated",
        "include",
        "lowercase",
        "oneOf",
        "skip",
        "specifiedBy",
    ]


def test_no_spec_directive_applications() -> None:
    applied = set(applied_directives(api()))
    assert {name for _, name in applied} <= {"deprecated", "specifiedBy"}
    assert ("Query.oldSearch", "deprecated") in applied
    assert ("Date", "specifiedBy") in applied


def test_schema_has_no_link() -> None:
    schema = api()
    assert schema.ast_node is not None
    assert not schema.ast_node.directives
    assert "@link" not in print_api_schema(schema)


def test_root_types() -> None:
    schema = api()
    assert schema.query_type is not None and schema.query_type.name == "Query"
    assert schema.mutation_type is not None and schema.mutation_type.name == "Mutation"
    assert schema.subscription_type is None


def test_demo_supergraph_api_schema_has_no_federation_machinery() -> None:
    root = Path(__file__).resolve().parents[1]
    schema = build_api_schema(
        load_supergraph((root / "schema/demo/supergraph.graphql").read_text())
    )
    printed = print_api_schema(schema)
    assert "join__" not in printed
    assert "link__" not in printed
    assert "@link" not in printed
    assert {name for _, name in applied_directives(schema)} <= {"deprecated", "specifiedBy"}


# @inaccessible ------------------------------------------------------------------------------


def test_inaccessible_object_type_is_removed() -> None:
    schema = api()
    assert schema.get_type("Secret") is None
    assert schema.get_type("Draft") is None


def test_inaccessible_interface_type_is_removed_from_its_implementations() -> None:
    schema = api()
    assert schema.get_type("Audited") is None
    book = schema.get_type("Book")
    assert isinstance(book, GraphQLObjectType)
    assert [i.name for i in book.interfaces] == ["Media"]


def test_inaccessible_implementation_is_not_a_possible_type() -> None:
    schema = api()
    media = schema.get_type("Media")
    assert isinstance(media, GraphQLInterfaceType)
    assert [t.name for t in schema.get_possible_types(media)] == ["Book"]


def test_inaccessible_union_member_is_removed() -> None:
    result = api().get_type("Result")
    assert isinstance(result, GraphQLUnionType)
    assert [t.name for t in result.types] == ["Book"]


def test_inaccessible_fields_are_removed() -> None:
    schema = api()
    query, member, book = (schema.get_type(n) for n in ("Query", "Member", "Book"))
    assert isinstance(query, GraphQLObjectType)
    assert isinstance(member, GraphQLObjectType)
    assert isinstance(book, GraphQLObjectType)
    assert sorted(query.fields) == ["media", "member", "oldSearch", "search"]
    assert sorted(member.fields) == ["id", "loans", "name"]
    assert sorted(book.fields) == ["format", "id", "title"]


def test_inaccessible_arguments_are_removed() -> None:
    schema = api()
    query, member = schema.get_type("Query"), schema.get_type("Member")
    assert isinstance(query, GraphQLObjectType)
    assert isinstance(member, GraphQLObjectType)
    assert sorted(query.fields["search"].args) == ["filter", "text"]
    assert sorted(member.fields["loans"].args) == ["all", "includeReturned"]


def test_inaccessible_enum_value_is_removed() -> None:
    fmt = api().get_type("Format")
    assert isinstance(fmt, GraphQLEnumType)
    assert sorted(fmt.values) == ["CASSETTE", "EBOOK", "PAPER"]


def test_inaccessible_input_field_is_removed() -> None:
    search_filter = api().get_type("SearchFilter")
    assert isinstance(search_filter, GraphQLInputObjectType)
    assert sorted(search_filter.fields) == ["format", "year"]


def test_renamed_inaccessible_and_tag() -> None:
    renamed = (
        SUPERGRAPH.replace(
            '"https://specs.apollo.dev/inaccessible/v0.2"',
            '"https://specs.apollo.dev/inaccessible/v0.2", as: "private"',
        )
        .replace(
            '"https://specs.apollo.dev/tag/v0.3"',
            '"https://specs.apollo.dev/tag/v0.3", as: "label"',
        )
        .replace("@inaccessible", "@private")
        .replace("@tag(", "@label(")
    )
    schema = build_api_schema(load_supergraph(renamed))
    assert print_api_schema(schema) == print_api_schema(api())
    assert {name for _, name in applied_directives(schema)} <= {"deprecated", "specifiedBy"}
    assert schema.get_directive("private") is None
    assert schema.get_directive("label") is None


# What stays ---------------------------------------------------------------------------------


def test_tag_applications_and_definition_are_removed() -> None:
    schema = api()
    assert schema.get_directive("tag") is None
    assert not [where for where, name in applied_directives(schema) if name == "tag"]


def test_deprecations_are_kept() -> None:
    schema = api()
    query, member, search_filter, fmt = (
        schema.get_type(n) for n in ("Query", "Member", "SearchFilter", "Format")
    )
    assert isinstance(query, GraphQLObjectType)
    assert isinstance(member, GraphQLObjectType)
    assert isinstance(search_filter, GraphQLInputObjectType)
    assert isinstance(fmt, GraphQLEnumType)
    assert query.fields["oldSearch"].deprecation_reason == "Use search."
    assert member.fields["loans"].args["all"].deprecation_reason == "Renamed."
    assert search_filter.fields["year"].deprecation_reason == "Use range."
    assert fmt.values["CASSETTE"].deprecation_reason == "No longer lent."


def test_custom_executable_directive_is_kept_and_usable() -> None:
    directive = api().get_directive("lowercase")
    assert directive is not None
    assert [str(location.name) for location in directive.locations] == ["FIELD"]
    assert errors("{ member(id: 1) { name @lowercase } }") == []


def test_descriptions_and_defaults_are_kept() -> None:
    schema = api()
    loan, borrow_input = schema.get_type("Loan"), schema.get_type("BorrowInput")
    assert isinstance(loan, GraphQLObjectType)
    assert isinstance(borrow_input, GraphQLInputObjectType)
    assert loan.fields["due"].description == "When the book must be back."
    assert "days" in borrow_input.fields
    assert "  days: Int = 14\n" in print_api_schema(schema)


# Printing -----------------------------------------------------------------------------------

EXPECTED = """\
\"\"\"
Answer the fragment after the rest (incremental delivery, multipart/mixed).
\"\"\"
directive @defer(if: Boolean! = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT

directive @lowercase on FIELD

type Book implements Media {
  format: Format
  id: ID!
  title: String!
}

input BorrowInput {
  bookId: ID!
  days: Int = 14
}

scalar Date @specifiedBy(url: "https://www.rfc-editor.org/rfc/rfc3339")

enum Format {
  CASSETTE @deprecated(reason: "No longer lent.")
  EBOOK
  PAPER
}

type Loan {
  bookId: ID!

  \"\"\"When the book must be back.\"\"\"
  due: Date
}

interface Media {
  id: ID!
  title: String!
}

type Member {
  id: ID!
  loans(all: Boolean @deprecated(reason: "Renamed."), includeReturned: Boolean = false): [Loan!]!
  name: String
}

type Mutation {
  borrow(input: BorrowInput!): Loan
}

type Query {
  media: [Media!]!
  member(id: ID!): Member
  oldSearch: [Result!]! @deprecated(reason: "Use search.")
  search(filter: SearchFilter, text: String!): [Result!]!
}

union Result = Book

input SearchFilter {
  format: Format
  year: Int @deprecated(reason: "Use range.")
}
"""


def test_printed_api_schema() -> None:
    assert print_api_schema(api()) == EXPECTED


def test_printing_does_not_depend_on_definition_order() -> None:
    document = parse(SUPERGRAPH)
    shuffled = "\n\n".join(print_ast(definition) for definition in reversed(document.definitions))
    assert print_api_schema(build_api_schema(load_supergraph(shuffled))) == EXPECTED


def test_printing_twice_gives_the_same_text() -> None:
    schema = api()
    assert print_api_schema(schema) == print_api_schema(schema)
    assert print_api_schema(schema).endswith("}\n")


def test_printed_schema_builds_the_same_schema_again() -> None:
    printed = print_api_schema(api())
    assert print_api_schema(build_schema(printed)) == printed


# Client operations --------------------------------------------------------------------------


def test_valid_operation_passes() -> None:
    assert (
        errors(
            """
            query ($f: SearchFilter) {
              search(text: "laut", filter: $f) { ... on Book { id title format } }
              media { id title }
              member(id: 7) { name loans(includeReturned: true) { bookId due } }
            }
            """
        )
        == []
    )


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("{ secret { code } }", "Cannot query field 'secret' on type 'Query'."),
        ("{ member(id: 1) { nik } }", "Cannot query field 'nik' on type 'Member'."),
        (
            '{ search(text: "x", debug: true) { __typename } }',
            "Unknown argument 'debug' on field 'Query.search'.",
        ),
        (
            "{ member(id: 1) { loans(audit: true) { bookId } } }",
            "Unknown argument 'audit' on field 'Member.loans'.",
        ),
        (
            '{ search(text: "x", filter: {format: MICROFILM}) { __typename } }',
            "Value 'MICROFILM' does not exist in 'Format' enum.",
        ),
        (
            '{ search(text: "x", filter: {internalScore: 1.5}) { __typename } }',
            "Expected value of type 'SearchFilter' not to include unknown field 'internalScore'",
        ),
        ("{ media { ... on Draft { id } } }", "Unknown type 'Draft'."),
        ('{ search(text: "x") { ... on Secret { code } } }', "Unknown type 'Secret'."),
        ("{ media { ... on Audited { auditLog } } }", "Unknown type 'Audited'."),
        ("{ media { ... on Book { auditLog } } }", "Cannot query field 'auditLog' on type 'Book'."),
        ('{ member(id: 1) { name @tag(name: "x") } }', "Unknown directive '@tag'."),
    ],
)
def test_inaccessible_and_machinery_are_rejected(query: str, problem: str) -> None:
    found = errors(query)
    assert len(found) == 1, found
    assert found[0].startswith(problem), found


def test_introspection_does_not_see_removed_types() -> None:
    result = execute_here(
        api(),
        parse(
            """
            {
              graph: __type(name: "join__Graph") { name }
              secret: __type(name: "Secret") { name }
              format: __type(name: "Format") { enumValues(includeDeprecated: true) { name } }
            }
            """
        ),
    )
    assert result.errors is None
    assert result.data == {
        "graph": None,
        "secret": None,
        "format": {"enumValues": [{"name": "PAPER"}, {"name": "EBOOK"}, {"name": "CASSETTE"}]},
    }
