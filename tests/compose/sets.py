"""Subgraph sets for the differential composition tests.

``FIXTURE_SETS`` reuses the planner's and the end-to-end tests' subgraphs (their checked-in
supergraphs are the reference composer's output for them); ``VALID_SETS`` and
``INVALID_SETS`` are written here for what those do not cover: Federation 1 subgraphs,
renamed imports, merge rules, ``@inaccessible`` and ``@tag``, and one set per composition
error. ``INVALID_SETS`` maps each set to the error codes it must produce.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.e2e.harness import served_sdl
from tests.support.composed import composed_supergraph_text

__all__ = ["FIXTURE_SETS", "INVALID_SETS", "VALID_SETS", "fixture_supergraph"]

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent


def _fixture_sets() -> dict[str, dict[str, str]]:
    sets: dict[str, dict[str, str]] = {}
    for path in sorted((TESTS / "planner").glob("test_*.py")):
        module = importlib.import_module(f"tests.planner.{path.stem}")
        subgraphs = getattr(module, "SUBGRAPHS", None)
        if subgraphs is not None:
            sets[f"planner/{path.stem.removeprefix('test_')}"] = dict(subgraphs)
    for path in sorted((TESTS / "e2e").glob("test_*.py")):
        module = importlib.import_module(f"tests.e2e.{path.stem}")
        schemas = getattr(module, "SCHEMAS", None)
        if schemas is not None:
            sdls = {name: served_sdl(schema) for name, schema in schemas.items()}
            sets[f"e2e/{path.stem.removeprefix('test_')}"] = sdls
    return sets


def fixture_supergraph(name: str) -> str:
    """The checked-in reference supergraph of fixture set ``name`` (``planner/keys``); it
    fails when the fixture is stale, like the planner's and end-to-end tests do."""
    folder, stem = name.split("/")
    return composed_supergraph_text(TESTS / folder / "supergraphs", stem, FIXTURE_SETS[name])


FIXTURE_SETS = _fixture_sets()

_FED2 = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.{minor}", import: {imports})'
)


def fed2(imports: str, minor: int = 3) -> str:
    """The federation ``@link`` of a Federation 2 subgraph."""
    return _FED2.format(minor=minor, imports=imports)


