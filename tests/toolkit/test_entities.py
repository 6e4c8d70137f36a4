"""Batched entity resolution: one upstream call per batch, a per-key error in its own slot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from strawberry import Info

from subgraphs.toolkit import BatchLoader, GatewayTrust, SubgraphContext, create_app
from tests.toolkit.example import FakeDapodik, dapodik, npsn_list

ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Sekolah { npsn nama } }
}
"""


@pytest.fixture
async def client(upstream: FakeDapodik) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(dapodik, trust=GatewayTrust.unsigned(), source=upstream)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dapodik") as client:
        yield client


async def entities(client: httpx.AsyncClient, keys: list[str]) -> dict[str, Any]:
    representations = [{"__typename": "Sekolah", "npsn": key} for key in keys]
    response = await client.post(
        "/graphql", json={"query": ENTITIES, "variables": {"representations": representations}}
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_a_hundred_keys_cost_one_upstream_call(
    client: httpx.AsyncClient, upstream: FakeDapodik
) -> None:
    keys = npsn_list(100)
    body = await entities(client, keys)
    assert "errors" not in body
    assert [entity["npsn"] for entity in body["data"]["_entities"]] == keys
    assert body["data"]["_entities"][41] == {"npsn": "30100042", "nama": "SD Negeri 42 Pontianak"}
    assert upstream.calls == [keys]


async def test_a_failing_key_errs_in_its_own_slot(
    client: httpx.AsyncClient, upstream: FakeDapodik
) -> None:
    upstream.failing = {"30100002"}
    body = await entities(client, ["30100001", "30100002", "30100003"])
    assert body["data"]["_entities"] == [
        {"npsn": "30100001", "nama": "SD Negeri 1 Pontianak"},
        None,
        {"npsn": "30100003", "nama": "SD Negeri 3 Pontianak"},
    ]
    assert body["errors"] == [
        {
            "message": "Upstream system 'dapodik' gave an answer that could not be read.",
            "locations": [{"line": 3, "column": 3}],
            "path": ["_entities", 1],
            "extensions": {"code": "UPSTREAM_BAD_RESPONSE", "upstream": "dapodik"},
        }
    ]
    assert len(upstream.calls) == 1


async def test_an_unknown_key_resolves_to_null_without_error(
    client: httpx.AsyncClient, upstream: FakeDapodik
) -> None:
    body = await entities(client, ["30100001", "30109999"])
    assert body == {
        "data": {"_entities": [{"npsn": "30100001", "nama": "SD Negeri 1 Pontianak"}, None]}
    }


async def test_a_failed_batch_errs_in_every_slot(
    client: httpx.AsyncClient, upstream: FakeDapodik
) -> None:
    upstream.down = True
    body = await entities(client, ["30100001", "30100002"])
    assert body["data"] == {"_entities": [None, None]}
    assert [error["path"] for error in body["errors"]] == [["_entities", 0], ["_entities", 1]]
    assert {error["extensions"]["code"] for error in body["errors"]} == {"UPSTREAM_UNAVAILABLE"}
    assert len(upstream.calls) == 1


async def test_repeated_keys_are_fetched_once(
    client: httpx.AsyncClient, upstream: FakeDapodik
) -> None:
    body = await entities(client, ["30100001", "30100002", "30100001"])
    assert [entity["npsn"] for entity in body["data"]["_entities"]] == [
        "30100001",
        "30100002",
        "30100001",
    ]
    assert upstream.calls == [["30100001", "30100002"]]


async def test_loaders_do_not_outlive_their_request(
    client: httpx.AsyncClient, upstream: FakeDapodik
) -> None:
    await entities(client, ["30100001"])
    await entities(client, ["30100001"])
    assert upstream.calls == [["30100001"], ["30100001"]]


async def test_root_fields_share_the_request_loader(
    client: httpx.AsyncClient, upstream: FakeDapodik
) -> None:
    query = '{ a: sekolah(npsn: "30100001") { nama } b: sekolah(npsn: "30100002") { nama } }'
    response = await client.post("/graphql", json={"query": query})
    assert response.json() == {
        "data": {"a": {"nama": "SD Negeri 1 Pontianak"}, "b": {"nama": "SD Negeri 2 Pontianak"}}
    }
    assert upstream.calls == [["30100001", "30100002"]]


async def test_max_batch_size_splits_a_batch() -> None:
    calls: list[list[int]] = []
    contexts: list[SubgraphContext] = []

    async def fetch(context: SubgraphContext, keys: list[int]) -> dict[int, int]:
        contexts.append(context)
        calls.append(keys)
        return {key: key * 10 for key in keys}

    loader: BatchLoader[int, int] = BatchLoader(fetch, max_batch_size=40)
    context = SubgraphContext()
    values = await loader.load_many(_info(context), list(range(100)))
    assert values == [key * 10 for key in range(100)]
    assert [len(batch) for batch in calls] == [40, 40, 20]
    assert contexts == [context] * 3  # each batch fetches with the request's context


async def test_a_loader_needs_the_subgraph_context() -> None:
    async def fetch(context: SubgraphContext, keys: list[int]) -> dict[int, int]:
        return {}

    with pytest.raises(TypeError, match="SubgraphContext"):
        await BatchLoader(fetch).load(_info({"request": None}), 1)


def _info(context: object) -> Info[Any, Any]:
    class StubInfo:
        pass

    stub = StubInfo()
    stub.context = context  # type: ignore[attr-defined]
    return stub  # type: ignore[return-value]
