"""Toolkit subgraphs behind the gateway: their SDL composes, and 100 entities jumped to
through the gateway cost the legacy system one call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.config import EngineSettings
from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from gateway.supergraph import load_supergraph
from gateway.transport import HttpxTransport
from subgraphs.toolkit import GatewayTrust, create_app, subgraph_sdl
from tests.support.composed import composed_supergraph_text
from tests.toolkit.example import FakeDapodik, dapodik, npsn_list, registry

FIXTURES = Path(__file__).parent / "supergraphs"


def supergraph_text() -> str:
    """Composed by @theguild/federation-composition from the SDLs the subgraphs serve."""
    sdls = {"dapodik": subgraph_sdl(dapodik), "registry": subgraph_sdl(registry)}
    return composed_supergraph_text(FIXTURES, "example", sdls)


@pytest.fixture
async def engine(upstream: FakeDapodik) -> AsyncIterator[Engine]:
    apps = {
        "http://dapodik/graphql": create_app(
            dapodik, trust=GatewayTrust.unsigned(), source=upstream
        ),
        "http://registry/graphql": create_app(registry, trust=GatewayTrust.unsigned()),
    }
    engine = Engine(
        load_supergraph(supergraph_text()), HttpxTransport.for_apps(apps), EngineSettings()
    )
    try:
        yield engine
    finally:
        await engine.close()


async def run(engine: Engine, query: str) -> dict[str, Any]:
    response = await engine.execute(GraphQLRequest(query), RequestContext())
    assert response.status == 200, response.body
    return response.body


def test_the_reference_composer_accepts_the_toolkit_sdl() -> None:
    text = supergraph_text()
    assert '@join__graph(name: "dapodik", url: "http://dapodik/graphql")' in text
    assert "https://specs.apollo.dev/federation/v2.9" in subgraph_sdl(dapodik)


async def test_a_hundred_schools_cost_one_upstream_call(
    engine: Engine, upstream: FakeDapodik
) -> None:
    body = await run(engine, "{ sekolahTerdaftar(jumlah: 100) { npsn nama } }")
    schools = body["data"]["sekolahTerdaftar"]
    assert [school["npsn"] for school in schools] == npsn_list(100)
    assert schools[99]["nama"] == "SD Negeri 100 Pontianak"
    assert upstream.calls == [npsn_list(100)]


async def test_one_broken_school_leaves_the_others(engine: Engine, upstream: FakeDapodik) -> None:
    upstream.failing = {"30100002"}
    body = await run(engine, "{ sekolahTerdaftar(jumlah: 3) { npsn nama } }")
    assert body["data"] == {
        "sekolahTerdaftar": [
            {"npsn": "30100001", "nama": "SD Negeri 1 Pontianak"},
            None,
            {"npsn": "30100003", "nama": "SD Negeri 3 Pontianak"},
        ]
    }
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UPSTREAM_BAD_RESPONSE"
    assert error["extensions"]["service"] == "dapodik"
    assert error["path"][:2] == ["sekolahTerdaftar", 1]
