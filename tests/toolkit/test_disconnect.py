"""A caller that leaves (the gateway's timeout), or the deadline the gateway said it waits
(``simpul-deadline-ms``), cancels the work of its request: the resolver it was waiting for
and the batch fetches of its loaders, served for real."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
import strawberry
from strawberry import Info

from gateway.access.call_token import (
    CALL_HEADER,
    CallClaims,
    CallSigner,
    CallVerifier,
    generate_master_key,
)
from gateway.server.embedded import EmbeddedServer, bind_socket
from subgraphs.toolkit import (
    BatchLoader,
    GatewayTrust,
    SubgraphContext,
    create_app,
    source_of,
    subgraph_schema,
)


@dataclass
class Upstream:
    """A legacy system that never answers; says when a call to it was cancelled."""

    never: asyncio.Event = field(default_factory=asyncio.Event)
    started: asyncio.Event = field(default_factory=asyncio.Event)
    cancelled: asyncio.Event = field(default_factory=asyncio.Event)
    finished: list[str] = field(default_factory=list)

    async def call(self, what: str) -> str:
        self.started.set()
        try:
            await self.never.wait()
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        finally:
            self.finished.append(what)
        return what

    async def aclose(self) -> None:
        """Nothing held open."""


@BatchLoader
async def sekolah_loader(context: SubgraphContext, keys: list[str]) -> dict[str, Sekolah]:
    await source_of(context, Upstream).call("batch")
    return {}


@strawberry.federation.type(keys=["npsn"])
class Sekolah:
    npsn: str
    nama: str

    @classmethod
    async def resolve_reference(cls, info: Info, npsn: str) -> Sekolah | None:
        return await sekolah_loader.load(info, npsn)


@strawberry.type
class Query:
    @strawberry.field
    async def lambat(self, info: Info) -> str:
        return await source_of(info.context, Upstream).call("lambat")


schema = subgraph_schema(Query, types=[Sekolah])


GATEWAY = CallSigner.from_key_text("hmac", generate_master_key())


@pytest.fixture(params=["signed", "unsigned"])
async def served(request: pytest.FixtureRequest) -> AsyncIterator[tuple[str, Upstream]]:
    """The subgraph served for real; signed, the body is read before strawberry's view."""
    upstream = Upstream()
    sock = bind_socket("127.0.0.1", 0)
    verifier = CallVerifier.from_texts("opd", GATEWAY.verification_key("opd"))
    trust = GatewayTrust(verifier) if request.param == "signed" else GatewayTrust.unsigned()
    app = create_app(schema, trust=trust, source=upstream)
    server = EmbeddedServer(app, sock, lifespan="off")
    task = asyncio.create_task(server.run_on_socket())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.port}/graphql", upstream
    finally:
        upstream.never.set()  # work left running (a failing test) ends, so the server stops
        server.should_exit = True
        await task


async def post(
    client: httpx.AsyncClient, url: str, payload: dict[str, object], **extra: str
) -> httpx.Response:
    """POST as the gateway does, signed; ``extra`` headers (``_`` for ``-``) besides."""
    body = json.dumps(payload).encode()
    headers = {
        "content-type": "application/json",
        CALL_HEADER: GATEWAY.token("opd", body, CallClaims("req-1")),
        **{name.replace("_", "-"): value for name, value in extra.items()},
    }
    return await client.post(url, content=body, headers=headers)


ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Sekolah { nama } }
}
"""
WAITING: list[dict[str, object]] = [
    {"query": "{ lambat }"},
    {
        "query": ENTITIES,
        "variables": {"representations": [{"__typename": "Sekolah", "npsn": "30100001"}]},
    },
]
"""Calls whose answer waits on the legacy system: in a resolver, and in a batch fetch."""


@pytest.mark.parametrize("payload", WAITING, ids=["resolver", "batch"])
async def test_a_caller_that_leaves_cancels_the_work(
    served: tuple[str, Upstream], payload: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    url, legacy = served
    caplog.set_level(logging.INFO)
    server_log = logging.getLogger("uvicorn")  # uvicorn's own loggers do not propagate
    server_log.addHandler(caplog.handler)
    try:
        async with httpx.AsyncClient(timeout=0.2) as client:
            with pytest.raises(httpx.ReadTimeout):
                await post(client, url, payload)
        await asyncio.wait_for(legacy.cancelled.wait(), timeout=5)
        assert legacy.started.is_set()
        assert len(legacy.finished) == 1
        await asyncio.sleep(0.05)  # the view's own handling of the cancellation
    finally:
        server_log.removeHandler(caplog.handler)
    messages = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert ("simpul.subgraph", logging.INFO, "caller left: cancelled") in messages
    assert not [m for m in messages if m[1] >= logging.WARNING], messages


async def test_a_caller_that_waits_is_answered(served: tuple[str, Upstream]) -> None:
    url, legacy = served

    async def answer_soon() -> None:
        await legacy.started.wait()
        legacy.never.set()

    helper = asyncio.create_task(answer_soon())
    async with httpx.AsyncClient(timeout=5) as client:
        response = await post(client, url, {"query": "{ lambat }"})
    await helper
    assert response.json() == {"data": {"lambat": "lambat"}}
    assert not legacy.cancelled.is_set()


@pytest.mark.parametrize("payload", WAITING, ids=["resolver", "batch"])
async def test_the_gateway_s_deadline_cancels_the_work(
    served: tuple[str, Upstream], payload: dict[str, object]
) -> None:
    url, legacy = served
    # the caller stays: only the deadline it sent can end the work
    async with httpx.AsyncClient(timeout=10) as client:
        response = await post(client, url, payload, simpul_deadline_ms="200")
    assert response.status_code == 504
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "DEADLINE_EXCEEDED"
    assert legacy.started.is_set() and legacy.cancelled.is_set()
    assert len(legacy.finished) == 1


@pytest.mark.parametrize("value", ["0", "-5", "soon", ""])
async def test_a_deadline_that_is_not_a_number_of_milliseconds_is_ignored(
    served: tuple[str, Upstream], value: str
) -> None:
    url, legacy = served

    async def answer_soon() -> None:
        await legacy.started.wait()
        await asyncio.sleep(0.1)
        legacy.never.set()

    helper = asyncio.create_task(answer_soon())
    async with httpx.AsyncClient(timeout=5) as client:
        response = await post(client, url, {"query": "{ lambat }"}, simpul_deadline_ms=value)
    await helper
    assert response.json() == {"data": {"lambat": "lambat"}}