VALID_SETS: dict[str, dict[str, str]] = {
    "demo": {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "schema" / "demo").glob("*.graphql"))
        if path.stem != "supergraph"
    },
    "fed1/extensions": {
        "accounts": """
            type Query { me: User }
            type User @key(fields: "id") { id: ID! name: String username: String }
            type Money { amount: Int currency: String }
        """,
        "reviews": """
            extend type Query { topReviews(first: Int = 5): [Review] }
            type Review @key(fields: "id") {
              id: ID! body: String author: User @provides(fields: "username")
              product: Product
            }
            extend type User @key(fields: "id") {
              id: ID! @external username: String @external reviews: [Review]
            }
            extend type Product @key(fields: "upc") { upc: String! @external }
            type Money { amount: Int currency: String }
        """,
        "products": """
            extend type Query { topProducts: [Product] }
            type Product @key(fields: "upc") {
              upc: String! name: String price: Money weight: Int
            }
            type Money { amount: Int currency: String }
        """,
        "inventory": """
            extend type Product @key(fields: "upc") {
              upc: String! @external weight: Int @external price: Money @external
              inStock: Boolean shippingEstimate: Int @requires(fields: "weight")
            }
            type Money { amount: Int currency: String }
        """,
    },
    "fed1/extends_directive": {
        "a": """
            type Query { books: [Book] }
            type Book @key(fields: "isbn") { isbn: String! title: String }
        """,
        "b": """
            type Book @extends @key(fields: "isbn") {
              isbn: String! @external
              reviews: [String]
            }
        """,
    },
    "fed1/mixed_with_fed2": {
        "legacy": """
            type Query { stores: [Store] }
            type Store @key(fields: "id") { id: ID! name: String address: Address }
            type Address { street: String city: String }
        """,
        "modern": f"""
            {fed2('["@key", "@shareable"]')}
            type Store @key(fields: "id") {{ id: ID! rating: Float address: Address @shareable }}
            type Address @shareable {{ street: String city: String }}
        """,
    },
    "fed2/renamed_imports": {
        "catalog": f"""
            {fed2('[{name: "@key", as: "@primaryKey"}, {name: "@shareable", as: "@shared"}]')}
            type Query {{ product(id: ID!): Product @shared }}
            type Product @primaryKey(fields: "id") {{ id: ID! name: String @shared }}
        """,
        "prices": f"""
            {fed2('["@external"]')}
            type Query {{ product(id: ID!): Product @federation__shareable }}
            type Product @federation__key(fields: "id") {{
              id: ID! name: String @federation__shareable price: Int
            }}
        """,
        "stock": """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [])
            type Product @federation__key(fields: "id") {
              id: ID! stock: Int @federation__inaccessible
              available: Boolean
            }
        """,
    },
    "fed2/root_type_names": {
        "a": f"""
            {fed2('["@key"]')}
            schema {{ query: RootQuery mutation: RootMutation }}
            type RootQuery {{ user(id: ID!): User }}
            type RootMutation {{ rename(id: ID!, name: String!): User }}
            type User @key(fields: "id") {{ id: ID! name: String }}
        """,
        "b": f"""
            {fed2('["@key"]')}
            type Query {{ users: [User] }}
            type User @key(fields: "id") {{ id: ID! email: String }}
        """,
    },
    "fed2/inaccessible_and_tags": {
        "people": f"""
            {fed2('["@key", "@tag", "@inaccessible", "@shareable"]')}
            type Query @tag(name: "public") {{
              person(id: ID!, debug: Boolean @inaccessible): Person @tag(name: "public")
              internal: Audit @inaccessible
            }}
            type Person @key(fields: "id") @tag(name: "entity") {{
              id: ID! name: String @tag(name: "pii") nik: String @inaccessible
              status: Status
            }}
            type Audit @inaccessible {{ at: String }}
            enum Status @tag(name: "enum") {{ ACTIVE MOVED @inaccessible DECEASED }}
            input PersonFilter {{ name: String nik: String @inaccessible }}
            extend type Query {{ people(filter: PersonFilter): [Person] }}
        """,
        "family": f"""
            {fed2('["@key", "@tag"]')}
            type Person @key(fields: "id") {{
              id: ID! householdHead: Boolean @tag(name: "household")
            }}
            scalar Nik @tag(name: "scalar")
        """,
    },
    "fed2/enums": {
        "a": f"""
            {fed2('["@shareable"]')}
            type Query {{
              status: Status @shareable
              search(kind: Kind, order: Order): [String]
              sorted(order: Order): Order
            }}
            enum Status {{ OPEN CLOSED }}
            enum Kind {{ PERSON PLACE THING }}
            enum Order {{ ASC DESC }}
        """,
        "b": f"""
            {fed2('["@shareable"]')}
            type Query {{ status: Status @shareable find(kind: Kind): [String] }}
            enum Status {{ OPEN ARCHIVED }}
            enum Kind {{ PERSON PLACE }}
            enum Order {{ ASC DESC }}
        """,
    },
    "fed2/inputs_and_arguments": {
        "a": f"""
            {fed2('["@shareable"]')}
            type Query {{
              search(filter: Filter, first: Int = 10, after: String): [String] @shareable
              count(filter: Filter): Int
            }}
            input Filter {{ text: String region: String limit: Int = 5 exact: Boolean }}
        """,
        "b": f"""
            {fed2('["@shareable"]')}
            type Query {{ search(filter: Filter, first: Int! = 10): [String] @shareable }}
            input Filter {{ text: String region: String! limit: Int = 5 }}
        """,
    },
    "fed2/field_types": {
        "a": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ books: [Book] }}
            interface Node {{ id: ID! }}
            type Book implements Node @key(fields: "id") {{
              id: ID! title: String! @shareable tags: [String!]! @shareable
              related: Node @shareable sequel: Book! @shareable
            }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable"]')}
            interface Node {{ id: ID! }}
            type Book implements Node @key(fields: "id") {{
              id: ID! title: String @shareable tags: [String] @shareable
              related: Book @shareable sequel: Book @shareable
            }}
        """,
    },
    "fed2/descriptions": {
        "a": f'''
            {fed2('["@key"]')}
            """The root of the city graph."""
            type Query {{
              "A permit by number."
              permit("The permit number." number: String!): Permit
            }}
            """A building permit (IMB)."""
            type Permit @key(fields: "number") {{
              number: String!
              issued: Date
              kind: PermitKind @deprecated(reason: "Use category.")
              category: String
            }}
            """A calendar date, ISO 8601."""
            scalar Date @specifiedBy(url: "https://www.iso.org/iso-8601-date-and-time-format.html")
            enum PermitKind {{
              "Residential." HOUSE
              SHOP @deprecated
            }}
        ''',
        "b": f"""
            {fed2('["@key"]')}
            type Permit @key(fields: "number") {{ number: String! fee: Int }}
        """,
    },
    "fed2/unions_and_interfaces": {
        "a": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ search: [Result] @shareable places: [Place] }}
            union Result = School | Clinic
            interface Place {{ id: ID! name: String }}
            type School implements Place @key(fields: "id") {{ id: ID! name: String pupils: Int }}
            type Clinic implements Place @key(fields: "id") {{ id: ID! name: String beds: Int }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ search: [Result] @shareable }}
            union Result = School | Market
            type School @key(fields: "id") {{ id: ID! accreditation: String }}
            type Market @key(fields: "id") {{ id: ID! stalls: Int }}
        """,
    },
    "fed2/interface_keys_and_objects": {
        "media": f"""
            {fed2('["@key"]')}
            type Query {{ media: [Media] }}
            interface Media @key(fields: "id") {{ id: ID! title: String }}
            type Song implements Media @key(fields: "id") {{ id: ID! title: String length: Int }}
            type Podcast implements Media @key(fields: "id") {{
              id: ID! title: String host: String
            }}
        """,
        "ratings": f"""
            {fed2('["@key", "@interfaceObject"]')}
            type Media @key(fields: "id") @interfaceObject {{ id: ID! stars: Int }}
        """,
        "plays": f"""
            {fed2('["@key", "@interfaceObject"]')}
            type Query {{ trending: [Media] }}
            type Media @key(fields: "id") @interfaceObject {{ id: ID! plays: Int }}
        """,
    },
    "fed2/override_variants": {
        "old": f"""
            {fed2('["@key", "@shareable"]', minor=7)}
            type Query {{ invoices: [Invoice] }}
            type Invoice @key(fields: "id") @key(fields: "number") {{
              id: ID! number: String! amount: Int status: String
            }}
        """,
        "new": f"""
            {fed2('["@key", "@override"]', minor=7)}
            type Invoice @key(fields: "id") {{
              id: ID!
              number: String! @override(from: "old")
              amount: Int @override(from: "old", label: "percent(20)")
              due: String @override(from: "gone")
            }}
        """,
    },
    "fed2/requires_provides_nested": {
        "orders": f"""
            {fed2('["@key", "@external", "@requires", "@provides"]')}
            type Query {{ orders: [Order] }}
            type Order @key(fields: "id") {{
              id: ID! buyer: Buyer @provides(fields: "name address {{ city }}")
              items: [Item] @external
              total: Int @requires(fields: "items {{ price quantity }}")
            }}
            type Buyer @key(fields: "id") {{
              id: ID! name: String @external address: Address @external
            }}
            type Address {{ city: String @external }}
            type Item {{ price: Int @external quantity: Int @external }}
        """,
        "carts": f"""
            {fed2('["@key", "@shareable"]')}
            type Order @key(fields: "id") {{ id: ID! items: [Item] }}
            type Item @shareable {{ price: Int quantity: Int sku: String }}
        """,
        "people": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ buyers: [Buyer] }}
            type Buyer @key(fields: "id") {{ id: ID! name: String address: Address }}
            type Address @shareable {{ city: String street: String }}
        """,
    },
    "fed2/mutation_and_subscription": {
        "a": f"""
            {fed2('["@key"]')}
            type Query {{ ticket(id: ID!): Ticket }}
            type Mutation {{ openTicket(title: String!): Ticket }}
            type Subscription {{ ticketOpened: Ticket }}
            type Ticket @key(fields: "id") {{ id: ID! title: String }}
        """,
        "b": f"""
            {fed2('["@key"]')}
            type Mutation {{ closeTicket(id: ID!): Ticket }}
            type Ticket @key(fields: "id") {{ id: ID! closedAt: String }}
        """,
    },
    "fed2/graph_names": {
        "dinas-kesehatan": f"""
            {fed2('["@key"]')}
            type Query {{ clinics: [Clinic] }}
            type Clinic @key(fields: "id") {{ id: ID! name: String }}
        """,
        "2nd.registry": f"""
            {fed2('["@key"]')}
            type Clinic @key(fields: "id") {{ id: ID! licensed: Boolean }}
        """,
    },
    "fed2/provides_on_interface_and_union": {
        "a": f"""
            {fed2('["@key", "@external", "@provides", "@shareable"]')}
            type Query {{
              feed: [Item] @provides(fields: "... on Post {{ title }}")
              latest: Node
            }}
            union Item = Post | Photo
            interface Node {{ id: ID! }}
            type Post implements Node @key(fields: "id") {{ id: ID! title: String @external }}
            type Photo @key(fields: "id") {{ id: ID! }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable"]')}
            interface Node {{ id: ID! }}
            type Post implements Node @key(fields: "id") {{ id: ID! title: String body: String }}
            type Photo @key(fields: "id") {{ id: ID! url: String }}
        """,
    },
    "fed2/requires_with_arguments": {
        "a": f"""
            {fed2('["@key", "@external", "@requires"]')}
            type Query {{ trips: [Trip] }}
            type Trip @key(fields: "id") {{
              id: ID! distance(unit: String = "km"): Float @external
              fare: Int @requires(fields: "distance(unit: \\"km\\")")
            }}
        """,
        "b": f"""
            {fed2('["@key"]')}
            type Trip @key(fields: "id") {{ id: ID! distance(unit: String = "km"): Float }}
        """,
    },
    "fed2/resolvable_false_and_shareable_external": {
        "a": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ orders: [Order] }}
            type Order @key(fields: "id") {{ id: ID! customer: Customer }}
            type Customer @key(fields: "id", resolvable: false) {{ id: ID! }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ customer(id: ID!): Customer }}
            type Customer @key(fields: "id") {{ id: ID! name: String tier: Tier @shareable }}
            type Tier @shareable {{ name: String level: Int }}
        """,
        "c": f"""
            {fed2('["@key", "@shareable"]')}
            type Customer @key(fields: "id") {{ id: ID! tier: Tier @shareable }}
            type Tier @shareable {{ name: String discount: Int }}
        """,
    },
    "fed2/interfaces_implementing_interfaces": {
        "a": f"""
            {fed2('["@key"]')}
            type Query {{ nodes: [Node] }}
            interface Node {{ id: ID! }}
            interface Named implements Node {{ id: ID! name: String }}
            type Office implements Named & Node @key(fields: "id") {{ id: ID! name: String }}
        """,
        "b": f"""
            {fed2('["@key"]')}
            interface Node {{ id: ID! }}
            type Office implements Node @key(fields: "id") {{ id: ID! floor: Int }}
            type Desk implements Node @key(fields: "id") {{ id: ID! }}
            type Query {{ desks: [Desk] }}
        """,
    },
    "fed1/value_types_and_interfaces": {
        "a": """
            type Query { vehicles: [Vehicle] }
            interface Vehicle { id: ID! wheels: Int }
            type Car implements Vehicle @key(fields: "id") { id: ID! wheels: Int plate: Plate }
            type Plate { number: String region: String }
        """,
        "b": """
            extend type Car @key(fields: "id") {
              id: ID! @external registeredTo: String plate: Plate
            }
            type Plate { number: String region: String }
            extend type Query { car(id: ID!): Car }
        """,
    },
    "fed2/inaccessible_type_and_members": {
        "a": f"""
            {fed2('["@key", "@inaccessible", "@shareable"]')}
            type Query {{ search: [Result] @shareable legacy: Int @inaccessible }}
            union Result = Shop | Secret
            type Shop @key(fields: "id") {{ id: ID! name: String }}
            type Secret @inaccessible {{ code: String }}
            enum Visibility {{ PUBLIC INTERNAL @inaccessible }}
            type Mutation {{ publish(v: Visibility): Visibility }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ search: [Result] @shareable }}
            union Result = Shop
            type Shop @key(fields: "id") {{ id: ID! rating: Int }}
        """,
    },
    "fed2/override_shareable_and_keys": {
        "a": f"""
            {fed2('["@key", "@shareable"]', minor=7)}
            type Query {{ accounts: [Account] @shareable }}
            type Account @key(fields: "id") {{ id: ID! balance: Int @shareable owner: String }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable", "@override"]', minor=7)}
            type Query {{ accounts: [Account] @shareable }}
            type Account @key(fields: "id") {{
              id: ID!
              balance: Int @shareable @override(from: "a")
              owner: String @override(from: "a", label: "beta")
            }}
        """,
    },
    "fed2/type_level_shareable_and_external": {
        "a": f"""
            {fed2('["@key", "@shareable", "@external", "@requires"]')}
            type Query {{ rooms: [Room] }}
            type Room @key(fields: "id") {{
              id: ID! size: Size @external area: Int @requires(fields: "size {{ w h }}")
            }}
            type Size @external {{ w: Int h: Int }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable"]')}
            type Room @key(fields: "id") {{ id: ID! size: Size }}
            type Size @shareable {{ w: Int h: Int d: Int }}
        """,
    },
    "fed1/provides_and_requires": {
        "users": """
            type Query { me: User }
            type User @key(fields: "id") { id: ID! name: String email: String }
        """,
        "posts": """
            type Post @key(fields: "id") { id: ID! author: User @provides(fields: "name") }
            extend type User @key(fields: "id") {
              id: ID! @external name: String @external posts: [Post]
            }
            extend type Query { posts: [Post] }
        """,
        "stats": """
            extend type User @key(fields: "id") {
              id: ID! @external email: String @external
              emailDomain: String @requires(fields: "email")
            }
        """,
    },
    "fed1/composite_keys_and_interface_extensions": {
        "a": """
            type Query { items: [Item] }
            type Item @key(fields: "id sku") @key(fields: "upc") {
              id: ID! sku: String! upc: String! name: String
            }
            interface Thing { id: ID! }
        """,
        "b": """
            extend type Item @key(fields: "id sku") {
              id: ID! @external sku: String! @external price: Int
            }
            extend interface Thing { id: ID! }
            type Gadget implements Thing { id: ID! }
            extend type Query { gadgets: [Gadget] }
        """,
    },
    "fed2/unused_enums": {
        "a": f"""
            {fed2("[]")}
            type Query {{ a: Int }}
            enum Unused {{ X Y }}
        """,
        "b": f"""
            {fed2("[]")}
            type Query {{ b: Int }}
            enum Unused {{ Y Z }}
        """,
    },
    "fed2/key_field_nullability": {
        "a": f"""
            {fed2('["@key"]')}
            type Query {{ things: [Thing] }}
            type Thing @key(fields: "id") {{ id: ID! a: Int }}
        """,
        "b": f"""
            {fed2('["@key"]')}
            type Thing @key(fields: "id") {{ id: ID b: Int }}
        """,
    },
    "fed2/extends_directive": {
        "a": f"""
            {fed2('["@key", "@extends", "@external"]')}
            type Query {{ x: Thing }}
            type Thing @extends @key(fields: "id") {{ id: ID! @external y: Int }}
        """,
        "b": f"""
            {fed2('["@key"]')}
            type Thing @key(fields: "id") {{ id: ID! z: Int }}
        """,
    },
    "fed2/union_members_per_subgraph": {
        "a": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ thing: U @shareable }}
            union U = A | B
            type A @key(fields: "id") {{ id: ID! }}
            type B {{ x: Int }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ thing: U @shareable }}
            union U = A
            type A @key(fields: "id") {{ id: ID! extra: String }}
        """,
    },
    "fed2/argument_intersection": {
        "a": f"""
            {fed2('["@shareable"]')}
            type Query {{
              list(first: Int = 10 @deprecated(reason: "no"), "Cursor" after: String): [Int]
                @shareable
            }}
        """,
        "b": f"""
            {fed2('["@shareable"]')}
            type Query {{ list(first: Int = 10, after: String, last: Int): [Int] @shareable }}
        """,
    },
}

INVALID_SETS: dict[str, tuple[dict[str, str], set[str]]] = {
    "invalid_field_sharing": (
        {
            "a": f"""
                {fed2('["@key"]')}
                type Query {{ user(id: ID!): User }}
                type User @key(fields: "id") {{ id: ID! name: String }}
            """,
            "b": f"""
                {fed2('["@key"]')}
                type User @key(fields: "id") {{ id: ID! name: String }}
            """,
        },
        {"INVALID_FIELD_SHARING"},
    ),
    "field_type_mismatch": (
        {
            "a": f"""
                {fed2('["@shareable"]')}
                type Query {{ count: Int @shareable }}
            """,
            "b": f"""
                {fed2('["@shareable"]')}
                type Query {{ count: String @shareable }}
            """,
        },
        {"FIELD_TYPE_MISMATCH"},
    ),
    "external_missing_on_base": (
        {
            "a": f"""
                {fed2('["@key", "@external", "@requires"]')}
                type Query {{ parcels: [Parcel] }}
                type Parcel @key(fields: "id") {{
                  id: ID! weight: Int @external cost: Int @requires(fields: "weight")
                }}
            """,
            "b": f"""
                {fed2('["@key"]')}
                type Parcel @key(fields: "id") {{ id: ID! size: Int }}
            """,
        },
        {"EXTERNAL_MISSING_ON_BASE"},
    ),
    "key_fields_select_invalid_type": (
        {
            "a": f"""
                {fed2('["@key"]')}
                type Query {{ things: [Thing] }}
                interface Owner {{ id: ID! }}
                type Person implements Owner {{ id: ID! }}
                type Thing @key(fields: "owner {{ id }}") {{ owner: Owner name: String }}
            """,
        },
        {"KEY_FIELDS_SELECT_INVALID_TYPE"},
    ),
    "key_invalid_fields": (
        {
            "a": f"""
                {fed2('["@key"]')}
                type Query {{ shops: [Shop] }}
                type Shop @key(fields: "code") {{ id: ID! name: String }}
            """,
        },
        {"KEY_INVALID_FIELDS"},
    ),
    "requires_fields_missing_external": (
        {
            "a": f"""
                {fed2('["@key", "@requires"]')}
                type Query {{ parcels: [Parcel] }}
                type Parcel @key(fields: "id") {{
                  id: ID! weight: Int cost: Int @requires(fields: "weight")
                }}
            """,
        },
        {"REQUIRES_FIELDS_MISSING_EXTERNAL"},
    ),
    "provides_fields_missing_external": (
        {
            "a": f"""
                {fed2('["@key", "@provides"]')}
                type Query {{ reviews: [Review] }}
                type Review {{ author: User @provides(fields: "name") }}
                type User @key(fields: "id") {{ id: ID! name: String }}
            """,
        },
        {"PROVIDES_FIELDS_MISSING_EXTERNAL"},
    ),
    "type_kind_mismatch": (
        {
            "a": f"""
                {fed2('["@shareable"]')}
                type Query {{ level: Level @shareable }}
                enum Level {{ LOW HIGH }}
            """,
            "b": f"""
                {fed2('["@shareable"]')}
                type Query {{ level: Level @shareable }}
                type Level {{ value: Int }}
            """,
        },
        {"TYPE_KIND_MISMATCH"},
    ),
    "enum_value_mismatch": (
        {
            "a": f"""
                {fed2("[]")}
                type Query {{ permits(status: Status): [Status] }}
                enum Status {{ DRAFT ISSUED REVOKED }}
            """,
            "b": f"""
                {fed2("[]")}
                type Query {{ latest: Status }}
                enum Status {{ DRAFT ISSUED }}
            """,
        },
        {"ENUM_VALUE_MISMATCH"},
    ),
    "empty_merged_enum_type": (
        {
            "a": f"""
                {fed2("[]")}
                type Query {{ find(level: Level): Int }}
                enum Level {{ LOW }}
            """,
            "b": f"""
                {fed2("[]")}
                type Query {{ other(level: Level): Int }}
                enum Level {{ HIGH }}
            """,
        },
        {"EMPTY_MERGED_ENUM_TYPE"},
    ),
    "required_argument_missing": (
        {
            "a": f"""
                {fed2('["@shareable"]')}
                type Query {{ search(text: String!, page: Int): [String] @shareable }}
            """,
            "b": f"""
                {fed2('["@shareable"]')}
                type Query {{ search(page: Int): [String] @shareable }}
            """,
        },
        {"REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH"},
    ),
    "required_input_field_missing": (
        {
            "a": f"""
                {fed2("[]")}
                type Query {{ a(filter: Filter): Int }}
                input Filter {{ region: String! text: String }}
            """,
            "b": f"""
                {fed2("[]")}
                type Query {{ b(filter: Filter): Int }}
                input Filter {{ text: String }}
            """,
        },
        {"REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"},
    ),
    "override_from_self": (
        {
            "a": f"""
                {fed2('["@key", "@override"]')}
                type Query {{ bills: [Bill] }}
                type Bill @key(fields: "id") {{ id: ID! total: Int @override(from: "a") }}
            """,
        },
        {"OVERRIDE_FROM_SELF_ERROR"},
    ),
    "no_queries": (
        {
            "a": f"""
                {fed2('["@key"]')}
                type Bill @key(fields: "id") {{ id: ID! total: Int }}
            """,
        },
        {"NO_QUERIES"},
    ),
    "invalid_graphql": (
        {
            "a": "type Query { bills: [Bill }",
            "b": f"""
                {fed2("[]")}
                type Query {{ other: Unknown }}
            """,
        },
        {"INVALID_GRAPHQL"},
    ),
    "several_errors": (
        {
            "a": f"""
                {fed2('["@key"]')}
                type Query {{ user(id: ID!): User count: Int }}
                type User @key(fields: "id") {{ id: ID! name: String }}
            """,
            "b": f"""
                {fed2('["@key"]')}
                type Query {{ count: String }}
                type User @key(fields: "id") {{ id: ID! name: String }}
            """,
        },
        {"INVALID_FIELD_SHARING", "FIELD_TYPE_MISMATCH"},
    ),
    "external_unused": (
        {
            "a": f"""
                {fed2('["@key", "@external"]')}
                type Query {{ parcels: [Parcel] }}
                type Parcel @key(fields: "id") {{ id: ID! weight: Int @external }}
            """,
            "b": f"""
                {fed2('["@key"]')}
                type Parcel @key(fields: "id") {{ id: ID! weight: Int }}
            """,
        },
        {"EXTERNAL_UNUSED"},
    ),
    "key_fields_has_args": (
        {
            "a": f"""
                {fed2('["@key"]')}
                type Query {{ rooms: [Room] }}
                type Room @key(fields: "code") {{ code(lang: String): String }}
            """,
        },
        {"KEY_FIELDS_HAS_ARGS"},
    ),
    "provides_on_non_object_field": (
        {
            "a": f"""
                {fed2('["@key", "@provides"]')}
                type Query {{ name: String @provides(fields: "length") }}
            """,
        },
        {"PROVIDES_ON_NON_OBJECT_FIELD"},
    ),
    "override_source_has_override": (
        {
            "a": f"""
                {fed2('["@key", "@override"]')}
                type Query {{ bills: [Bill] }}
                type Bill @key(fields: "id") {{ id: ID! total: Int @override(from: "b") }}
            """,
            "b": f"""
                {fed2('["@key", "@override"]')}
                type Bill @key(fields: "id") {{ id: ID! total: Int @override(from: "a") }}
            """,
        },
        {"OVERRIDE_SOURCE_HAS_OVERRIDE"},
    ),
    "errors_in_several_subgraphs": (
        {
            "a": f"""
                {fed2('["@key", "@requires"]')}
                type Query {{ parcels: [Parcel] }}
                type Parcel @key(fields: "code") {{
                  id: ID! weight: Int cost: Int @requires(fields: "weight")
                }}
            """,
            "b": f"""
                {fed2('["@key", "@override"]')}
                type Parcel @key(fields: "id") {{ id: ID! size: Int @override(from: "b") }}
            """,
        },
        {"KEY_INVALID_FIELDS", "REQUIRES_FIELDS_MISSING_EXTERNAL", "OVERRIDE_FROM_SELF_ERROR"},
    ),
}

# Sets that merge cleanly but hold fields no query plan can reach.
_CONTEXT = '["@key", "@shareable", "@context", "@fromContext"]'

VALID_SETS |= {
    "context_in_two_subgraphs": {
        "opd": f"""
            {fed2(_CONTEXT, 8)}
            type Query {{ opd: [Opd] }}
            type Opd @key(fields: "kode") @context(name: "skpd") {{
              kode: String! @shareable
              programs: [Program] @shareable
            }}
            type Program @key(fields: "id") {{ id: ID! nama: String }}
        """,
        "anggaran": f"""
            {fed2(_CONTEXT, 8)}
            type Opd @key(fields: "kode") @context(name: "skpd") {{
              kode: String! @shareable
              programs: [Program] @shareable
            }}
            type Program @key(fields: "id") {{
              id: ID!
              pagu(kodeSkpd: String @fromContext(field: "$skpd {{ kode }}"), tahun: Int): Int
            }}
        """,
    },
}

INVALID_SETS |= {
    "context_not_set": (
        {
            "anggaran": f"""
                {fed2(_CONTEXT, 8)}
                type Query {{ program: Program }}
                type Program @key(fields: "id") {{
                  id: ID!
                  pagu(kodeSkpd: String @fromContext(field: "$skpd {{ kode }}")): Int
                }}
            """,
        },
        {"CONTEXT_NOT_SET"},
    ),
}

INVALID_SETS |= {
    "unreachable_value_type_field": (
        {
            "a": f"""
                {fed2('["@shareable"]')}
                type Query {{ sekolah: Sekolah }}
                type Sekolah @shareable {{ npsn: String! }}
            """,
            "b": f"""
                {fed2('["@shareable"]')}
                type Query {{ semua: [Sekolah!]! }}
                type Sekolah @shareable {{ npsn: String! akreditasi: String }}
            """,
        },
        {"SATISFIABILITY_ERROR"},
    ),
    "unreachable_through_unresolvable_key": (
        {
            "a": f"""
                {fed2('["@key"]')}
                type Query {{ izin: Izin }}
                type Izin @key(fields: "nomor") {{ nomor: String! usaha: Usaha }}
                type Usaha @key(fields: "nib", resolvable: false) {{ nib: String! }}
            """,
            "b": f"""
                {fed2('["@key"]')}
                type Query {{ jumlahUsaha: Int }}
                type Usaha @key(fields: "nib", resolvable: false) {{ nib: String! nama: String }}
            """,
        },
        {"SATISFIABILITY_ERROR"},
    ),
    "unreachable_key_not_selectable": (
        {
            "a": f"""
                {fed2('["@key"]')}
                type Query {{ opd: Opd }}
                type Opd @key(fields: "kode") {{ kode: String! }}
            """,
            "b": f"""
                {fed2('["@key"]')}
                type Query {{ tahun: Int }}
                type Opd @key(fields: "id") {{ id: ID! anggaran: Int }}
            """,
        },
        {"SATISFIABILITY_ERROR"},
    ),
    "unreachable_under_a_mutation": (
        {
            "a": f"""
                {fed2('["@shareable"]')}
                type Query {{ ok: Boolean }}
                type Mutation {{ ajukan: Hasil }}
                type Hasil @shareable {{ nomor: String }}
            """,
            "b": f"""
                {fed2('["@shareable"]')}
                type Query {{ hasil: Hasil }}
                type Hasil @shareable {{ nomor: String status: String }}
            """,
        },
        {"SATISFIABILITY_ERROR"},
    ),
}

# Sets whose fields are reachable only through a chain of keys, @requires or @provides:
# the satisfiability check must accept them.
VALID_SETS |= {
    "reachable_through_a_key_chain": {
        "a": f"""
            {fed2('["@key"]')}
            type Query {{ sekolah: Sekolah }}
            type Sekolah @key(fields: "npsn") {{ npsn: String! }}
        """,
        "b": f"""
            {fed2('["@key"]')}
            type Sekolah @key(fields: "npsn") @key(fields: "id") {{ npsn: String! id: ID! }}
        """,
        "c": f"""
            {fed2('["@key"]')}
            type Query {{ tahun: Int }}
            type Sekolah @key(fields: "id") {{ id: ID! akreditasi: String }}
        """,
    },
    "reachable_with_requires_and_provides": {
        "a": f"""
            {fed2('["@key", "@external", "@provides"]')}
            type Query {{ izin: [Izin!]! }}
            type Izin @key(fields: "nomor") {{
              nomor: String!
              usaha: Usaha @provides(fields: "nama")
            }}
            type Usaha @key(fields: "nib") {{
              nib: String!
              nama: String @external
              skala: String
            }}
        """,
        "b": f"""
            {fed2('["@key", "@external", "@requires", "@shareable"]')}
            type Query {{ usaha(nib: String!): Usaha }}
            type Usaha @key(fields: "nib") {{
              nib: String!
              nama: String @shareable
              skala: String @external
              ringkasan: String @requires(fields: "skala")
            }}
        """,
    },
}

# The directives the supergraph keeps for the router: access requirements, demand control
# and composed custom directives. ``DIRECTIVE_SETS`` names the valid sets whose directive
# applications and ``@link``s must match the reference composer's one for one.
_HELLO_LINK = 'extend schema @link(url: "https://example.dev/hello/v{version}", import: {imports})'


def hello_link(imports: str = '["@hello"]', version: str = "1.0") -> str:
    """A subgraph's link to a custom spec, ``hello``."""
    return _HELLO_LINK.format(version=version, imports=imports)


