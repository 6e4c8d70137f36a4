"""Authenticating callers with real tokens from a local identity provider over HTTP: every
accepted algorithm, key rotation without restart, and the tokens an attacker would try."""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import jwt
import pytest

from gateway.access import Credential, Grant
from gateway.access.grants import ApiKeys, ClientGrants, Grants, hash_api_key
from gateway.access.identity import (
    AuthenticationFailed,
    Authenticator,
    BadIdentityClaim,
    JwksKeys,
    JwtSettings,
)
from subgraphs.sso import KeycloakSimulator
from subgraphs.sso.keycloak import new_key

from .conftest import PORTAL, SIKS

SIKS_NAME = "PNK/GOV/1.06.01/siks"
PURPOSE = "Verifikasi penerima bantuan sosial"
GRANTS = Grants(
    {
        SIKS_NAME: ClientGrants(
            SIKS_NAME,
            oauth_client_ids=("dinsos-siks",),
            grants=(Grant("dukcapil.verifikasi", (PURPOSE,), "PKS 470/112/2026"),),
        )
    }
)
NIP = "198709152010011003"


def authenticator(idp: KeycloakSimulator, **settings: Any) -> Authenticator:
    options: dict[str, Any] = {"unknown_kid_seconds": 0.2, **settings}
    jwt_settings = JwtSettings(
        jwks_url=idp.jwks_url, issuer=idp.issuer, audience="simpul-gateway", **options
    )
    return Authenticator(grants=GRANTS, jwt_settings=jwt_settings)


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", **headers}


async def client_credentials(
    idp: KeycloakSimulator, client_id: str, secret: str, **form: str
) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    async with httpx.AsyncClient() as client:
        response = await client.post(
            idp.token_url,
            data={"grant_type": "client_credentials", **form},
            headers={"authorization": f"Basic {basic}"},
        )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def refused(auth: Authenticator, headers: dict[str, str]) -> str:
    with pytest.raises(AuthenticationFailed) as failure:
        await auth.authenticate(headers)
    return failure.value.message


async def test_a_token_from_the_identity_provider_names_the_client_application(
    idp: KeycloakSimulator,
) -> None:
    token = await client_credentials(idp, SIKS.client_id, SIKS.secret)
    caller = await authenticator(idp).authenticate(bearer(token, **{"simpul-purpose": PURPOSE}))
    assert caller.client == SIKS_NAME
    assert caller.credential is Credential.JWT
    assert caller.scopes == {"penduduk:baca"}
    assert set(caller.policies) == {"dukcapil.verifikasi"}
    # a client the grants file does not list is known by its client id and holds nothing
    other = await client_credentials(idp, PORTAL.client_id, PORTAL.secret)
    portal = await authenticator(idp).authenticate(bearer(other))
    assert (portal.client, portal.scopes, dict(portal.policies)) == ("portal-kota", set(), {})


async def test_a_wrong_client_secret_gets_no_token(idp: KeycloakSimulator) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            idp.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": SIKS.client_id,
                "client_secret": "guess",
            },
        )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("algorithm", ["RS256", "ES256", "EdDSA"])
async def test_every_accepted_algorithm_verifies(idp: KeycloakSimulator, algorithm: str) -> None:
    idp.rotate(algorithm)
    caller = await authenticator(idp).authenticate(bearer(idp.issue(SIKS.client_id)))
    assert caller.client == SIKS_NAME


async def test_a_rotated_key_is_fetched_without_restart(idp: KeycloakSimulator) -> None:
    auth = authenticator(idp, refresh_seconds=600)
    old = idp.issue(SIKS.client_id)
    await auth.authenticate(bearer(old))
    assert idp.jwks_requests == 1
    idp.rotate("ES256")
    time.sleep(0.25)  # past the unknown-kid interval
    new = idp.issue(SIKS.client_id)
    await auth.authenticate(bearer(new))
    await auth.authenticate(bearer(old))  # the passive key is still published
    assert idp.jwks_requests == 2
    idp.retire()
    later = authenticator(idp, refresh_seconds=0.0)
    await later.authenticate(bearer(new))
    assert "does not publish" in await refused(later, bearer(old))


async def test_made_up_key_ids_do_not_make_the_gateway_hammer_the_provider(
    idp: KeycloakSimulator,
) -> None:
    auth = authenticator(idp, unknown_kid_seconds=60)
    await auth.authenticate(bearer(idp.issue(SIKS.client_id)))
    stranger = new_key("RS256")
    for index in range(50):
        token = jwt.encode(
            {"iss": idp.issuer, "aud": "simpul-gateway", "azp": "x", "exp": time.time() + 60},
            stranger.private,
            algorithm="RS256",
            headers={"kid": f"made-up-{index}"},
        )
        assert "does not publish" in await refused(auth, bearer(token))
    assert idp.jwks_requests == 1


def forged(idp: KeycloakSimulator) -> str:
    """A token with the provider's key id, signed by someone else's key."""
    stranger = new_key("RS256")
    now = int(time.time())
    claims = {"iss": idp.issuer, "aud": "simpul-gateway", "azp": SIKS.client_id}
    claims.update({"iat": now, "exp": now + 60})
    return jwt.encode(claims, stranger.private, "RS256", headers={"kid": idp.keys[0].kid})


