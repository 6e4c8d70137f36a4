"""The OPD's adapter rides in each request's context: apps of one schema in one process each
answer from the adapter they were made with, and a resolver asking for the wrong one, or
for one the app was not given, is told which it asked for."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from subgraphs.toolkit import GatewayTrust, SubgraphContext, create_app, source_of
from tests.toolkit.example import FakeDapodik, dapodik

OPEN = GatewayTrust.unsigned()
BOTH = '{ a: sekolah(npsn: "30100001") { nama } b: sekolah(npsn: "30100002") { nama } }'


async def ask(source: FakeDapodik | None, query: str) -> Any:
    app = create_app(dapodik, trust=OPEN, source=source)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dapodik") as client:
        response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    return response.json()


async def test_apps_of_one_schema_each_answer_from_their_own_source() -> None:
    north = FakeDapodik(known={"30100001"})
    south = FakeDapodik(known={"30100002"})
    broken = FakeDapodik(down=True)
    # made one after the other and asked at once: no app reads the last adapter made
    answers = await asyncio.gather(*(ask(source, BOTH) for source in (north, south, broken)))
    assert answers[0] == {"data": {"a": {"nama": "SD Negeri 1 Pontianak"}, "b": None}}
    assert answers[1] == {"data": {"a": None, "b": {"nama": "SD Negeri 2 Pontianak"}}}
    assert answers[2]["data"] == {"a": None, "b": None}
    assert {e["extensions"]["code"] for e in answers[2]["errors"]} == {"UPSTREAM_UNAVAILABLE"}
    assert north.calls == south.calls == broken.calls == [["30100001", "30100002"]]


async def test_an_app_without_its_source_answers_an_internal_error() -> None:
    body = await ask(None, '{ sekolah(npsn: "30100001") { nama } }')
    assert body["data"] == {"sekolah": None}
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}


@pytest.mark.parametrize(
    ("context", "found"),
    [
        (SubgraphContext(), "holds no adapter"),
        (SubgraphContext(source="postgresql://siak"), "holds a str"),
        ({"request": None}, "is a dict, not a SubgraphContext"),
    ],
    ids=["none", "another", "not-a-subgraph-context"],
)
def test_source_of_names_the_adapter_asked_for(context: object, found: str) -> None:
    with pytest.raises(TypeError, match=f"a FakeDapodik was asked for, .* {found}"):
        source_of(context, FakeDapodik)


def test_source_of_hands_the_adapter_typed() -> None:
    upstream = FakeDapodik()
    assert source_of(SubgraphContext(source=upstream), FakeDapodik) is upstream
