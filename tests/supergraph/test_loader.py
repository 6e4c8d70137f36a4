"""Loading supergraphs: every join spec version from v0.2 to v0.5 loads whole; anything the
planner could not rely on is rejected with the line of the problem and a message naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import print_ast

from gateway.supergraph import (
    FieldSource,
    SubgraphName,
    Supergraph,
    SupergraphError,
    TypeKind,
    TypeMembership,
    load_supergraph,
    load_supergraph_file,
)

VERSIONS = ("0.2", "0.3", "0.4", "0.5")

# The join definitions of each version, as joinSpec.ts adds them.
_FIELD_ARGS = {
    "0.2": "graph: join__Graph!, requires: join__FieldSet, provides: join__FieldSet, "
    "type: String, external: Boolean, override: String, usedOverridden: Boolean",
    "0.3": "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, "
    "type: String, external: Boolean, override: String, usedOverridden: Boolean",
}
_FIELD_ARGS["0.4"] = _FIELD_ARGS["0.3"] + ", overrideLabel: String"
_FIELD_ARGS["0.5"] = _FIELD_ARGS["0.4"] + ", contextArguments: [join__ContextArgument!]"
_TYPE_ARGS = (
    "graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, "
    "resolvable: Boolean! = true"
)
_V03_ADDITIONS = """
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
"""
_V04_ADDITIONS = """
directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments)
  repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION
scalar join__DirectiveArguments
"""
_V05_ADDITIONS = """
input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}
scalar join__FieldValue
directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION
"""


def join_definitions(version: str) -> str:
    type_args = _TYPE_ARGS
    if version != "0.2":
        type_args += ", isInterfaceObject: Boolean! = false"
    text = f"""
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__type({type_args})
  repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__field({_FIELD_ARGS[version]})
  repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__implements(graph: join__Graph!, interface: String!)
  repeatable on OBJECT | INTERFACE
scalar join__FieldSet
"""
    if version != "0.2":
        text += _V03_ADDITIONS
    if version in ("0.4", "0.5"):
        text += _V04_ADDITIONS
    if version == "0.5":
        text += _V05_ADDITIONS
    return text


LINK_DEFINITIONS = """
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])
  repeatable on SCHEMA
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
"""


def supergraph_sdl(version: str, body: str, alias: str = "join", links: str = "") -> str:
    """A supergraph linking join ``version`` (as ``alias``) and ``links`` around ``body``."""
    links = (
        f'@link(url: "https://specs.apollo.dev/join/v{version}", for: EXECUTION'
        + (")" if alias == "join" else f', as: "{alias}")')
        + links
    )
    text = (
        f'schema @link(url: "https://specs.apollo.dev/link/v1.0") {links} {{\n'
        "  query: Query\n"
        "}\n" + LINK_DEFINITIONS + join_definitions(version) + body
    )
    return text.replace("join__", f"{alias}__")


# Types every version can express (join v0.2 has @join__implements but no union members).
BASE = """
enum join__Graph {
  ACCOUNTS @join__graph(name: "accounts", url: "http://accounts/graphql")
  INVENTORY @join__graph(name: "inventory", url: "http://inventory/graphql")
  PRODUCTS @join__graph(name: "products", url: "http://products/graphql")
  REVIEWS_V2 @join__graph(name: "reviews-v2", url: "http://reviews/graphql")
}

type Query
  @join__type(graph: ACCOUNTS)
  @join__type(graph: INVENTORY)
  @join__type(graph: PRODUCTS)
  @join__type(graph: REVIEWS_V2)
{
  me: User @join__field(graph: ACCOUNTS)
  topProducts(first: Int = 5): [Product!]! @join__field(graph: PRODUCTS)
  search(text: String!): [SearchResult!]! @join__field(graph: PRODUCTS)
}

interface Node @join__type(graph: ACCOUNTS) {
  id: ID!
}

type User implements Node
  @join__type(graph: ACCOUNTS, key: "id")
  @join__type(graph: REVIEWS_V2, key: "id", resolvable: false)
  @join__implements(graph: ACCOUNTS, interface: "Node")
{
  id: ID!
  name: String @join__field(graph: ACCOUNTS) @join__field(graph: REVIEWS_V2, external: true)
}

