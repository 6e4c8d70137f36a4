"""A client application's private answers, kept by the gateway for it alone, attacked by
another client as it would over the network.

Two OPD-style subgraphs built with the toolkit, each answer depending on the client the
gateway's signed call names: ``wilayah`` lists kelurahan (public, kept ten minutes), ``kas``
answers each client its own bill and budget (``cache_control(private=True, ...)``, at the
root and on the ``Kelurahan`` entity). Two ``simpul gateway`` processes keep answers in one
Redis, as replicas do; clients authenticate with the city's identity provider (tokens) or
API keys. ``kas`` sits behind a proxy that adds its own ``Cache-Control`` line, as an OPD's
web server configured for the whole site does: the answer is still private.

Client A asks first; then B (its own key), C (on the other gateway), anonymous callers
(claiming A's name in headers), forged, expired and other-audience tokens in A's name ask
the same: none gets A's answer, fresh or, with ``kas`` down, stale; A gets its own from the
cache on both gateways, which is what makes the refusals mean something.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import strawberry
from strawberry import Info

from gateway.access.call_token import CallSigner, CallVerifier, generate_master_key
from gateway.access.grants import hash_api_key
from gateway.cache import RedisCacheStore
from gateway.compose import SubgraphSDL, compose
from gateway.transport import ASGIApp
from subgraphs.sso import KeycloakSimulator, SsoClient
from subgraphs.sso.keycloak import new_key
from subgraphs.toolkit import (
    GatewayTrust,
    cache_control,
    create_app,
    described,
    subgraph_schema,
)
from tests.e2e.harness import Switch, answering, served_sdl, with_cache_control
from tests.support.gateway_process import start_gateway, stop_gateway, wait_ready
from tests.support.threaded_server import serving_in_thread

REDIS = "redis://127.0.0.1:6379/0"
A = "PNK/GOV/5.01.0.00.0.00.01.0000/sipd-penatausahaan"
B = "PNK/GOV/1.06.0.00.0.00.01.0000/siks-ng"
C = "PNK/GOV/1.02.0.00.0.00.01.0000/simpus"
KEYS = {client: "spk_" + secrets.token_urlsafe(32) for client in (A, B, C)}
FRESH = "{ tagihanSaya kelurahan { kode anggaranSaya } }"
STALE = "{ saldoSaya kelurahan { kode realisasiSaya } }"
OWN = cache_control(max_age=600, private=True)
"""Each client's own, for ten minutes."""
MOMENTARY = cache_control(max_age=1, stale_if_error=600, private=True)
"""Fresh for a second, then kept only to stand in for ``kas`` while it cannot answer."""
CALLS: Counter[str] = Counter()
"""The answers ``kas`` computed, per client it computed them for."""


def _asked_by(info: Info) -> str:
    call = info.context.call
    client = call.client if call is not None and call.client else "umum"
    CALLS[client] += 1
    return client


@strawberry.federation.type(keys=["kode"])
class Kelurahan:
    kode: strawberry.ID
    nama: str


@strawberry.type
class WilayahQuery:
    @described("The city's kelurahan.", metadata=cache_control(max_age=600))
    def kelurahan(self) -> list[Kelurahan]:
        return [Kelurahan(kode=strawberry.ID(k), nama=f"Kelurahan {k}") for k in ("1", "2")]


@strawberry.federation.type(keys=["kode"], name="Kelurahan")
class KelurahanKas:
    kode: strawberry.ID

    @described("The asking client's budget here.", metadata=OWN)
    def anggaran_saya(self, info: Info) -> str:
        return f"anggaran {self.kode} untuk {_asked_by(info)}"

    @described("The asking client's spending here.", metadata=MOMENTARY)
    def realisasi_saya(self, info: Info) -> str:
        return f"realisasi {self.kode} untuk {_asked_by(info)}"

    @classmethod
    def resolve_reference(cls, kode: strawberry.ID) -> KelurahanKas:
        return cls(kode=kode)


@strawberry.type
class KasQuery:
    @described("The asking client's bill.", metadata=OWN)
    def tagihan_saya(self, info: Info) -> str:
        return f"tagihan untuk {_asked_by(info)}"

    @described("The asking client's balance.", metadata=MOMENTARY)
    def saldo_saya(self, info: Info) -> str:
        return f"saldo untuk {_asked_by(info)}"


