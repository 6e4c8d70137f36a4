"""A client field the plan gives up answers null at each position, with one error naming
its path; the rest of the operation is answered."""

from __future__ import annotations

from typing import Any

from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from tests.planner.test_unresolvable import SUPERGRAPH
from tests.support.fake_transport import FakeTransport

PAGES = "http://pages/graphql"


def pages(_: dict[str, Any]) -> Any:
    # no implementation of Node exists here to answer with
    return {"data": {"pages": [{"title": "Beranda"}], "node": None}}


async def run(query: str, **variables: Any) -> dict[str, Any]:
    engine = Engine(SUPERGRAPH, FakeTransport({PAGES: pages}))
    response = await engine.execute(GraphQLRequest(query, variables=variables), RequestContext())
    assert response.status == 200
    return response.body


QUERY = 'query ($v: Boolean!) { pages { title } node(id: "p1") { id note @include(if: $v) } }'


async def test_the_rest_is_answered_and_the_field_is_null_with_an_error() -> None:
    body = await run(QUERY, v=True)
    assert body["data"] == {"pages": [{"title": "Beranda"}], "node": None}
    assert body["errors"] == [
        {
            "message": "no subgraph can resolve Node.note from pages",
            "path": ["node", "note"],
            "extensions": {"code": "UNRESOLVABLE_FIELD"},
        }
    ]


async def test_a_field_the_request_does_not_ask_for_raises_no_error() -> None:
    body = await run("{ pages { title } }")
    assert body == {"data": {"pages": [{"title": "Beranda"}]}}
    body = await run(QUERY, v=False)
    assert body == {"data": {"pages": [{"title": "Beranda"}], "node": None}}


async def test_nothing_but_such_fields_is_refused_whole() -> None:
    body = await run('{ node(id: "p1") { note } }')
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_PLANNING_FAILED"]
