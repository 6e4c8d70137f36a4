"""One trace from a client through the gateway, a toolkit subgraph and its legacy system.

Everything over real HTTP on free ports of 127.0.0.1: an OTLP/HTTP receiver, Dapodik's
simulated web service, the dikbud subgraph over it (the toolkit tracing), and the gateway
over the city's supergraph with dikbud's address pointed there. A client's ``traceparent``
starts the trace; the receiver must get the gateway's request and subgraph-call spans, the
subgraph's request span and its adapter's call, all in the client's trace, each the child
of the one before, and nothing of the query's text or variables in any of them.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from gateway.config import GatewayConfig
from gateway.engine import Engine
from gateway.server import create_app
from gateway.supergraph import load_supergraph_file
from gateway.tracing import Tracing, tracer_provider
from gateway.traffic import Traffic, TrafficPolicy
from gateway.transport.pooled import PooledTransport
from subgraphs.dikbud.legacy import DapodikSimulator
from subgraphs.dikbud.schema import make_app
from subgraphs.dikbud.source import connect
from subgraphs.toolkit import GatewayTrust, tracing
from tests.support.clock import TODAY
from tests.support.otlp import Receiver
from tests.toolkit.legacy import serve

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-dapodik-token-0123"
CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN = "00f067aa0ba902b7"
QUERY = "query Sekolah($npsn: String!) { sekolah(npsn: $npsn) { nama } }"


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    receiver = Receiver()
    async with serve(receiver.app) as url:
        yield receiver, url


async def test_one_trace_from_the_client_to_the_legacy_call(
    receiver: tuple[Receiver, str],
) -> None:
    spans, endpoint = receiver
    simulator = DapodikSimulator(tokens=(TOKEN,), today=TODAY)
    npsn = str(simulator.sekolah[0]["npsn"])
    tracing.configure(endpoint, "simpul-dikbud")
    gateway_tracing = Tracing(tracer_provider(endpoint, "simpul-gateway", 1.0))
    try:
        async with serve(simulator.app) as dapodik:
            source = connect(dapodik, token=TOKEN)
            subgraph = make_app(source, trust=GatewayTrust.unsigned())
            async with serve(subgraph) as dikbud:
                engine = Engine(
                    load_supergraph_file(str(ROOT / "schema" / "supergraph.graphql")),
                    PooledTransport(),
                    traffic=Traffic(overrides={"dikbud": TrafficPolicy(url=f"{dikbud}/graphql")}),
                    tracing=gateway_tracing,
                )
                async with (
                    serve(create_app(engine, GatewayConfig())) as gateway,
                    httpx.AsyncClient() as client,
                ):
                    answer = await client.post(
                        f"{gateway}/graphql",
                        json={"query": QUERY, "variables": {"npsn": npsn}},
                        headers={"traceparent": f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-01"},
                    )
                await engine.close()  # the gateway's last spans go out now
            await source.aclose()
    finally:
        # off the loop, which serves the receiver
        await asyncio.to_thread(gateway_tracing.shutdown)
        await asyncio.to_thread(tracing.shutdown)
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["sekolah"]["nama"], answer.text

    (request,) = spans.named("graphql.request")
    (call,) = spans.named("subgraph dikbud")
    (served,) = spans.named("subgraph.request")
    legacy = spans.named("legacy dapodik")
    assert legacy, [span.name for span in spans.spans]
    assert {span.trace_id for span in (request, call, served, *legacy)} == {CLIENT_TRACE}
    assert request.parent_id == CLIENT_SPAN
    assert call.parent_id == request.span_id
    assert served.parent_id == call.span_id
    assert all(span.parent_id == served.span_id for span in legacy)
    assert (request.service, call.service) == ("simpul-gateway", "simpul-gateway")
    assert {served.service, *(span.service for span in legacy)} == {"simpul-dikbud"}

    assert request.attributes["graphql.operation.name"] == "Sekolah"
    assert request.attributes["graphql.operation.type"] == "query"
    assert call.attributes["server.address"] == "127.0.0.1"
    assert call.attributes["simpul.outcome"] == "ok"
    assert served.attributes["http.response.status_code"] == 200
    assert legacy[0].attributes["http.response.status_code"] == 200
    for span in spans.spans:  # personal data never reaches a trace
        for value in dataclasses.asdict(span)["attributes"].values():
            assert npsn not in str(value) and "sekolah(" not in str(value), span


async def test_no_spans_without_an_endpoint(receiver: tuple[Receiver, str]) -> None:
    spans, _ = receiver
    tracing.configure("")
    assert tracing.tracer() is None
    assert Tracing().tracer is None
    assert not spans.spans