WILAYAH = subgraph_schema(WilayahQuery)
KAS = subgraph_schema(KasQuery, types=[KelurahanKas])


@dataclass(frozen=True)
class Graph:
    """The two gateways' URLs, the identity provider, the switch ``kas`` answers behind and
    ``kas`` itself, up."""

    gateways: tuple[str, str]
    idp: KeycloakSimulator
    kas: Switch
    up: ASGIApp


def toml_file(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graph]:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.fail("Redis is not running on 127.0.0.1:6379 (see .ci/run to start it)")
    folder = tmp_path_factory.mktemp("private")
    prefix = f"simpul:test:{uuid.uuid4().hex}:"
    key_text = generate_master_key()
    key_file = folder / "call.key"
    key_file.write_text(key_text)
    key_file.chmod(0o600)
    signer = CallSigner.from_key_text("hmac", key_text)

    def trusting(name: str) -> GatewayTrust:
        return GatewayTrust(CallVerifier.from_texts(name, signer.verification_key(name)))

    # kas's web server adds the site's caching policy after the application's own line
    up = with_cache_control(
        create_app(KAS, trust=trusting("kas")), "max-age=600, stale-if-error=600"
    )
    kas = Switch(up)
    apps: dict[str, Any] = {"wilayah": create_app(WILAYAH, trust=trusting("wilayah")), "kas": kas}
    with serving_in_thread(apps) as base:
        idp = KeycloakSimulator(
            [SsoClient("sipd-a", "rahasia-a-0123456789abcdef")], base_url=f"{base}/sso"
        )
        apps["sso"] = idp.app
        supergraph = folder / "supergraph.graphql"
        supergraph.write_text(
            compose(
                [
                    SubgraphSDL("wilayah", f"{base}/wilayah/graphql", served_sdl(WILAYAH)),
                    SubgraphSDL("kas", f"{base}/kas/graphql", served_sdl(KAS)),
                ]
            )
        )
        env = {
            "SIMPUL_CALL_SIGNING": "hmac",
            "SIMPUL_CALL_KEY_FILE": str(key_file),
            "SIMPUL_GRANTS_FILE": toml_file(
                folder / "grants.toml",
                "".join(
                    f'[[client]]\nname = "{name}"\n{extra}\n'
                    for name, extra in ((A, 'oauth_client_ids = ["sipd-a"]'), (B, ""), (C, ""))
                ),
            ),
            "SIMPUL_API_KEYS_FILE": toml_file(
                folder / "api-keys.toml",
                "".join(
                    f'[[key]]\nclient = "{name}"\nsha256 = "{hash_api_key(key)}"\n'
                    for name, key in KEYS.items()
                ),
            ),
            "SIMPUL_JWKS_URL": idp.jwks_url,
            "SIMPUL_JWT_ISSUER": idp.issuer,
            "SIMPUL_JWT_AUDIENCE": idp.audience,
            "SIMPUL_CACHE_REDIS_URL": REDIS,
            "SIMPUL_CACHE_PREFIX": prefix,
        }
        processes = []
        try:
            urls = []
            for _ in range(2):
                process, url = start_gateway("--supergraph", str(supergraph), env=env)
                processes.append(process)
                wait_ready(url)
                urls.append(f"{url}/graphql")
            yield Graph((urls[0], urls[1]), idp, kas, up)
        finally:
            for process in processes:
                assert stop_gateway(process) == 0
            asyncio.run(forget(prefix))


async def forget(prefix: str) -> None:
    """Drop what the gateways kept under ``prefix``."""
    store = RedisCacheStore(REDIS)
    try:
        await store.delete(prefix)
    finally:
        await store.close()


def ask(url: str, query: str, **headers: str) -> httpx.Response:
    return httpx.post(url, json={"query": query}, headers=headers, timeout=30)


def api_key(client: str) -> dict[str, str]:
    return {"x-api-key": KEYS[client]}


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def own(client: str) -> dict[str, Any]:
    """The fresh answer ``kas`` gives ``client``."""
    return {
        "tagihanSaya": f"tagihan untuk {client}",
        "kelurahan": [
            {"kode": k, "anggaranSaya": f"anggaran {k} untuk {client}"} for k in ("1", "2")
        ],
    }