type Organization @join__type(graph: PRODUCTS) @join__type(graph: INVENTORY) {
  code: String!
}

type Product
  @join__type(graph: PRODUCTS, key: "upc")
  @join__type(graph: PRODUCTS, key: "sku organization { code }")
  @join__type(graph: INVENTORY, key: "upc")
  @join__type(graph: REVIEWS_V2, key: "upc", extension: true)
{
  upc: String!
  sku: String! @join__field(graph: PRODUCTS)
  organization: Organization! @join__field(graph: PRODUCTS)
  weight: Int @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS)
  shippingEstimate: Int @join__field(graph: INVENTORY, requires: "weight")
  inStock: Boolean
    @join__field(graph: INVENTORY, override: "products")
    @join__field(graph: PRODUCTS, usedOverridden: true)
  price: Int @join__field(graph: PRODUCTS, type: "Int!") @join__field(graph: INVENTORY, type: "Int")
  reviews: [Review!]! @join__field(graph: REVIEWS_V2)
}

type Review @join__type(graph: REVIEWS_V2) {
  body: String!
  author: User @join__field(graph: REVIEWS_V2, provides: "name")
}
"""

# join v0.2: a union member is in every subgraph that defines the union.
UNION_V02 = """
union SearchResult @join__type(graph: PRODUCTS) @join__type(graph: REVIEWS_V2) = Product | Review
"""

# join v0.3 and later: members per subgraph, interface objects, supergraph-only fields.
LATER = """
union SearchResult
  @join__type(graph: PRODUCTS)
  @join__type(graph: REVIEWS_V2)
  @join__unionMember(graph: PRODUCTS, member: "Product")
  @join__unionMember(graph: PRODUCTS, member: "Book")
  @join__unionMember(graph: REVIEWS_V2, member: "Review")
  = Product | Book | Review

interface Media
  @join__type(graph: PRODUCTS, key: "id")
  @join__type(graph: REVIEWS_V2, key: "id", isInterfaceObject: true)
{
  id: ID!
  title: String @join__field(graph: PRODUCTS)
  rating: Int @join__field(graph: REVIEWS_V2)
}

type Book implements Media
  @join__type(graph: PRODUCTS, key: "id")
  @join__implements(graph: PRODUCTS, interface: "Media")
{
  id: ID!
  title: String
  rating: Int @join__field
}

enum Format @join__type(graph: PRODUCTS) @join__type(graph: INVENTORY) {
  PAPER @join__enumValue(graph: PRODUCTS) @join__enumValue(graph: INVENTORY)
  EBOOK @join__enumValue(graph: PRODUCTS)
}
"""

# join v0.4 and later: progressive override and @join__directive.
V04 = """
type Deal
  @join__type(graph: PRODUCTS, key: "id")
  @join__type(graph: INVENTORY, key: "id")
  @join__directive(graphs: [PRODUCTS], name: "cacheControl", args: {maxAge: 60})
{
  id: ID!
  discount: Int
    @join__field(graph: INVENTORY, override: "products", overrideLabel: "percent(25)")
    @join__field(graph: PRODUCTS, overrideLabel: "percent(25)")
  note: String @join__field(graph: PRODUCTS)
    @join__directive(graphs: [PRODUCTS], name: "cost", args: {weight: 3})
}
"""

# join v0.5: @fromContext arguments.
V05 = """
type Store @join__type(graph: PRODUCTS, key: "id") @context(name: "PRODUCTS__store") {
  id: ID!
  locale: String! @join__field(graph: PRODUCTS)
  deal: Deal @join__field(graph: PRODUCTS)
}

