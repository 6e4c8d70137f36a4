"""The gateway signs every subgraph call; a toolkit subgraph serves nothing else.

The subgraph here answers with what its context says about the caller, so each test sees
exactly what an OPD's resolver would learn from the gateway's signed word.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson
import pytest
import strawberry
from strawberry import Info

from gateway.access import AccessOptions, Grant
from gateway.access.call_token import (
    CALL_HEADER,
    CallClaims,
    CallSigner,
    CallVerifier,
    InvalidCall,
    generate_ed25519_key,
    generate_master_key,
)
from gateway.access.grants import ApiKeys, ClientGrants, Grants, hash_api_key
from gateway.access.identity import Authenticator
from gateway.compose.sources import SourceError, SubgraphSource, load_sdls
from gateway.config import EngineSettings
from gateway.engine import Engine
from gateway.request import GraphQLRequest, RequestContext
from gateway.transport import HttpxTransport
from subgraphs.toolkit import GatewayTrust, TrustNotConfigured, create_app, subgraph_schema
from tests.e2e.harness import served_sdl
from tests.support.composed import composed_supergraph

FIXTURES = Path(__file__).parent / "supergraphs"
CLIENT = "PNK/GOV/1.06.01/siks"
PURPOSE = "Verifikasi penerima bantuan sosial"
NIP = "198709152010011003"


@strawberry.type
class Seen:
    client: str | None
    officer: str | None
    purpose: str | None
    request_id: str


@strawberry.type
class Query:
    @strawberry.field
    def seen(self, info: Info) -> Seen | None:
        call = info.context.call
        if call is None:
            return None
        return Seen(
            client=call.client,
            officer=call.officer,
            purpose=call.purpose,
            request_id=call.request_id,
        )


schema = subgraph_schema(Query)
SUPERGRAPH = composed_supergraph(FIXTURES, "signing", {"registry": served_sdl(schema)})
URL = "http://registry/graphql"


def signer_and_trust(method: str) -> tuple[CallSigner, GatewayTrust]:
    key_text = generate_master_key() if method == "hmac" else generate_ed25519_key()
    signer = CallSigner.from_key_text(method, key_text)
    key = signer.verification_key("registry")
    verifier_texts = (key, "") if method == "hmac" else ("", key)
    return signer, GatewayTrust(CallVerifier.from_texts("registry", *verifier_texts))


def gateway(signer: CallSigner, app: object) -> Engine:
    authenticator = Authenticator(
        grants=Grants({CLIENT: ClientGrants(CLIENT, grants=(Grant("x", (PURPOSE,)),))}),
        api_keys=ApiKeys({hash_api_key("spk_siks"): CLIENT}),
    )
    return Engine(
        SUPERGRAPH,
        HttpxTransport.for_apps({URL: app}),  # type: ignore[dict-item]
        EngineSettings(),
        AccessOptions(authenticator=authenticator, signer=signer),
    )


@pytest.mark.parametrize("method", ["hmac", "ed25519"])
async def test_the_subgraph_learns_the_verified_caller_from_the_signed_call(method: str) -> None:
    signer, trust = signer_and_trust(method)
    engine = gateway(signer, create_app(schema, trust=trust))
    headers = {"x-api-key": "spk_siks", "simpul-purpose": PURPOSE, "simpul-officer": NIP}
    try:
        response = await engine.execute(
            GraphQLRequest("{ seen { client officer purpose requestId } }"),
            RequestContext(headers=headers, request_id="req-42"),
        )
        anonymous = await engine.execute(GraphQLRequest("{ seen { client } }"), RequestContext())
    finally:
        await engine.close()
    assert response.body == {
        "data": {
            "seen": {"client": CLIENT, "officer": NIP, "purpose": PURPOSE, "requestId": "req-42"}
        }
    }
    assert anonymous.body == {"data": {"seen": {"client": None}}}


async def test_a_gateway_with_another_key_is_refused() -> None:
    _, trust = signer_and_trust("hmac")
    impostor, _ = signer_and_trust("hmac")
    engine = gateway(impostor, create_app(schema, trust=trust))
    try:
        response = await engine.execute(GraphQLRequest("{ seen { client } }"), RequestContext())
    finally:
        await engine.close()
    assert response.body["data"] == {"seen": None}
    assert response.body["errors"][0]["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
    assert "HTTP 401" in response.body["errors"][0]["message"]


async def direct(app: object, body: bytes, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
        return await client.post(
            "/graphql", content=body, headers={"content-type": "application/json", **headers}
        )


async def test_direct_calls_without_the_gateways_signature_are_refused() -> None:
    signer, trust = signer_and_trust("hmac")
    app = create_app(schema, trust=trust)
    body = orjson.dumps({"query": "{ _service { sdl } }"})
    unsigned = await direct(app, body, {})
    assert unsigned.status_code == 401
    assert unsigned.json() == {
        "errors": [
            {
                "message": "a call without the gateway's signature (simpul-call header)",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }
    token = signer.token("registry", body, CallClaims("r1", CLIENT))
    signed = await direct(app, body, {CALL_HEADER: token})
    assert signed.status_code == 200 and "type Query" in signed.json()["data"]["_service"]["sdl"]
    replayed = await direct(app, body, {CALL_HEADER: token})
    assert replayed.status_code == 401
    assert "replay" in replayed.json()["errors"][0]["message"]
    other_body = orjson.dumps({"query": "{ seen { client } }"})
    swapped = await direct(
        app, other_body, {CALL_HEADER: signer.token("registry", body, CallClaims())}
    )
    assert "not the one the gateway signed" in swapped.json()["errors"][0]["message"]
    elsewhere = await direct(app, body, {CALL_HEADER: signer.token("dukcapil", body, CallClaims())})
    # each subgraph holds only its own key: a call signed for dukcapil means nothing here
    assert "a key this subgraph does not know" in elsewhere.json()["errors"][0]["message"]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://registry"
    ) as client:
        assert (await client.get("/graphql?query={__typename}")).status_code == 401
        assert (await client.get("/health")).json() == {"status": "pass"}


def test_a_subgraph_without_a_key_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SIMPUL_CALL_KEY", "SIMPUL_CALL_KEY_FILE", "SIMPUL_GATEWAY_PUBLIC_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SIMPUL_CALL_SIGNING", raising=False)
    with pytest.raises(TrustNotConfigured, match="SIMPUL_CALL_KEY"):
        GatewayTrust.from_environment("registry")
    monkeypatch.setenv("SIMPUL_CALL_SIGNING", "none")
    assert GatewayTrust.from_environment("registry").verifier is None


def test_with_one_gateway_key_the_audience_tells_the_subgraphs_apart() -> None:
    signer, trust = signer_and_trust("ed25519")
    assert trust.verifier is not None
    body = b'{"query":"{ seen { client } }"}'
    with pytest.raises(InvalidCall, match="signed for another subgraph, not registry"):
        trust.verifier.verify(signer.token("dukcapil", body, CallClaims()), body)


def test_subgraphs_accept_the_old_and_the_new_key_while_keys_rotate() -> None:
    old = CallSigner.from_key_text("hmac", generate_master_key())
    new = CallSigner.from_key_text("hmac", generate_master_key())
    keys = f"{new.verification_key('registry')},{old.verification_key('registry')}"
    verifier = CallVerifier.from_texts("registry", keys)
    body = b"{}"
    for signer in (old, new):
        assert (
            verifier.verify(signer.token("registry", body, CallClaims("r")), body).request_id == "r"
        )


def test_composition_fetches_sdls_with_the_gateways_signature() -> None:
    signer, trust = signer_and_trust("hmac")
    assert trust.verifier is not None
    verifier = trust.verifier

    def subgraph(request: httpx.Request) -> httpx.Response:
        try:
            verifier.verify(request.headers.get(CALL_HEADER), request.content)
        except InvalidCall:
            return httpx.Response(401, json={"errors": [{"message": "unsigned"}]})
        return httpx.Response(200, json={"data": {"_service": {"sdl": "type Query { a: Int }"}}})

    source = SubgraphSource(name="registry", url=URL, schema=None)
    transport = httpx.MockTransport(subgraph)
    [loaded] = load_sdls([source], transport=transport, signer=signer)
    assert loaded.sdl == "type Query { a: Int }"
    with pytest.raises(SourceError, match="set SIMPUL_CALL_KEY_FILE"):
        load_sdls([source], transport=transport)