def impostors(idp: KeycloakSimulator) -> dict[str, dict[str, str]]:
    """Requests in A's name without A's credential: each must be refused or anonymous."""
    now = int(time.time())
    stranger = new_key()
    forged = jwt.encode(
        {"iss": idp.issuer, "aud": idp.audience, "azp": "sipd-a", "iat": now, "exp": now + 300},
        stranger.private,
        algorithm="RS256",
        headers={"kid": idp.keys[0].kid},
    )
    return {
        "forged token": bearer(forged),
        "expired token": bearer(idp.issue("sipd-a", {"iat": now - 900, "exp": now - 600})),
        "another audience's token": bearer(idp.issue("sipd-a", {"aud": "sipd-api"})),
        "guessed key": {"x-api-key": "spk_" + secrets.token_urlsafe(32)},
        "A's key, altered": {"x-api-key": KEYS[A][:-1] + ("A" if KEYS[A][-1] != "A" else "B")},
        "A's name in headers": {
            "x-simpul-client": A,
            "simpul-client": A,
            "x-client-id": "sipd-a",
            "simpul-call": "forged.call.token",
        },
    }


def refused_or_anonymous(answer: httpx.Response) -> None:
    assert A not in answer.text, answer.text
    if answer.status_code == 200:
        assert answer.json()["data"]["tagihanSaya"] == "tagihan untuk umum", answer.text
    else:
        assert answer.status_code in (400, 401), answer.text


def test_no_other_client_gets_a_client_s_private_answer(graph: Graph) -> None:
    first, _ = graph.gateways
    assert ask(first, FRESH, **api_key(A)).json() == {"data": own(A)}
    asked = CALLS[A]
    # A again, by key and by token: its own answer, from the cache
    assert ask(first, FRESH, **api_key(A)).json() == {"data": own(A)}
    assert ask(first, FRESH, **bearer(graph.idp.issue("sipd-a"))).json() == {"data": own(A)}
    assert CALLS[A] == asked

    assert ask(first, FRESH, **api_key(B)).json() == {"data": own(B)}
    anonymous = ask(first, FRESH)
    assert anonymous.json()["data"]["tagihanSaya"] == "tagihan untuk umum"
    for headers in impostors(graph.idp).values():
        refused_or_anonymous(ask(first, FRESH, **headers))
    assert CALLS[A] == asked
    # A's token and B's key at once: one credential, never either's answer
    both = ask(first, FRESH, **bearer(graph.idp.issue("sipd-a")), **api_key(B))
    assert both.status_code in (400, 401) and A not in both.text and B not in both.text


def test_the_other_gateway_keeps_them_apart_too(graph: Graph) -> None:
    first, second = graph.gateways
    ask(first, FRESH, **api_key(A))
    asked = CALLS[A]
    assert ask(second, FRESH, **api_key(A)).json() == {"data": own(A)}  # from Redis
    assert CALLS[A] == asked
    assert ask(second, FRESH, **api_key(C)).json() == {"data": own(C)}
    refused_or_anonymous(ask(second, FRESH))
    for headers in impostors(graph.idp).values():
        refused_or_anonymous(ask(second, FRESH, **headers))
    assert CALLS[A] == asked


def test_a_stale_private_answer_stands_in_for_its_own_client_only(graph: Graph) -> None:
    first, second = graph.gateways
    kept = ask(first, STALE, **api_key(A)).json()
    assert kept["data"]["saldoSaya"] == f"saldo untuk {A}"
    time.sleep(1.5)  # past max-age=1: kept only to stand in while kas cannot answer
    graph.kas.app = answering(503, b"Service Unavailable", "text/plain")
    try:
        for gateway in (first, second):
            for headers in (api_key(B), api_key(C), {}, *impostors(graph.idp).values()):
                answer = ask(gateway, STALE, **headers)
                assert A not in answer.text, (gateway, headers, answer.text)
                assert "stale" not in answer.text, (gateway, headers, answer.text)
        # A, on the other gateway: its own answer, stale and said to be
        answer = ask(second, STALE, **api_key(A)).json()
        assert answer["data"] == kept["data"], answer
        assert {entry["service"] for entry in answer["extensions"]["stale"]} == {"kas"}
    finally:
        graph.kas.app = graph.up