extend type Deal {
  localized: String
    @join__field(
      graph: PRODUCTS
      contextArguments: [
        {context: "PRODUCTS__store", name: "locale", type: "String", selection: "{ locale }"}
      ]
    )
}
"""


def body_for(version: str) -> str:
    body = BASE + (UNION_V02 if version == "0.2" else LATER)
    if version in ("0.4", "0.5"):
        body += V04
    if version == "0.5":
        body += V05
    return body


def load(version: str, alias: str = "join") -> Supergraph:
    return load_supergraph(supergraph_sdl(version, body_for(version), alias))


def line_of(sdl: str, text: str) -> int:
    """The 1-based line of the only occurrence of ``text`` in ``sdl``."""
    assert sdl.count(text) == 1, text
    return sdl[: sdl.index(text)].count("\n") + 1


def source(s: FieldSource) -> dict[str, Any]:
    """A field source with its selections printed, defaults left out."""
    summary: dict[str, Any] = {"subgraph": s.subgraph}
    if s.external:
        summary["external"] = True
    if s.requires is not None:
        summary["requires"] = print_ast(s.requires)
    if s.provides is not None:
        summary["provides"] = print_ast(s.provides)
    if s.type is not None:
        summary["type"] = s.type
    if s.override_from is not None:
        summary["override"] = s.override_from
    if s.used_overridden:
        summary["usedOverridden"] = True
    if s.override_label is not None:
        summary["overrideLabel"] = s.override_label
    return summary


def sources(supergraph: Supergraph, type_name: str, field: str) -> list[dict[str, Any]]:
    return [source(s) for s in supergraph.types[type_name].fields[field].sources]


def flat(selection: str) -> str:
    return " ".join(selection.split())


# Every version ----------------------------------------------------------------------------


@pytest.fixture(params=VERSIONS, ids=[f"join-v{v}" for v in VERSIONS])
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_join_version_is_recorded(version: str) -> None:
    assert load(version).join_version == version


def test_subgraphs_have_their_composed_names_and_urls(version: str) -> None:
    supergraph = load(version)
    assert sorted((s.name, s.enum_value, s.url) for s in supergraph.subgraphs.values()) == [
        ("accounts", "ACCOUNTS", "http://accounts/graphql"),
        ("inventory", "INVENTORY", "http://inventory/graphql"),
        ("products", "PRODUCTS", "http://products/graphql"),
        ("reviews-v2", "REVIEWS_V2", "http://reviews/graphql"),
    ]


def test_root_types(version: str) -> None:
    assert load(version).root_types == {"query": "Query"}


def test_join_and_link_types_are_not_supergraph_types(version: str) -> None:
    types = load(version).types
    assert not [name for name in types if name.startswith(("join__", "link__"))]
    assert {"Query", "User", "Product", "Review", "SearchResult", "Node"} <= set(types)


def test_type_kinds(version: str) -> None:
    types = load(version).types
    assert types["Product"].kind is TypeKind.OBJECT
    assert types["Node"].kind is TypeKind.INTERFACE
    assert types["SearchResult"].kind is TypeKind.UNION


def test_resolvable_false_key_is_kept_and_marked(version: str) -> None:
    user = load(version).types["User"]
    assert [(k.subgraph, k.fields, k.resolvable) for k in user.keys] == [
        ("accounts", "id", True),
        ("reviews-v2", "id", False),
    ]


def test_several_keys_in_one_subgraph_and_a_composite_key(version: str) -> None:
    product = load(version).types["Product"]
    assert [(k.subgraph, k.fields) for k in product.keys] == [
        ("products", "upc"),
        ("products", "sku organization { code }"),
        ("inventory", "upc"),
        ("reviews-v2", "upc"),
    ]
    composite = product.keys[1]
    assert flat(print_ast(composite.selection)) == "{ sku organization { code } }"
    assert [k.fields for k in product.keys_in(SubgraphName("products"))] == [
        "upc",
        "sku organization { code }",
    ]


def test_memberships_one_per_subgraph_with_extension_flag(version: str) -> None:
    product = load(version).types["Product"]
    assert product.members == (
        TypeMembership(SubgraphName("products"), extension=False, is_interface_object=False),
        TypeMembership(SubgraphName("inventory"), extension=False, is_interface_object=False),
        TypeMembership(SubgraphName("reviews-v2"), extension=True, is_interface_object=False),
    )
    assert product.in_subgraph(SubgraphName("inventory"))
    assert not product.in_subgraph(SubgraphName("accounts"))


def test_field_without_join_field_is_in_every_subgraph_of_its_type(version: str) -> None:
    supergraph = load(version)
    assert sources(supergraph, "Product", "upc") == [
        {"subgraph": "products"},
        {"subgraph": "inventory"},
        {"subgraph": "reviews-v2"},
    ]
    assert sources(supergraph, "Organization", "code") == [
        {"subgraph": "products"},
        {"subgraph": "inventory"},
    ]


def test_field_types_are_unwrapped(version: str) -> None:
    query = load(version).types["Query"]
    assert query.fields["topProducts"].type_name == "Product"
    assert query.fields["search"].type_name == "SearchResult"
    assert load(version).types["Product"].fields["sku"].type_name == "String"


def test_external_and_requires(version: str) -> None:
    supergraph = load(version)
    assert sources(supergraph, "Product", "weight") == [
        {"subgraph": "inventory", "external": True},
        {"subgraph": "products"},
    ]
    assert sources(supergraph, "Product", "shippingEstimate") == [
        {"subgraph": "inventory", "requires": "{\n  weight\n}"},
    ]


def test_provides(version: str) -> None:
    supergraph = load(version)
    assert sources(supergraph, "Review", "author") == [
        {"subgraph": "reviews-v2", "provides": "{\n  name\n}"},
    ]
    assert sources(supergraph, "User", "name") == [
        {"subgraph": "accounts"},
        {"subgraph": "reviews-v2", "external": True},
    ]


def test_override_and_used_overridden(version: str) -> None:
    assert sources(load(version), "Product", "inStock") == [
        {"subgraph": "inventory", "override": "products"},
        {"subgraph": "products", "usedOverridden": True},
    ]


def test_type_of_a_field_in_each_subgraph(version: str) -> None:
    assert sources(load(version), "Product", "price") == [
        {"subgraph": "products", "type": "Int!"},
        {"subgraph": "inventory", "type": "Int"},
    ]


def test_implements_per_subgraph(version: str) -> None:
    user = load(version).types["User"]
    assert user.implements == {"accounts": frozenset({"Node"})}


def test_renamed_join_spec_loads_the_same_model(version: str) -> None:
    renamed = supergraph_sdl(version, body_for(version), alias="j")
    assert "@j__type(graph: PRODUCTS" in renamed
    assert "join__" not in renamed
    plain, aliased = load(version), load_supergraph(renamed)
    assert aliased.spec_names["join"] == "j"
    assert aliased.join_version == version
    assert aliased.subgraphs == plain.subgraphs
    assert set(aliased.types) == set(plain.types)
    for name, info in plain.types.items():
        other = aliased.types[name]
        assert other.members == info.members, name
        assert [(k.subgraph, k.fields, k.resolvable) for k in other.keys] == [
            (k.subgraph, k.fields, k.resolvable) for k in info.keys
        ], name
        assert other.implements == info.implements, name
        assert other.union_members == info.union_members, name
        for field in info.fields:
            assert sources(aliased, name, field) == sources(plain, name, field), (name, field)


def test_subgraphs_are_keyed_by_the_names_sources_use() -> None:
    supergraph = load("0.3")
    for source_ in supergraph.types["Product"].fields["price"].sources:
        assert supergraph.subgraphs[source_.subgraph].name == source_.subgraph


def test_load_supergraph_file(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(supergraph_sdl("0.3", body_for("0.3")), encoding="utf-8")
    assert load_supergraph_file(str(path)).join_version == "0.3"


def test_missing_supergraph_file() -> None:
    with pytest.raises(SupergraphError) as caught:
        load_supergraph_file("/nonexistent/supergraph.graphql")
    assert "cannot read /nonexistent/supergraph.graphql" in caught.value.message


# One version's additions ------------------------------------------------------------------


def test_v02_union_member_is_in_every_subgraph_defining_the_union() -> None:
    union = load("0.2").types["SearchResult"]
    assert union.union_members == {
        "products": frozenset({"Product", "Review"}),
        "reviews-v2": frozenset({"Product", "Review"}),
    }


@pytest.mark.parametrize("version", VERSIONS[1:])
def test_union_members_per_subgraph(version: str) -> None:
    union = load(version).types["SearchResult"]
    assert union.union_members == {
        "products": frozenset({"Product", "Book"}),
        "reviews-v2": frozenset({"Review"}),
    }


@pytest.mark.parametrize("version", VERSIONS[1:])
def test_interface_object(version: str) -> None:
    supergraph = load(version)
    media = supergraph.types["Media"]
    assert media.kind is TypeKind.INTERFACE
    assert media.is_interface_object_in(SubgraphName("reviews-v2"))
    assert not media.is_interface_object_in(SubgraphName("products"))
    assert [(k.subgraph, k.fields) for k in media.keys] == [
        ("products", "id"),
        ("reviews-v2", "id"),
    ]
    assert sources(supergraph, "Media", "rating") == [{"subgraph": "reviews-v2"}]
    book = supergraph.types["Book"]
    assert book.implements == {"products": frozenset({"Media"})}
    # A field the interface object adds to the implementations has no subgraph of its own.
    assert sources(supergraph, "Book", "rating") == []
    assert sources(supergraph, "Book", "title") == [{"subgraph": "products"}]


@pytest.mark.parametrize("version", VERSIONS[1:])
def test_enum_with_join_enum_value(version: str) -> None:
    fmt = load(version).types["Format"]
    assert fmt.kind is TypeKind.ENUM
    assert [m.subgraph for m in fmt.members] == ["products", "inventory"]


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_progressive_override_label(version: str) -> None:
    assert sources(load(version), "Deal", "discount") == [
        {"subgraph": "inventory", "override": "products", "overrideLabel": "percent(25)"},
        {"subgraph": "products", "overrideLabel": "percent(25)"},
    ]


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_join_directive_does_not_change_the_model(version: str) -> None:
    deal = load(version).types["Deal"]
    assert [m.subgraph for m in deal.members] == ["products", "inventory"]
    assert sources(load(version), "Deal", "note") == [{"subgraph": "products"}]


def test_v05_context_arguments_load() -> None:
    supergraph = load("0.5")
    assert sources(supergraph, "Deal", "localized") == [{"subgraph": "products"}]
    assert "Store" in supergraph.types
    assert "join__ContextArgument" not in supergraph.types


def test_renamed_link_spec() -> None:
    sdl = (
        supergraph_sdl("0.3", BASE + LATER)
        .replace("@link(", "@l(")
        .replace("link__", "l__")
        .replace(
            '"https://specs.apollo.dev/link/v1.0"', '"https://specs.apollo.dev/link/v1.0", as: "l"'
        )
    )
    assert "@link" not in sdl
    assert "link__" not in sdl
    supergraph = load_supergraph(sdl)
    assert supergraph.spec_names["link"] == "l"
    assert not [name for name in supergraph.types if name.startswith(("l__", "join__"))]
    assert len(supergraph.subgraphs) == 4


# Rejections -------------------------------------------------------------------------------

VALID = supergraph_sdl("0.3", BASE + LATER)


def rejected(sdl: str) -> SupergraphError:
    with pytest.raises(SupergraphError) as caught:
        load_supergraph(sdl)
    return caught.value


def test_the_valid_base_loads() -> None:
    assert load_supergraph(VALID).join_version == "0.3"


def test_syntax_error_names_line_and_column() -> None:
    sdl = VALID.replace("  sku: String! @join__field", "  sku String! @join__field")
    error = rejected(sdl)
    assert error.line == line_of(sdl, "sku String!")
    assert error.column == 7
    assert "syntax error" in error.message
    assert f"line {error.line}, column 7" in str(error)


def test_federation_1_core_supergraph_is_rejected() -> None:
    sdl = VALID.replace(
        '@link(url: "https://specs.apollo.dev/link/v1.0")',
        '@core(feature: "https://specs.apollo.dev/core/v0.1")',
    )
    error = rejected(sdl)
    assert error.line == 1
    assert "Federation 1" in error.message


def test_join_v01_is_rejected() -> None:
    sdl = VALID.replace("join/v0.3", "join/v0.1")
    error = rejected(sdl)
    assert error.line == 1
    assert "v0.1" in error.message
    assert "not supported" in error.message


def test_unknown_join_version_is_rejected() -> None:
    sdl = VALID.replace("join/v0.3", "join/v0.9")
    error = rejected(sdl)
    assert error.line == 1
    assert error.column == sdl.index('@link(url: "https://specs.apollo.dev/join') + 1
    assert "join spec v0.9 is not supported" in error.message


ACCESS_LINKS = (
    ' @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)'
    ' @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)'
    ' @link(url: "https://specs.apollo.dev/policy/v0.1", as: "grant", for: SECURITY)'
)
ACCESS_DEFINITIONS = """
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!)
  on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