def unsigned(idp: KeycloakSimulator) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    now = int(time.time())
    body = {"iss": idp.issuer, "aud": "simpul-gateway", "azp": SIKS.client_id, "exp": now + 60}
    payload = base64.urlsafe_b64encode(jwt.utils.force_bytes(str(body).replace("'", '"')))
    return f"{header}.{payload.rstrip(b'=').decode()}."


def confused(idp: KeycloakSimulator) -> str:
    """HS256 keyed with the provider's public key: the classic algorithm confusion."""
    now = int(time.time())
    claims = {"iss": idp.issuer, "aud": "simpul-gateway", "azp": SIKS.client_id}
    claims.update({"iat": now, "exp": now + 60})
    public = str(idp.keys[0].public_jwk["n"]).encode()
    header = {"kid": idp.keys[0].kid, "alg": "HS256"}
    return jwt.api_jws.PyJWS().encode(
        jwt.utils.force_bytes(str(claims).replace("'", '"')), public, "HS256", headers=header
    )


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda idp: idp.issue("dinsos-siks", {"exp": int(time.time()) - 120}), "has expired"),
        (lambda idp: idp.issue("dinsos-siks", {"nbf": int(time.time()) + 600}), "not valid yet"),
        (lambda idp: idp.issue("dinsos-siks", {"aud": "another-api"}), "another audience"),
        (lambda idp: idp.issue("dinsos-siks", {"iss": "https://evil.example/realms/x"}), "issuer"),
        (forged, "signature is not valid"),
        (unsigned, "algorithm 'none' is not accepted"),
        (confused, "algorithm 'HS256' is not accepted"),
        (lambda idp: "not.a.token", "not a JWT"),
        (lambda idp: idp.issue("dinsos-siks", {"azp": None}), "names no client application"),
    ],
)
async def test_tokens_an_attacker_would_try_are_refused(
    idp: KeycloakSimulator, make: Any, reason: str
) -> None:
    assert reason in await refused(authenticator(idp), bearer(make(idp)))


async def test_clock_skew_within_the_leeway_is_accepted(idp: KeycloakSimulator) -> None:
    token = idp.issue(SIKS.client_id, {"exp": int(time.time()) - 10})
    assert (await authenticator(idp).authenticate(bearer(token))).client == SIKS_NAME


async def test_known_keys_keep_working_while_the_provider_is_down(
    idp: KeycloakSimulator,
) -> None:
    calls = {"n": 0}
    jwks = {"keys": [dict(idp.keys[0].public_jwk)]}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(200, json=jwks) if calls["n"] == 1 else httpx.Response(503)

    settings = JwtSettings(
        jwks_url="https://sso.example/certs",
        issuer=idp.issuer,
        audience="simpul-gateway",
        refresh_seconds=0.0,
        unknown_kid_seconds=0.0,
    )
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    auth = Authenticator(jwt_settings=settings, jwks=JwksKeys(settings, client))
    for _ in range(3):
        await auth.authenticate(bearer(idp.issue(SIKS.client_id)))
    assert calls["n"] >= 2
    await client.aclose()


async def test_officer_and_purpose_from_the_token_or_the_headers(idp: KeycloakSimulator) -> None:
    auth = authenticator(idp)
    token = await client_credentials(idp, SIKS.client_id, SIKS.secret, nip=NIP, purpose=PURPOSE)
    caller = await auth.authenticate(bearer(token))
    assert (caller.officer, caller.purpose) == (NIP, PURPOSE)
    plain = idp.issue(SIKS.client_id)
    headers = bearer(plain, **{"simpul-officer": NIP, "simpul-purpose": f"  {PURPOSE} "})
    caller = await auth.authenticate(headers)
    assert (caller.officer, caller.purpose) == (NIP, PURPOSE)
    with pytest.raises(BadIdentityClaim, match="contradicts"):
        await auth.authenticate(bearer(token, **{"simpul-purpose": "Penelitian"}))
    with pytest.raises(BadIdentityClaim, match="NIP of 18 digits"):
        await auth.authenticate(bearer(plain, **{"simpul-officer": "1987"}))


async def test_one_credential_at_a_time_and_none_when_required(idp: KeycloakSimulator) -> None:
    keys = ApiKeys({hash_api_key("spk_valid-key"): SIKS_NAME})
    auth = Authenticator(grants=GRANTS, api_keys=keys, anonymous=False)
    assert (await auth.authenticate({"x-api-key": "spk_valid-key"})).client == SIKS_NAME
    assert "not both" in await refused(
        auth, {"x-api-key": "spk_valid-key", "authorization": "Bearer x"}
    )
    assert "needs a client credential" in await refused(auth, {})
    assert "no identity provider" in await refused(auth, bearer(idp.issue(SIKS.client_id)))
    assert "Bearer <token>" in await refused(auth, {"authorization": "Basic abc"})
