"""CORS for other OPDs' web applications, CSRF prevention, and the production profile."""

from __future__ import annotations

import httpx
import pytest

from gateway.config import (
    ConfigError,
    CorsSettings,
    GatewayConfig,
    ServerSettings,
    load_config,
)
from gateway.server import create_app
from tests.support.schema_engine import SchemaEngine

SIPD = "https://sipd.pontianak.go.id"
CORS = CorsSettings(
    origins=(SIPD,), origin_patterns=(r"https://[a-z0-9-]+\.opd\.pontianak\.go\.id",)
)


def client(config: GatewayConfig) -> httpx.AsyncClient:
    app = create_app(SchemaEngine(), config)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


def preflight(origin: str, method: str = "POST", headers: str = "content-type") -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": method,
        "access-control-request-headers": headers,
    }


async def test_a_listed_origin_gets_its_preflight_and_its_answers() -> None:
    async with client(GatewayConfig(cors=CORS)) as gateway:
        answer = await gateway.options(
            "/graphql", headers=preflight(SIPD, headers="content-type, authorization")
        )
        assert answer.status_code == 204
        assert answer.headers["access-control-allow-origin"] == SIPD
        assert answer.headers["access-control-allow-methods"] == "GET, POST"
        assert answer.headers["access-control-allow-headers"] == "authorization, content-type"
        assert answer.headers["access-control-max-age"] == "600"
        assert "access-control-allow-credentials" not in answer.headers
        posted = await gateway.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": SIPD}
        )
        assert posted.headers["access-control-allow-origin"] == SIPD
        assert posted.headers["access-control-expose-headers"] == "x-request-id"
        assert posted.headers["vary"] == "Origin"
        pattern = "https://dinkes.opd.pontianak.go.id"
        assert (await gateway.options("/graphql", headers=preflight(pattern))).status_code == 204


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (preflight("http://evil.example"), "the origin http://evil.example may not call"),
        (preflight("https://x.opd.pontianak.go.id.evil.example"), "may not call"),
        (preflight(SIPD, method="DELETE"), "the method DELETE is not allowed"),
        (preflight(SIPD, headers="content-type, x-forwarded-for"), "x-forwarded-for"),
    ],
)
async def test_other_preflights_are_refused(headers: dict[str, str], reason: str) -> None:
    async with client(GatewayConfig(cors=CORS)) as gateway:
        answer = await gateway.options("/graphql", headers=headers)
    assert answer.status_code == 403
    assert "access-control-allow-origin" not in answer.headers
    [error] = answer.json()["errors"]
    assert reason in error["message"] and error["extensions"]["code"] == "CORS_REFUSED"


async def test_a_foreign_origin_gets_no_allowance_on_its_answers() -> None:
    async with client(GatewayConfig(cors=CORS)) as gateway:
        answer = await gateway.get(
            "/graphql",
            params={"query": "{ __typename }"},
            headers={"origin": "http://evil.example"},
        )
    assert "access-control-allow-origin" not in answer.headers
    assert answer.headers["vary"] == "Origin"


def test_every_origin_is_never_allowed() -> None:
    with pytest.raises(ConfigError, match="'\\*' would let every web page"):
        load_config(environ={"SIMPUL_CORS_ORIGINS": "*"})
    with pytest.raises(ConfigError, match="not a regular expression"):
        load_config(environ={"SIMPUL_CORS_ORIGIN_PATTERNS": "https://(["})


async def test_csrf_prevention_runs_a_get_only_with_a_preflight_forcing_header() -> None:
    config = GatewayConfig(server=ServerSettings(csrf_prevention=True))
    async with client(config) as gateway:
        forged = await gateway.get(
            "/graphql",
            params={"query": "{ __typename }"},
            headers={"accept": "application/graphql-response+json"},
        )
        assert forged.status_code == 400
        assert forged.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTION"
        allowed = await gateway.get(
            "/graphql",
            params={"query": "{ __typename }"},
            headers={"apollo-require-preflight": "true"},
        )
        assert allowed.json() == {"data": {"__typename": "Query"}}
        posted = await gateway.post("/graphql", json={"query": "{ __typename }"})
        assert posted.json() == {"data": {"__typename": "Query"}}
        # a form post (a simple request no preflight guards) never runs
        form = await gateway.post(
            "/graphql",
            content=b'{"query": "{ __typename }"}',
            headers={"content-type": "text/plain"},
        )
        assert form.status_code == 415


def test_the_production_profile_turns_off_what_a_public_endpoint_must_not_show() -> None:
    config = load_config(
        environ={
            "SIMPUL_PROFILE": "production",
            "SIMPUL_GRAPHIQL": "true",
            "SIMPUL_EXPOSE_QUERY_PLAN": "true",
            "SIMPUL_EXPOSE_COST": "true",
        }
    )
    assert config.server.graphiql is False
    assert config.server.csrf_prevention is True
    assert config.engine.expose_query_plan is False
    assert config.engine.field_suggestions is False
    assert config.limits.expose_cost is False
    assert config.access.introspection == "authenticated"
    off = load_config(environ={"SIMPUL_PROFILE": "production", "SIMPUL_INTROSPECTION": "off"})
    assert off.access.introspection == "off"
    assert load_config().engine.field_suggestions is True