_ACCESS = '["@key", "@shareable", "@authenticated", "@requiresScopes", "@policy"]'
_DEMAND = '["@key", "@shareable", "@cost", "@listSize"]'
_COMPOSE = '["@key", "@shareable", "@composeDirective"]'

DIRECTIVE_SETS = (
    "fed2/access_requirements",
    "fed2/access_requirements_prefixed",
    "fed2/demand_control",
    "fed2/demand_control_renamed",
    "fed2/composed_directives",
    "fed2/composed_directive_versions",
    "fed2/linked_spec_not_composed",
)

VALID_SETS |= {
    "fed2/access_requirements": {
        "accounts": f"""
            {fed2(_ACCESS, 6)}
            type Query {{
              me: User @authenticated
              audit: [String] @requiresScopes(scopes: [["audit"], ["admin"]])
              risk: Risk
            }}
            type User @key(fields: "id") @policy(policies: [["staff"]]) {{
              id: ID!
              email: String @shareable @requiresScopes(scopes: [["read", "mail"]])
              phone: String @shareable @requiresScopes(scopes: [["b"], ["a"]])
            }}
            enum Risk @authenticated {{ LOW HIGH }}
            scalar Secret @requiresScopes(scopes: [["x"]]) @policy(policies: [["p"]])
        """,
        "profiles": f"""
            {fed2(_ACCESS, 6)}
            type Query {{ secret: Secret }}
            type User @key(fields: "id") @authenticated @policy(policies: [["owner"]]) {{
              id: ID!
              email: String @shareable
                @requiresScopes(scopes: [["other"], ["read", "mail"]]) @policy(policies: [["q"]])
              phone: String @shareable @requiresScopes(scopes: [["d"], ["c"]])
              bio: String @authenticated
            }}
            enum Risk @policy(policies: [["risk"]]) {{ LOW HIGH }}
            scalar Secret @policy(policies: [["s"]])
        """,
    },
    "fed2/access_requirements_prefixed": {
        "a": f"""
            {fed2('["@key"]', 5)}
            type Query {{
              a: Int @federation__authenticated
              b: Int @federation__requiresScopes(scopes: [["s"]])
            }}
        """,
        "b": f"""
            {fed2('["@key", {name: "@authenticated", as: "@loggedIn"}]', 6)}
            type Query {{ c: Int @loggedIn d: Int @federation__policy(policies: [["p"]]) }}
        """,
    },
    "fed2/demand_control": {
        "catalog": f"""
            {fed2(_DEMAND, 9)}
            type Query {{
              items(first: Int @cost(weight: 2), after: String): [Item]
                @shareable @cost(weight: 5) @listSize(assumedSize: 10, slicingArguments: ["first"])
              page(first: Int, last: Int): Page @shareable
                @listSize(sizedFields: ["items"], slicingArguments: ["first"],
                          requireOneSlicingArgument: false)
            }}
            type Page @shareable {{ items: [Item] total: Int }}
            type Item @key(fields: "id") @cost(weight: 3) {{
              id: ID!
              name: String @shareable @cost(weight: 1)
            }}
            scalar Big @cost(weight: 4)
            enum Level @cost(weight: 2) {{ ONE TWO }}
            input Filter {{ level: Level @cost(weight: 7) big: Big }}
            type Mutation {{ tune(filter: Filter): Int }}
        """,
        "stock": f"""
            {fed2(_DEMAND, 9)}
            type Query {{
              items(first: Int @cost(weight: 9), after: String): [Item]
                @shareable @cost(weight: 2) @listSize(assumedSize: 20, slicingArguments: ["first"])
              page(first: Int, last: Int): Page @shareable
                @listSize(sizedFields: ["items"], slicingArguments: ["last"])
            }}
            type Page @shareable {{ items: [Item] total: Int }}
            type Item @key(fields: "id") @cost(weight: 1) {{
              id: ID!
              name: String @shareable @cost(weight: 8)
            }}
        """,
    },
    "fed2/demand_control_renamed": {
        "a": f"""
            {fed2('["@key", {name: "@cost", as: "@weight"}, {name: "@listSize", as: "@size"}]', 9)}
            type Query {{ items: [Int] @weight(weight: 5) @size(assumedSize: 3) }}
        """,
        "b": f"""
            {fed2('["@key", {name: "@cost", as: "@weight"}]', 9)}
            type Query {{ total: Int @weight(weight: 2) }}
        """,
    },
    "fed2/composed_directives": {
        "a": f"""
            {fed2(_COMPOSE, 9)}
            {hello_link('["@hello", "@audit"]')} @composeDirective(name: "@hello")
              @composeDirective(name: "@audit")
            directive @hello(name: String) repeatable on FIELD_DEFINITION | OBJECT | ENUM_VALUE
              | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | SCALAR | ENUM | INTERFACE | UNION
              | INPUT_OBJECT
            directive @audit on FIELD_DEFINITION | OBJECT
            type Query {{
              x(arg: Int @hello(name: "arg")): Int @hello(name: "a") @hello(name: "z") @audit
              t: T
              s: S
              e: E
              u: U
              n: N
            }}
            type T @key(fields: "id") @audit @hello(name: "t") {{ id: ID! }}
            scalar S @hello(name: "s")
            enum E @hello(name: "e") {{ ONE @hello(name: "one") TWO }}
            input I @hello(name: "i") {{ f: Int @hello(name: "f") }}
            interface N @hello(name: "n") {{ id: ID! }}
            union U @hello(name: "u") = T
            type Mutation {{ m(i: I): Int }}
            type Impl implements N {{ id: ID! }}
        """,
        "b": f"""
            {fed2(_COMPOSE, 9)}
            {hello_link()} @composeDirective(name: "@hello")
            directive @hello(name: String, level: Int) on FIELD_DEFINITION | OBJECT
            type T @key(fields: "id") @hello(name: "t") {{ id: ID! y: Int @hello(name: "c") }}
        """,
        "c": f"""
            {fed2(_COMPOSE, 9)}
            directive @hello(name: String) on FIELD_DEFINITION | OBJECT
            type T @key(fields: "id") @hello(name: "not composed here") {{
              id: ID!
              z: Int @hello(name: "nor here")
            }}
        """,
    },
    "fed2/composed_directive_versions": {
        "a": f"""
            {fed2(_COMPOSE, 9)}
            {hello_link('[{name: "@hello", as: "@hi"}]')} @composeDirective(name: "@hi")
            directive @hi on FIELD_DEFINITION
            type Query {{ x: Int @hi }}
        """,
        "b": f"""
            {fed2(_COMPOSE, 9)}
            {hello_link('[{name: "@hello", as: "@hi"}]', "1.2")} @composeDirective(name: "@hi")
            directive @hi on FIELD_DEFINITION | OBJECT
            type Query {{ y: Int @hi }}
        """,
    },
    "fed2/linked_spec_not_composed": {
        "a": f"""
            {fed2('["@key"]', 9)}
            {hello_link()}
            directive @hello(name: String) on FIELD_DEFINITION
            type Query {{ x: Int @hello(name: "dropped") }}
        """,
    },
}

