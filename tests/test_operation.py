"""Client documents before any subgraph is called: the document cache, operation selection,
variable coercion, and the request limits as the engine enforces them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from graphql import FieldNode, OperationDefinitionNode

import gateway.operation
from gateway.api_schema import build_api_schema
from gateway.config import EngineSettings, LimitSettings
from gateway.engine import Engine
from gateway.errors import ErrorCode, RequestError
from gateway.operation import DocumentCache, PreparedDocument, coerce_variables, select_operation
from gateway.operation_limits import OperationLimits
from gateway.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.supergraph import load_supergraph
from tests.support.fake_transport import FakeTransport

PEOPLE = "http://people/graphql"

SUPERGRAPH = load_supergraph(
    """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
{
  query: Query
  mutation: Mutation
  subscription: Subscription
}

directive @join__field(
  graph: join__Graph
  requires: join__FieldSet
  provides: join__FieldSet
  type: String
  external: Boolean
  override: String
  usedOverridden: Boolean
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__type(
  graph: join__Graph!
  key: join__FieldSet
  extension: Boolean! = false
  resolvable: Boolean! = true
  isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])
  repeatable on SCHEMA
scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }

enum join__Graph {
  PEOPLE @join__graph(name: "people", url: "http://people/graphql")
}

type Query @join__type(graph: PEOPLE) {
  person(id: ID!): Person
  people(filter: PersonFilter, first: Int = 10): [Person!]!
}

type Mutation @join__type(graph: PEOPLE) {
  rename(id: ID!, name: String!): Person
}

type Subscription @join__type(graph: PEOPLE) {
  personAdded: Person
}

type Person @join__type(graph: PEOPLE, key: "id") {
  id: ID!
  name: String
  role: Role
  friends: [Person!]!
}

enum Role @join__type(graph: PEOPLE) {
  ADMIN
  STAFF
}

