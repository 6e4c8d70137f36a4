"""In-flight de-duplication (``dedup_subgraph_requests``): identical query calls to a
subgraph made at the same time share one call; mutations, other bodies and other forwarded
headers never do, and each request gets its own copy of the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.config import EngineSettings
from gateway.engine import Engine
from gateway.errors import TransportError
from gateway.request import GraphQLRequest, RequestContext
from tests.test_operation import SUPERGRAPH

QUERY = "{ person(id: 1) { id name friends { id name } } }"
MUTATION = 'mutation { rename(id: 1, name: "Siti") { id name } }'
PERSON = {"id": "1", "name": "Siti", "friends": [{"id": "2", "name": "Budi"}]}


@dataclass
class GatedTransport:
    """Holds every call until ``release`` is set, so concurrent requests overlap."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    calls: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    fail: bool = False

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> bytes:
        self.calls.append((body, dict(headers)))
        await self.release.wait()
        if self.fail:
            raise TransportError("answered HTTP 502", status=502)
        if b"rename" in body:
            return orjson.dumps({"data": {"rename": {"id": "1", "name": "Siti"}}})
        return orjson.dumps({"data": {"person": PERSON}})

    async def close(self) -> None:
        return None


async def together(
    engine: Engine, transport: GatedTransport, *requests: tuple[str, Mapping[str, str]]
) -> list[Any]:
    """Run the requests concurrently, releasing the subgraph once all have called it."""
    tasks = [
        asyncio.create_task(
            engine.execute(
                GraphQLRequest(query),
                RequestContext(headers=headers, request_id=f"req-{index}"),
            )
        )
        for index, (query, headers) in enumerate(requests)
    ]
    for _ in range(50):
        await asyncio.sleep(0)
    transport.release.set()
    return [(await task).body for task in tasks]


def engine_with(transport: GatedTransport, **config: Any) -> Engine:
    return Engine(SUPERGRAPH, transport, EngineSettings(**config))


async def test_identical_queries_in_flight_share_one_call() -> None:
    transport = GatedTransport()
    engine = engine_with(transport, dedup_subgraph_requests=True)
    bodies = await together(engine, transport, *[(QUERY, {})] * 5)
    assert len(transport.calls) == 1
    assert bodies == [{"data": {"person": PERSON}}] * 5
    # each request merged into its own copy: changing one answer leaves the others alone
    bodies[0]["data"]["person"]["friends"].clear()
    assert bodies[1]["data"]["person"]["friends"] == PERSON["friends"]


async def test_off_by_default() -> None:
    transport = GatedTransport()
    await together(engine_with(transport), transport, *[(QUERY, {})] * 3)
    assert len(transport.calls) == 3


async def test_mutations_are_never_shared() -> None:
    transport = GatedTransport()
    engine = engine_with(transport, dedup_subgraph_requests=True)
    bodies = await together(engine, transport, (MUTATION, {}), (MUTATION, {}))
    assert len(transport.calls) == 2
    assert bodies[0] == bodies[1] == {"data": {"rename": {"id": "1", "name": "Siti"}}}


async def test_forwarded_headers_separate_calls_request_ids_do_not() -> None:
    transport = GatedTransport()
    engine = engine_with(transport, dedup_subgraph_requests=True, forward_headers=("x-opd",))
    await together(
        engine,
        transport,
        (QUERY, {"x-opd": "a"}),
        (QUERY, {"x-opd": "a"}),
        (QUERY, {"x-opd": "b"}),
    )
    assert sorted(headers["x-opd"] for _, headers in transport.calls) == [
        "a",
        "b",
    ]


async def test_a_shared_failure_reaches_every_request() -> None:
    transport = GatedTransport(fail=True)
    engine = engine_with(transport, dedup_subgraph_requests=True)
    bodies = await together(engine, transport, (QUERY, {}), (QUERY, {}))
    # the call and its one retry after a 502 ([traffic] retries), shared by both requests
    assert len(transport.calls) == 2
    for body in bodies:
        assert body["data"] == {"person": None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["SUBREQUEST_HTTP_ERROR"]


async def test_a_finished_call_is_not_reused() -> None:
    transport = GatedTransport()
    transport.release.set()
    engine = engine_with(transport, dedup_subgraph_requests=True)
    for _ in range(2):
        await engine.execute(GraphQLRequest(QUERY), RequestContext())
    assert len(transport.calls) == 2


# Client requests (``dedup_client_requests``): identical query requests in flight share one
# execution of the whole plan and its answer.


async def test_identical_client_queries_share_one_execution() -> None:
    transport = GatedTransport()
    engine = engine_with(transport, dedup_client_requests=True)
    bodies = await together(engine, transport, *[(QUERY, {})] * 4)
    assert len(transport.calls) == 1
    assert bodies == [{"data": {"person": PERSON}}] * 4


async def test_client_requests_differing_in_variables_or_headers_are_not_shared() -> None:
    transport = GatedTransport()
    engine = engine_with(transport, dedup_client_requests=True, forward_headers=("x-opd",))
    by_variable = "query ($id: ID!) { person(id: $id) { id name } }"
    tasks = [
        engine.execute(GraphQLRequest(by_variable, variables={"id": "1"}), RequestContext()),
        engine.execute(GraphQLRequest(by_variable, variables={"id": "2"}), RequestContext()),
        engine.execute(GraphQLRequest(QUERY), RequestContext(headers={"x-opd": "a"})),
        engine.execute(GraphQLRequest(QUERY), RequestContext(headers={"x-opd": "b"})),
    ]
    running = [asyncio.ensure_future(t) for t in tasks]
    for _ in range(50):
        await asyncio.sleep(0)
    transport.release.set()
    await asyncio.gather(*running)
    assert len(transport.calls) == 4


async def test_client_mutations_are_never_shared() -> None:
    transport = GatedTransport()
    engine = engine_with(transport, dedup_client_requests=True, dedup_subgraph_requests=True)
    await together(engine, transport, (MUTATION, {}), (MUTATION, {}))
    assert len(transport.calls) == 2