INVALID_SETS |= {
    "auth_requirements_applied_on_interface": (
        {
            "a": f"""
                {fed2(_ACCESS, 6)}
                type Query {{ n: N }}
                interface N @policy(policies: [["p"]]) {{ id: ID! @authenticated }}
                type A implements N @key(fields: "id") {{ id: ID! }}
            """,
            "b": f"""
                {fed2('["@key", "@interfaceObject", "@requiresScopes"]', 6)}
                type O @key(fields: "id") @interfaceObject @requiresScopes(scopes: [["s"]]) {{
                  id: ID!
                }}
            """,
            "c": f"""
                {fed2('["@key"]', 6)}
                type Query {{ o: O }}
                interface O @key(fields: "id") {{ id: ID! }}
                type B implements O @key(fields: "id") {{ id: ID! }}
            """,
        },
        {"AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE"},
    ),
    "cost_applied_to_interface_field": (
        {
            "a": f"""
                {fed2(_DEMAND, 9)}
                type Query {{ n: N }}
                interface N {{ id: ID! @cost(weight: 1) f(a: Int @cost(weight: 2)): Int }}
                type A implements N {{ id: ID! f(a: Int): Int }}
            """,
        },
        {"COST_APPLIED_TO_INTERFACE_FIELD"},
    ),
    "list_size_invalid": (
        {
            "a": f"""
                {fed2(_DEMAND, 9)}
                type Query {{
                  one: Int @listSize(assumedSize: 1)
                  negative: [Int] @listSize(assumedSize: -1)
                  sliced(first: String): [Int] @listSize(slicingArguments: ["first", "nope"])
                  page: Page @listSize(sizedFields: ["total", "missing"])
                  scalar: Int @listSize(sizedFields: ["x"])
                }}
                type Page {{ items: [Int] total: Int }}
            """,
        },
        {
            "LIST_SIZE_INVALID_SIZED_FIELD",
            "LIST_SIZE_INVALID_ASSUMED_SIZE",
            "LIST_SIZE_INVALID_SLICING_ARGUMENT",
            "LIST_SIZE_APPLIED_TO_NON_LIST",
        },
    ),
    "compose_directive_undefined": (
        {
            "a": f"""
                {fed2(_COMPOSE, 9)}
                {hello_link()} @composeDirective(name: "@hello")
                type Query {{ x: Int }}
            """,
        },
        {"DIRECTIVE_COMPOSITION_ERROR"},
    ),
    "compose_directive_not_linked": (
        {
            "a": f"""
                {fed2(_COMPOSE, 9)}
                extend schema @composeDirective(name: "@hello")
                directive @hello on FIELD_DEFINITION
                type Query {{ x: Int @hello }}
            """,
        },
        {"DIRECTIVE_COMPOSITION_ERROR"},
    ),
    "compose_directive_linked_differently": (
        {
            "a": f"""
                {fed2(_COMPOSE, 9)}
                {hello_link('[{name: "@hello", as: "@hi"}]')} @composeDirective(name: "@hi")
                directive @hi on FIELD_DEFINITION
                type Query {{ x: Int @hi }}
            """,
            "b": f"""
                {fed2(_COMPOSE, 9)}
                {hello_link(version="2.0")} @composeDirective(name: "@hello")
                directive @hello on FIELD_DEFINITION
                type Query {{ y: Int @hello }}
            """,
            "c": f"""
                {fed2(_COMPOSE, 9)}
                extend schema @link(url: "https://example.dev/other/v1.0", import: ["@hi"])
                  @composeDirective(name: "@hi")
                directive @hi on FIELD_DEFINITION
                type Query {{ z: Int @hi }}
            """,
        },
        {"DIRECTIVE_COMPOSITION_ERROR"},
    ),
}