scalar requiresScopes__Scope
directive @grant(policies: [[grant__Policy!]!]!)
  on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
scalar grant__Policy
"""


def test_enforced_security_specs_load_with_their_directive_names() -> None:
    supergraph = load_supergraph(
        supergraph_sdl("0.3", BASE + LATER + ACCESS_DEFINITIONS, links=ACCESS_LINKS)
    )
    names = supergraph.spec_names
    assert (names["authenticated"], names["requiresScopes"], names["policy"]) == (
        "authenticated",
        "requiresScopes",
        "grant",
    )


@pytest.mark.parametrize(
    ("link", "spec"),
    [
        ('@link(url: "https://specs.apollo.dev/context/v0.2", for: SECURITY)', "context v0.2"),
        (
            '@link(url: "https://specs.apollo.dev/authenticated/v0.2", for: SECURITY)',
            "authenticated v0.2",
        ),
        ('@link(url: "https://specs.apollo.dev/sealed/v1.0", for: SECURITY)', "sealed v1.0"),
    ],
)
def test_a_security_feature_the_gateway_does_not_enforce_is_refused(link: str, spec: str) -> None:
    sdl = supergraph_sdl("0.3", BASE + LATER, links=" " + link)
    error = rejected(sdl)
    assert error.line == 1
    assert error.column == sdl.index(link) + 1
    assert f"links {spec} for SECURITY, which this gateway does not enforce" in error.message


def test_plain_schema_is_not_a_supergraph() -> None:
    error = rejected("type Query { a: Int }")
    assert "no @link" in error.message
    assert "join" in error.message


def test_schema_without_join_link_points_at_the_schema_definition() -> None:
    sdl = VALID.replace(' @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)', "")
    assert "join/v" not in sdl
    error = rejected(sdl)
    assert "no @link" in error.message
    assert error.line == 1


def test_schema_without_join_link_names_the_problem() -> None:
    sdl = VALID.replace(' @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)', "")
    error = rejected(sdl)
    assert 'no @link(url: "https://specs.apollo.dev/join/v0.x")' in error.message


def test_graph_enum_value_without_join_graph() -> None:
    sdl = VALID.replace(
        'INVENTORY @join__graph(name: "inventory", url: "http://inventory/graphql")', "INVENTORY"
    )
    error = rejected(sdl)
    assert error.line == line_of(sdl, "  INVENTORY\n")
    assert "graph INVENTORY" in error.message
    assert "@join__graph" in error.message


def test_two_graphs_with_one_name_are_rejected() -> None:
    sdl = VALID.replace(
        'INVENTORY @join__graph(name: "inventory",', 'INVENTORY @join__graph(name: "products",'
    )
    error = rejected(sdl)
    assert error.line == line_of(sdl, "  PRODUCTS @join__graph")
    assert error.message.endswith('two graphs are named "products"')


@pytest.mark.parametrize(
    ("original", "broken"),
    [
        ('@join__type(graph: INVENTORY, key: "upc")', '@join__type(graph: STOCK, key: "upc")'),
        (
            "@join__field(graph: INVENTORY, external: true)",
            "@join__field(graph: STOCK, external: true)",
        ),
        (
            '@join__implements(graph: ACCOUNTS, interface: "Node")',
            '@join__implements(graph: STOCK, interface: "Node")',
        ),
        (
            '@join__unionMember(graph: REVIEWS_V2, member: "Review")',
            '@join__unionMember(graph: STOCK, member: "Review")',
        ),
    ],
    ids=["join__type", "join__field", "join__implements", "join__unionMember"],
)
def test_directive_naming_an_unknown_graph(original: str, broken: str) -> None:
    sdl = VALID.replace(original, broken)
    error = rejected(sdl)
    assert error.line == line_of(sdl, broken)
    assert error.column == sdl.split("\n")[error.line - 1].index(broken) + 1
    assert "unknown graph 'STOCK'" in error.message


# A key, requires or provides selecting a field its type does not have.
UNKNOWN_FIELD_SETS = pytest.mark.parametrize(
    ("original", "broken", "problem"),
    [
        (
            '@join__type(graph: INVENTORY, key: "upc")',
            '@join__type(graph: INVENTORY, key: "ean")',
            "key selects unknown field Product.ean",
        ),
        (
            "sku organization { code }",
            "sku organization { npwp }",
            "key selects unknown field Organization.npwp",
        ),
        (
            '@join__field(graph: INVENTORY, requires: "weight")',
            '@join__field(graph: INVENTORY, requires: "volume")',
            "requires of Product.shippingEstimate selects unknown field Product.volume",
        ),
        (
            '@join__field(graph: REVIEWS_V2, provides: "name")',
            '@join__field(graph: REVIEWS_V2, provides: "email")',
            "provides of Review.author selects unknown field User.email",
        ),
    ],
    ids=["key", "composite-key", "requires", "provides"],
)


@UNKNOWN_FIELD_SETS
def test_field_set_selecting_an_unknown_field(original: str, broken: str, problem: str) -> None:
    error = rejected(VALID.replace(original, broken))
    assert problem in error.message
    assert error.line is not None


@UNKNOWN_FIELD_SETS
def test_field_set_selecting_an_unknown_field_points_at_its_directive(
    original: str, broken: str, problem: str
) -> None:
    sdl = VALID.replace(original, broken)
    error = rejected(sdl)
    assert problem in error.message
    assert error.line == line_of(sdl, broken)


def test_key_error_on_a_one_line_type_names_that_line() -> None:
    sdl = VALID.replace(
        "type Organization @join__type(graph: PRODUCTS) @join",
        'type Organization @join__type(graph: PRODUCTS, key: "npwp") @join',
    )
    error = rejected(sdl)
    assert error.line == line_of(sdl, 'key: "npwp"')
    assert "key selects unknown field Organization.npwp" in error.message


def test_field_set_that_does_not_parse() -> None:
    sdl = VALID.replace('requires: "weight"', 'requires: "weight {"')
    error = rejected(sdl)
    assert error.line == line_of(sdl, 'requires: "weight {"')
    assert "invalid requires" in error.message


# Errors graphql-core finds in the SDL itself: an undefined type, an argument the linked
# join version does not have.
SDL_ERRORS = pytest.mark.parametrize(
    ("version", "original", "broken", "problem"),
    [
        ("0.3", "  body: String!\n", "  body: Markdown!\n", "Unknown type 'Markdown'"),
        ("0.3", "  query: Query\n", "  query: Root\n", "Unknown type 'Root'"),
        (
            "0.2",
            '@join__type(graph: INVENTORY, key: "upc")',
            '@join__type(graph: INVENTORY, key: "upc", isInterfaceObject: true)',
            "Unknown argument 'isInterfaceObject' on directive '@join__type'",
        ),
        (
            "0.3",
            '@join__field(graph: INVENTORY, override: "products")',
            '@join__field(graph: INVENTORY, override: "products", overrideLabel: "x")',
            "Unknown argument 'overrideLabel' on directive '@join__field'",
        ),
    ],
    ids=["field-type", "query-root", "v0.2-isInterfaceObject", "v0.3-overrideLabel"],
)


def sdl_with(version: str, original: str, broken: str) -> str:
    body = BASE + (UNION_V02 if version == "0.2" else LATER)
    sdl = supergraph_sdl(version, body)
    assert original in sdl
    return sdl.replace(original, broken)


@SDL_ERRORS
def test_invalid_sdl_is_rejected(version: str, original: str, broken: str, problem: str) -> None:
    error = rejected(sdl_with(version, original, broken))
    assert problem in error.message


@SDL_ERRORS
def test_invalid_sdl_is_rejected_at_its_line(
    version: str, original: str, broken: str, problem: str
) -> None:
    sdl = sdl_with(version, original, broken)
    error = rejected(sdl)
    assert problem in error.message
    assert error.line == line_of(sdl, broken)


def test_no_query_type_is_rejected() -> None:
    sdl = VALID.replace("  query: Query\n}", "  mutation: Query\n}")
    error = rejected(sdl)
    assert error.line == 1
    assert "Query root type" in error.message