input PersonFilter @join__type(graph: PEOPLE) {
  role: Role
  nameContains: String
  limit: Int = 20
}
"""
)
API_SCHEMA = build_api_schema(SUPERGRAPH)


def answer(request: dict[str, Any]) -> Any:
    """The people subgraph: every root field answers an empty value of its type."""
    query = request["query"]
    if "people" in query:
        return {"data": {"people": []}}
    if "rename" in query:
        return {"data": {"rename": None}}
    if "friends" in query:
        return {"data": {"person": friends_chain(query.count("friends{"))}}
    return {"data": {"person": None}}


def friends_chain(depth: int, level: int = 0) -> dict[str, Any]:
    """A person whose first friend has a friend, ``depth`` levels down."""
    person: dict[str, Any] = {"id": str(level)}
    if level < depth:
        person["friends"] = [friends_chain(depth, level + 1)]
    return person


def make_engine(limits: LimitSettings | None = None, **config: Any) -> tuple[Engine, FakeTransport]:
    transport = FakeTransport({PEOPLE: answer})
    return Engine(SUPERGRAPH, transport, EngineSettings(**config), limits=limits), transport


UNLIMITED_FIELDS = LimitSettings(max_fields=10**18, cost_mode="off")
"""Fragment bombs are refused by the field limit; these lift it to show what lies beneath."""


async def run(
    engine: Engine,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    method: str = "POST",
) -> GraphQLResponse:
    return await engine.execute(
        GraphQLRequest(query, operation_name=operation_name, variables=variables),
        RequestContext(method=method),
    )


def nested(depth: int) -> str:
    """A query ``depth`` levels deep, counting each field with a selection set."""
    return "{ person(id: 1) " + "{ friends " * (depth - 1) + "{ id }" + " }" * (depth - 1) + " }"


def aliased(fields: int) -> str:
    """A query of 3 tokens a field (``aN: name``) plus 10 around them."""
    return "{ person(id: 1) { " + " ".join(f"a{n}: name" for n in range(fields)) + " } }"


# Not a speed limit (benchmarks measure speed): far above what a busy CI machine needs for
# the linear work these documents take, far below what exponential or quadratic work takes.
RUNAWAY_SECONDS = 30.0


def finishes(code: str) -> None:
    """Run ``code`` in a fresh interpreter at the repository root; it must succeed before
    :data:`RUNAWAY_SECONDS`.

    A subprocess, so that work stuck in a loop is killed instead of holding up the suite.
    """
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=RUNAWAY_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def diamond(levels: int) -> str:
    """Fragments each spreading the next twice: small text, 2**levels paths through it."""
    fragments = [
        f"fragment F{i} on Person {{ friends {{ ...F{i + 1} }} ...F{i + 1} }}"
        for i in range(levels)
    ]
    fragments.append(f"fragment F{levels} on Person {{ id }}")
    return "{ person(id: 1) { ...F0 } }\n" + "\n".join(fragments)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times the document cache called graphql-core's parse and validate."""
    calls = {"parse": 0, "validate": 0}

    def counting(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(gateway.operation, "parse", counting("parse", gateway.operation.parse))
    monkeypatch.setattr(
        gateway.operation, "validate", counting("validate", gateway.operation.validate)
    )
    return calls


def only_error(response: GraphQLResponse, status: int = 400) -> dict[str, Any]:
    """The single error of a request error: no ``data`` key, the given status."""
    assert response.status == status, response.body
    assert "data" not in response.body, response.body
    assert len(response.body["errors"]) == 1, response.body
    error: dict[str, Any] = response.body["errors"][0]
    return error


def code_of(error: dict[str, Any]) -> str:
    return str(error["extensions"]["code"])


def raised(call: Callable[[], object]) -> RequestError:
    with pytest.raises(RequestError) as caught:
        call()
    return caught.value


# The document cache -----------------------------------------------------------------------


def test_same_text_is_prepared_once(counted: dict[str, int]) -> None:
    cache = DocumentCache(API_SCHEMA)
    first = cache.get("{ person(id: 1) { name } }")
    second = cache.get("{ person(id: 1) { name } }")
    assert second is first
    assert counted == {"parse": 1, "validate": 1}


def test_different_texts_are_prepared_separately(counted: dict[str, int]) -> None:
    cache = DocumentCache(API_SCHEMA)
    first = cache.get("{ person(id: 1) { name } }")
    second = cache.get("{ person(id: 1) { name }}")
    assert second is not first
    assert counted["parse"] == 2


def test_prepared_document_lists_operations_and_fragments() -> None:
    prepared = DocumentCache(API_SCHEMA).get(
        """
        query One { person(id: 1) { ...Bits } }
        query Two { people { ...Bits } }
        fragment Bits on Person { name }
        """
    )
    assert isinstance(prepared, PreparedDocument)
    assert sorted(name or "" for name in prepared.operations) == ["One", "Two"]
    assert list(prepared.fragments) == ["Bits"]


def test_syntax_error_is_cached(counted: dict[str, int]) -> None:
    cache = DocumentCache(API_SCHEMA)
    first = raised(lambda: cache.get("{ person(id: 1) { name }"))
    second = raised(lambda: cache.get("{ person(id: 1) { name }"))
    assert second is first
    assert counted["parse"] == 1


def test_validation_error_is_cached(counted: dict[str, int]) -> None:
    cache = DocumentCache(API_SCHEMA)
    first = raised(lambda: cache.get("{ person(id: 1) { age } }"))
    second = raised(lambda: cache.get("{ person(id: 1) { age } }"))
    assert second is first
    assert counted == {"parse": 1, "validate": 1}
    assert code_of(first.errors[0]) == ErrorCode.GRAPHQL_VALIDATION_FAILED


def test_least_recently_used_document_is_evicted_at_max_size(counted: dict[str, int]) -> None:
    cache = DocumentCache(API_SCHEMA, max_size=2)
    a, b, c = (f"{{ person(id: {n}) {{ name }} }}" for n in (1, 2, 3))
    kept_a = cache.get(a)
    cache.get(b)
    assert cache.get(a) is kept_a  # a is now the most recently used
    cache.get(c)  # evicts b
    assert counted["parse"] == 3
    assert cache.get(a) is kept_a
    cache.get(c)
    assert counted["parse"] == 3
    cache.get(b)  # parsed again
    assert counted["parse"] == 4


def test_cached_errors_count_towards_max_size(counted: dict[str, int]) -> None:
    cache = DocumentCache(API_SCHEMA, max_size=1)
    raised(lambda: cache.get("{"))
    cache.get("{ people { name } }")  # evicts the error
    raised(lambda: cache.get("{"))
    assert counted["parse"] == 3


# Operation selection ----------------------------------------------------------------------


def prepare(query: str) -> PreparedDocument:
    return DocumentCache(API_SCHEMA).get(query)


def test_the_only_operation_is_selected_without_a_name() -> None:
    assert select_operation(prepare("{ people { name } }"), None).name is None
    assert select_operation(prepare("query Q { people { name } }"), None).name is not None


def test_operation_selected_by_name() -> None:
    prepared = prepare("query A { people { name } } query B { person(id: 1) { name } }")
    selected = select_operation(prepared, "B")
    assert selected.name is not None and selected.name.value == "B"


@pytest.mark.parametrize(
    ("query", "name", "message"),
    [
        (
            "query A { people { name } } query B { people { id } }",
            None,
            "the document has several operations: say which with operationName",
        ),
        (
            "query A { people { name } } query B { people { id } }",
            "C",
            "unknown operation named 'C'",
        ),
        ("{ people { name } }", "A", "unknown operation named 'A'"),
    ],
    ids=["several-without-name", "unknown-name", "name-for-anonymous"],
)
def test_operation_resolution_failure(query: str, name: str | None, message: str) -> None:
    error = raised(lambda: select_operation(prepare(query), name))
    assert error.status == 400
    assert [e["message"] for e in error.errors] == [message]
    assert code_of(error.errors[0]) == ErrorCode.OPERATION_RESOLUTION_FAILURE


# Variable coercion ------------------------------------------------------------------------


def operation(query: str) -> OperationDefinitionNode:
    return select_operation(prepare(query), None)


def test_defaults_are_applied() -> None:
    selected = operation(
        "query ($first: Int = 3, $f: PersonFilter = {role: ADMIN}) "
        "{ people(first: $first, filter: $f) { name } }"
    )
    assert coerce_variables(API_SCHEMA, selected, None) == {
        "first": 3,
        "f": {"role": "ADMIN", "limit": 20},
    }


def test_given_value_wins_over_default() -> None:
    selected = operation("query ($first: Int = 3) { people(first: $first) { name } }")
    assert coerce_variables(API_SCHEMA, selected, {"first": 7}) == {"first": 7}


def test_enum_and_input_object_are_coerced() -> None:
    selected = operation(
        "query ($r: Role!, $f: PersonFilter!) "
        "{ a: people(filter: $f) { name } b: people(filter: {role: $r}) { name } }"
    )
    assert coerce_variables(
        API_SCHEMA, selected, {"r": "STAFF", "f": {"role": "ADMIN", "nameContains": "ani"}}
    ) == {"r": "STAFF", "f": {"role": "ADMIN", "nameContains": "ani", "limit": 20}}


def test_id_accepts_an_integer() -> None:
    selected = operation("query ($id: ID!) { person(id: $id) { name } }")
    assert coerce_variables(API_SCHEMA, selected, {"id": 12}) == {"id": "12"}


def test_undeclared_variables_are_dropped() -> None:
    selected = operation("query ($id: ID!) { person(id: $id) { name } }")
    assert coerce_variables(API_SCHEMA, selected, {"id": "1", "extra": True}) == {"id": "1"}


BAD_VARIABLES = [
    (
        "query ($id: ID!) { person(id: $id) { name } }",
        {},
        "Variable '$id' has invalid value: Expected a value of non-null type 'ID!' to be provided.",
    ),
    (
        "query ($id: ID!) { person(id: $id) { name } }",
        {"id": None},
        "Variable '$id' has invalid value: Expected value of non-null type 'ID!' not to be None.",
    ),
    (
        "query ($first: Int) { people(first: $first) { name } }",
        {"first": "ten"},
        "Variable '$first' has invalid value: Int cannot represent non-integer value: 'ten'",
    ),
    (
        "query ($r: Role) { people(filter: {role: $r}) { name } }",
        {"r": "GUEST"},
        "Variable '$r' has invalid value: Value 'GUEST' does not exist in 'Role' enum.",
    ),
    (
        "query ($f: PersonFilter) { people(filter: $f) { name } }",
        {"f": {"role": "ADMIN", "age": 3}},
        "Variable '$f' has invalid value: "
        "Expected value of type 'PersonFilter' not to include unknown field 'age', "
        "found: {'role': 'ADMIN', 'age': 3}.",
    ),
    (
        "query ($f: PersonFilter) { people(filter: $f) { name } }",
        {"f": "ADMIN"},
        "Variable '$f' has invalid value: "
        "Expected value of type 'PersonFilter' to be an object, found: 'ADMIN'.",
    ),
]
BAD_VARIABLE_IDS = ["missing", "null", "wrong-type", "bad-enum", "unknown-field", "not-object"]


@pytest.mark.parametrize(("query", "variables", "message"), BAD_VARIABLES, ids=BAD_VARIABLE_IDS)
def test_bad_variables_are_bad_user_input(
    query: str, variables: dict[str, Any], message: str
) -> None:
    error = raised(lambda: coerce_variables(API_SCHEMA, operation(query), variables))
    assert error.status == 400
    assert [e["message"] for e in error.errors] == [message]
    assert code_of(error.errors[0]) == ErrorCode.BAD_USER_INPUT
    assert error.errors[0]["locations"] == [{"line": 1, "column": 8}]


def test_every_bad_variable_is_reported() -> None:
    selected = operation(
        "query ($id: ID!, $first: Int) { person(id: $id) { name } people(first: $first) { name } }"
    )
    error = raised(lambda: coerce_variables(API_SCHEMA, selected, {"first": "x"}))
    assert len(error.errors) == 2
    assert {code_of(e) for e in error.errors} == {ErrorCode.BAD_USER_INPUT}


# The engine: requests rejected before any subgraph call -----------------------------------

REJECTED = [
    pytest.param("{ person(id: 1) { name }", {}, {}, ErrorCode.GRAPHQL_PARSE_FAILED, id="syntax"),
    pytest.param(
        "{ person(id: 1) { age } }", {}, {}, ErrorCode.GRAPHQL_VALIDATION_FAILED, id="field"
    ),
    pytest.param(
        "query A { people { name } } query B { people { id } }",
        {},
        {},
        ErrorCode.OPERATION_RESOLUTION_FAILURE,
        id="several-operations",
    ),
    pytest.param(
        "query A { people { name } }",
        {"operation_name": "B"},
        {},
        ErrorCode.OPERATION_RESOLUTION_FAILURE,
        id="unknown-operation",
    ),
    *(
        pytest.param(query, {"variables": variables}, {}, ErrorCode.BAD_USER_INPUT, id=name)
        for (query, variables, _), name in zip(BAD_VARIABLES, BAD_VARIABLE_IDS, strict=True)
    ),
    pytest.param(nested(4), {}, {"max_depth": 3}, ErrorCode.QUERY_TOO_DEEP, id="too-deep"),
    pytest.param(
        "{ people { name } }" + " " * 100,
        {},
        {"max_query_bytes": 100},
        ErrorCode.QUERY_TOO_LARGE,
        id="too-large",
    ),
    pytest.param(
        aliased(1_664),
        {},
        {},
        ErrorCode.MAX_TOKENS_LIMIT,
        id="too-many-tokens",
    ),
    pytest.param(
        "subscription { personAdded { name } }",
        {},
        {},
        ErrorCode.GRAPHQL_VALIDATION_FAILED,
        id="subscription",
    ),
    pytest.param(
        'mutation { rename(id: 1, name: "x") { name } }',
        {"method": "GET"},
        {},
        ErrorCode.METHOD_NOT_ALLOWED,
        id="get-mutation",
    ),
]


@pytest.mark.parametrize(("query", "request_args", "config", "code"), REJECTED)
async def test_rejected_request_has_no_data_and_calls_no_subgraph(
    query: str, request_args: dict[str, Any], config: dict[str, Any], code: ErrorCode
) -> None:
    engine, transport = make_engine(**config)
    response = await run(engine, query, **request_args)
    status = 405 if code is ErrorCode.METHOD_NOT_ALLOWED else 400
    assert response.status == status, response.body
    assert "data" not in response.body
    assert response.body["errors"], response.body
    assert {code_of(e) for e in response.body["errors"]} == {code}
    assert transport.calls == []


async def test_accepted_request_calls_the_subgraph() -> None:
    engine, transport = make_engine()
    response = await run(engine, "{ person(id: 1) { name } }")
    assert response.status == 200
    assert response.body == {"data": {"person": None}}
    assert transport.count(PEOPLE) == 1


async def test_syntax_error_has_its_location() -> None:
    engine, _ = make_engine()
    error = only_error(await run(engine, "{\n  person(id: 1) {\n    name\n  }\n"))
    assert code_of(error) == ErrorCode.GRAPHQL_PARSE_FAILED
    assert error["message"] == "Syntax Error: Expected Name, found <EOF>."
    assert error["locations"] == [{"line": 5, "column": 1}]


async def test_unknown_field_has_its_location() -> None:
    engine, _ = make_engine()
    error = only_error(await run(engine, "{\n  person(id: 1) { age }\n}"))
    assert code_of(error) == ErrorCode.GRAPHQL_VALIDATION_FAILED
    assert error["message"].startswith("Cannot query field 'age' on type 'Person'.")
    assert error["locations"] == [{"line": 2, "column": 19}]


async def test_engine_prepares_a_repeated_document_once(counted: dict[str, int]) -> None:
    engine, transport = make_engine()
    for _ in range(3):
        assert (await run(engine, "{ people { name } }")).status == 200
    for _ in range(2):
        await run(engine, "{ people { age } }")
    assert counted == {"parse": 2, "validate": 2}
    assert transport.count(PEOPLE) == 3


async def test_engine_document_cache_size_is_configured(counted: dict[str, int]) -> None:
    engine, _ = make_engine(document_cache_size=1)
    for query in ("{ people { name } }", "{ people { id } }", "{ people { name } }"):
        await run(engine, query)
    assert counted["parse"] == 3


async def test_default_and_coerced_variables_reach_the_subgraph() -> None:
    engine, transport = make_engine()
    response = await run(
        engine,
        "query ($first: Int = 3, $f: PersonFilter) { people(first: $first, filter: $f) { name } }",
        variables={"f": {"role": "STAFF"}},
    )
    assert response.status == 200
    [(_, sent)] = transport.calls
    assert sent["variables"] == {"first": 3, "f": {"role": "STAFF", "limit": 20}}


# Depth ------------------------------------------------------------------------------------


async def test_depth_at_the_limit_is_accepted() -> None:
    engine, transport = make_engine(max_depth=3)
    assert (await run(engine, nested(3))).status == 200
    assert transport.count(PEOPLE) == 1


async def test_depth_over_the_limit_is_rejected() -> None:
    engine, transport = make_engine(max_depth=3)
    error = only_error(await run(engine, nested(4)))
    assert code_of(error) == ErrorCode.QUERY_TOO_DEEP
    assert error["message"] == "the operation is 4 levels deep; the limit is 3"
    assert transport.calls == []


@pytest.mark.parametrize(
    ("query", "name"),
    [
        (
            """
            { person(id: 1) { ...One } }
            fragment One on Person { friends { ...Two } }
            fragment Two on Person { friends { friends { id } } }
            """,
            None,
        ),
        (
            "{ person(id: 1) { ... on Person { friends { ... { friends { friends { id } } } } } }"
            " }",
            None,
        ),
        (
            """
            query Shallow { people { name } }
            query Deep { person(id: 1) { ...Deeper } }
            fragment Deeper on Person { friends { friends { friends { id } } } }
            """,
            "Deep",
        ),
    ],
    ids=["named-fragments", "inline-fragments", "selected-operation"],
)
async def test_depth_hidden_in_fragments_is_counted(query: str, name: str | None) -> None:
    engine, transport = make_engine(max_depth=3)
    error = only_error(await run(engine, query, operation_name=name))
    assert code_of(error) == ErrorCode.QUERY_TOO_DEEP
    assert error["message"] == "the operation is 4 levels deep; the limit is 3"
    assert transport.calls == []


async def test_fragment_spread_twice_counts_the_deeper_path() -> None:
    engine, _ = make_engine(max_depth=3)
    query = """
        { person(id: 1) { ...Leaf friends { friends { ...Leaf } } } }
        fragment Leaf on Person { friends { id } }
    """
    error = only_error(await run(engine, query))
    assert code_of(error) == ErrorCode.QUERY_TOO_DEEP
    assert error["message"].startswith("the operation is 4 levels deep")


CYCLE = """
    { person(id: 1) { ...A } }
    fragment A on Person { friends { ...B } }
    fragment B on Person { friends { ...A } }
"""


def test_fragment_cycle_does_not_hang() -> None:
    finishes(
        "import asyncio\n"
        "from tests.test_operation import CYCLE, make_engine, run\n"
        "assert asyncio.run(run(make_engine()[0], CYCLE)).status == 400\n",
    )


async def test_fragment_cycle_is_rejected_by_validation() -> None:
    engine, transport = make_engine()
    response = await run(engine, CYCLE)
    assert response.status == 400
    assert "data" not in response.body
    messages = [e["message"] for e in response.body["errors"]]
    assert "Cannot spread fragment 'A' within itself via 'B'." in messages
    assert {code_of(e) for e in response.body["errors"]} == {ErrorCode.GRAPHQL_VALIDATION_FAILED}
    assert transport.calls == []


@pytest.mark.parametrize(
    "query",
    [
        nested(250),
        "{ person(id: 1) { ...F0 } }\n"
        + "\n".join(
            f"fragment F{i} on Person " + "{ friends " * 50 + f"{{ ...F{i + 1} }}" + " }" * 50
            for i in range(5)
        )
        + "\nfragment F5 on Person { id }",
    ],
    ids=["nested", "through-fragments"],
)
async def test_very_deep_document_is_query_too_deep(query: str) -> None:
    engine, transport = make_engine()
    error = only_error(await run(engine, query))
    assert code_of(error) == ErrorCode.QUERY_TOO_DEEP
    assert transport.calls == []


def test_depth_of_fragments_spread_twice_is_computed_promptly() -> None:
    finishes(
        "from gateway.operation import DocumentCache\n"
        "from gateway.operation_limits import OperationLimits\n"
        "from tests.test_operation import API_SCHEMA, diamond\n"
        "cache = DocumentCache(API_SCHEMA, limits=OperationLimits(max_fields=10**18))\n"
        "assert len(cache.get(diamond(40)).fragments) == 41\n",
    )


async def test_a_fragment_bomb_is_refused_by_the_field_limit_at_once() -> None:
    engine, transport = make_engine()
    error = only_error(await run(engine, diamond(40)))
    assert code_of(error) == ErrorCode.MAX_FIELDS_LIMIT
    assert error["message"] == "the operation has more than 2000 field selections"
    assert transport.calls == [] and len(engine.documents) == 0


def test_engine_answers_fragments_spread_twice_promptly() -> None:
    finishes(
        "import asyncio\n"
        "from tests.test_operation import UNLIMITED_FIELDS, diamond, make_engine, run\n"
        "engine, transport = make_engine(UNLIMITED_FIELDS)\n"
        "response = asyncio.run(run(engine, diamond(30)))\n"
        "assert response.status == 200, response.body\n"
        "assert 'errors' not in response.body, response.body\n"
        "person, depth = response.body['data']['person'], 0\n"
        "while person.get('friends'):\n"
        "    person, depth = person['friends'][0], depth + 1\n"
        "assert depth == 30 and person['id'] == '30', (depth, person)\n"
        "[(_, request)] = transport.calls\n"
        "assert request['query'].count('friends') == 30, request['query']\n",
    )


# Size -------------------------------------------------------------------------------------


async def test_document_at_the_byte_limit_is_accepted() -> None:
    query = "{ people { name } }"
    engine, _ = make_engine(max_query_bytes=len(query))
    assert (await run(engine, query)).status == 200


async def test_document_over_the_byte_limit_is_rejected() -> None:
    query = "{ people { name } }"
    engine, transport = make_engine(max_query_bytes=len(query) - 1)
    error = only_error(await run(engine, query))
    assert code_of(error) == ErrorCode.QUERY_TOO_LARGE
    assert error["message"] == f"the document is larger than {len(query) - 1} bytes"
    assert transport.calls == []


async def test_size_is_counted_in_utf8_bytes() -> None:
    query = "# " + "é" * 30 + "\n{ people { name } }"
    assert len(query) <= 60 < len(query.encode())
    engine, _ = make_engine(max_query_bytes=60)
    assert code_of(only_error(await run(engine, query))) == ErrorCode.QUERY_TOO_LARGE


async def test_too_many_tokens_is_refused_without_reading_the_rest() -> None:
    query = aliased(1_664)  # 5,002 tokens
    engine, transport = make_engine()
    error = only_error(await run(engine, query))
    assert code_of(error) == ErrorCode.MAX_TOKENS_LIMIT
    assert error["message"] == "the document has more than 5000 tokens or comments"
    assert transport.calls == [] and len(engine.documents) == 0


MANY_ALIASES = LimitSettings(
    max_aliases=10**6, max_fields=10**6, max_height=10**6, max_tokens=15_000
)
"""The alias and field limits lifted, to reach a token limit of 15,000 with aliases alone."""


def test_just_under_the_token_limit_is_prepared() -> None:
    limits = OperationLimits(max_aliases=10**6, max_fields=10**6, max_height=10**6)
    cache = DocumentCache(API_SCHEMA, limits=limits, max_tokens=15_000)
    prepared = cache.get(aliased(4_996))  # 14,998 tokens
    [operation] = prepared.operations.values()
    [person] = operation.selection_set.selections
    assert isinstance(person, FieldNode) and person.selection_set is not None
    assert len(person.selection_set.selections) == 4_996


def test_engine_answers_a_document_just_under_the_token_limit_promptly() -> None:
    finishes(
        "import asyncio\n"
        "from tests.test_operation import MANY_ALIASES, aliased, make_engine, run\n"
        "engine, transport = make_engine(MANY_ALIASES)\n"
        "response = asyncio.run(run(engine, aliased(4_996)))\n"
        "assert response.body == {'data': {'person': None}}, response.body\n"
        "assert len(transport.calls) == 1\n",
    )


# HTTP method and operation type -----------------------------------------------------------


async def test_mutation_over_get_is_method_not_allowed() -> None:
    engine, transport = make_engine()
    response = await run(engine, 'mutation { rename(id: 1, name: "x") { name } }', method="GET")
    error = only_error(response, status=405)
    assert code_of(error) == ErrorCode.METHOD_NOT_ALLOWED
    assert "POST" in error["message"]
    assert transport.calls == []


async def test_mutation_over_post_is_executed() -> None:
    engine, transport = make_engine()
    response = await run(engine, 'mutation { rename(id: 1, name: "x") { name } }')
    assert response.status == 200
    assert response.body == {"data": {"rename": None}}
    assert transport.count(PEOPLE) == 1


async def test_query_over_get_from_a_document_with_a_mutation() -> None:
    engine, transport = make_engine()
    query = 'query Q { people { name } } mutation M { rename(id: 1, name: "x") { name } }'
    response = await run(engine, query, operation_name="Q", method="GET")
    assert response.status == 200
    assert transport.count(PEOPLE) == 1
    error = only_error(await run(engine, query, operation_name="M", method="GET"), status=405)
    assert code_of(error) == ErrorCode.METHOD_NOT_ALLOWED
    assert transport.count(PEOPLE) == 1


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_subscription_is_refused_clearly(method: str) -> None:
    engine, transport = make_engine()
    error = only_error(await run(engine, "subscription { personAdded { name } }", method=method))
    assert "subscriptions are not supported" in error["message"]
    assert code_of(error) in set(ErrorCode)
    assert transport.calls == []


def test_documents_over_the_byte_limit_are_not_cached() -> None:
    cache = DocumentCache(API_SCHEMA, max_bytes=100)
    big = "{ people { name } }" + " " * 200
    for _ in range(2):
        with pytest.raises(RequestError) as refused:
            cache.get(big)
        assert refused.value.errors[0]["extensions"]["code"] == ErrorCode.QUERY_TOO_LARGE
    assert len(cache) == 0


async def test_field_suggestions_can_be_turned_off() -> None:
    suggesting, _ = make_engine()
    quiet, _ = make_engine(field_suggestions=False)
    told = only_error(await run(suggesting, "{ peple { name } }"))
    assert "Did you mean" in told["message"]
    untold = only_error(await run(quiet, "{ peple { name } }"))
    assert untold["message"] == "Cannot query field 'peple' on type 'Query'."