# Sets standard composers accept although some query path fails at run time or needs a
# planner that explodes interfaces through @provides: satisfiability must not refuse them.
VALID_SETS |= {
    "interface_without_implementations_behind_an_interface_object": {
        "a": f"""
            {fed2('["@key", "@interfaceObject"]')}
            interface Berkas @key(fields: "id") {{ id: ID! }}
            type Layanan @key(fields: "id", resolvable: false) @interfaceObject {{ id: ID! }}
            type Query {{ berkas: Berkas layanan: Layanan! }}
        """,
        "b": f"""
            {fed2('["@key", "@interfaceObject"]')}
            type Berkas @key(fields: "id", resolvable: false) @interfaceObject {{
              id: ID!
              judul: String
            }}
            interface Layanan @key(fields: "id") {{ id: ID! }}
            type Perizinan implements Layanan @key(fields: "id") {{ id: ID! nama: String! }}
            type Query {{ berkasB: Berkas }}
        """,
    },
    "inaccessible_enum_value_in_one_subgraph": {
        "a": f"""
            {fed2('["@key", "@shareable"]')}
            type Query {{ sekolah: [Sekolah] }}
            type Sekolah @key(fields: "npsn") {{ npsn: ID status: Status @shareable }}
            enum Status {{ NEGERI }}
        """,
        "b": f"""
            {fed2('["@key", "@inaccessible", "@shareable"]')}
            type Query {{ sekolahBerstatus(status: Status!): [Sekolah!] }}
            type Sekolah @key(fields: "npsn") {{ npsn: ID status: Status @shareable }}
            enum Status {{ SWASTA @inaccessible NEGERI }}
        """,
    },
    "provides_through_an_interface": {
        "a": f"""
            {fed2('["@key", "@shareable", "@external", "@provides"]')}
            type Query {{
              media: Media @shareable
              buku: Buku @provides(fields: "penulis {{ ... on Orang {{ nama }} }}")
            }}
            interface Media {{ id: ID! }}
            interface Pihak {{ id: ID! }}
            type Buku implements Media @key(fields: "id") {{ id: ID! penulis: [Pihak] @shareable }}
            type Orang implements Pihak @key(fields: "id") {{
              id: ID! @external
              nama: String @external
            }}
            type Lembaga implements Pihak @key(fields: "id") {{ id: ID! @external }}
        """,
        "b": f"""
            {fed2('["@key", "@shareable", "@provides", "@external"]')}
            type Query {{ media: Media @shareable @provides(fields: "penulis {{ id nama }}") }}
            interface Media {{ id: ID! penulis: [Pihak] }}
            interface Pihak {{ id: ID! nama: String }}
            type Buku implements Media {{ id: ID! @shareable penulis: [Pihak] @external }}
            type Orang implements Pihak {{ id: ID! @external nama: String @external }}
            type Lembaga implements Pihak {{ id: ID! @external nama: String @external }}
        """,
        "c": f"""
            {fed2('["@key", "@shareable"]')}
            interface Media {{ id: ID! penulis: [Pihak] }}
            interface Pihak {{ id: ID! nama: String }}
            type Buku implements Media @key(fields: "id") {{ id: ID! penulis: [Pihak] @shareable }}
            type Orang implements Pihak @key(fields: "id") {{
              id: ID!
              nama: String @shareable
              umur: Int
            }}
            type Lembaga implements Pihak @key(fields: "id") {{
              id: ID!
              nama: String @shareable
              umur: Int
            }}
        """,
    },
}
