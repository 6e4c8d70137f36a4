"""A client field the plan gives up answers null at each position, with one error naming
its path; the rest of the operation is answered."""

from __future__ import annotations

from typing import Any

from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from tests.planner.test_unresolvable import SUPERGRAPH
from tests.support.fake_transport import FakeTransport

SHELTERS = "http://shelters/graphql"


def shelters(_: dict[str, Any]) -> Any:
    pets = [{"__typename": "Dog", "name": "Belang"}, {"__typename": "Cat"}]
    return {"data": {"shelter": {"pets": pets}}}


async def run(query: str, **variables: Any) -> dict[str, Any]:
    engine = Engine(SUPERGRAPH, FakeTransport({SHELTERS: shelters}))
    response = await engine.execute(GraphQLRequest(query, variables=variables), RequestContext())
    assert response.status == 200
    return response.body


QUERY = "query ($v: Boolean!) { shelter { pets { ... on Dog { name id @include(if: $v) } } } }"


async def test_the_rest_is_answered_and_the_field_is_null_with_an_error() -> None:
    body = await run(QUERY, v=True)
    # Dog.id is non-null: the dog is null, the cat (nothing asked of it) is answered
    assert body["data"] == {"shelter": {"pets": [None, {}]}}
    assert body["errors"] == [
        {
            "message": "no subgraph can resolve Dog.id from shelters",
            "path": ["shelter", "pets", "@", "id"],
            "extensions": {"code": "UNRESOLVABLE_FIELD"},
        }
    ]


async def test_a_field_the_request_does_not_ask_for_raises_no_error() -> None:
    body = await run(QUERY, v=False)
    assert body == {"data": {"shelter": {"pets": [{"name": "Belang"}, {}]}}}
