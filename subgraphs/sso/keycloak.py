"""A Keycloak realm as the gateway and its clients see it.

- ``POST /realms/<realm>/protocol/openid-connect/token``: ``grant_type=client_credentials``,
  the client authenticated by HTTP Basic or ``client_id``/``client_secret`` form fields; the
  answer is Keycloak's (``access_token``, ``expires_in``, ``token_type``, ``scope``). The
  token is a JWT with ``iss`` (the realm's URL), ``aud``, ``azp`` (the client id),
  ``scope`` and, when the client asked for them as form fields ``nip`` and ``purpose``,
  those claims (Keycloak does this with a protocol mapper).
- ``GET /realms/<realm>/protocol/openid-connect/certs``: the JWKS.
- ``GET /realms/<realm>/.well-known/openid-configuration``: discovery.

Keys can rotate (:meth:`KeycloakSimulator.rotate`): the new key signs from then on, and the
old one stays published until :meth:`retire`, as Keycloak keeps a passive key.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
import urllib.parse
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

__all__ = ["KeycloakSimulator", "SigningKey", "SsoClient"]

TOKEN_SECONDS = 300


@dataclass(frozen=True, slots=True)
class SsoClient:
    """A confidential client of the realm (a service account)."""

    client_id: str
    secret: str
    scopes: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    algorithm: str
    private: Any
    public_jwk: Mapping[str, Any]


def new_key(algorithm: str = "RS256") -> SigningKey:
    """A fresh signing key for ``RS256``, ``ES256`` or ``EdDSA``."""
    kid = uuid.uuid4().hex[:16]
    private: Any
    if algorithm == "RS256":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    elif algorithm == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
        jwk = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    elif algorithm == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
        jwk = json.loads(OKPAlgorithm.to_jwk(private.public_key()))
    else:
        raise ValueError(f"unsupported algorithm {algorithm}")
    jwk.update({"kid": kid, "alg": algorithm, "use": "sig"})
    return SigningKey(kid, algorithm, private, jwk)


class KeycloakSimulator:
    """One realm; ``app`` is its ASGI application, ``base_url`` where it is served."""

    def __init__(
        self,
        clients: Sequence[SsoClient],
        *,
        base_url: str,
        realm: str = "pontianak",
        audience: str = "simpul-gateway",
        algorithm: str = "RS256",
    ) -> None:
        self.clients = {client.client_id: client for client in clients}
        self.base_url = base_url.rstrip("/")
        self.realm = realm
        self.audience = audience
        self.keys: list[SigningKey] = [new_key(algorithm)]
        self.jwks_requests = 0
        prefix = f"/realms/{realm}"
        self.app = Starlette(
            routes=[
                Route("/health", self.health),
                Route(f"{prefix}/protocol/openid-connect/token", self.token, methods=["POST"]),
                Route(f"{prefix}/protocol/openid-connect/certs", self.certs),
                Route(f"{prefix}/.well-known/openid-configuration", self.discovery),
            ]
        )

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/realms/{self.realm}"

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/certs"

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/token"

    def rotate(self, algorithm: str | None = None) -> SigningKey:
        """Sign with a new key from now on; the old ones stay published."""
        key = new_key(algorithm or self.keys[0].algorithm)
        self.keys.insert(0, key)
        return key

    def retire(self) -> None:
        """Stop publishing every key but the current one."""
        del self.keys[1:]

    def issue(self, client_id: str, claims: Mapping[str, Any] | None = None) -> str:
        """A token for ``client_id`` as the token endpoint would issue it."""
        client = self.clients[client_id]
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "azp": client.client_id,
            "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.issuer}/{client.client_id}")),
            "typ": "Bearer",
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "jti": secrets.token_hex(8),
            "scope": " ".join(client.scopes),
        }
        payload.update(claims or {})
        key = self.keys[0]
        return jwt.encode(payload, key.private, algorithm=key.algorithm, headers={"kid": key.kid})

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "realm": self.realm})

    async def certs(self, request: Request) -> Response:
        self.jwks_requests += 1
        return JSONResponse({"keys": [dict(key.public_jwk) for key in self.keys]})

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "token_endpoint": self.token_url,
                "jwks_uri": self.jwks_url,
                "grant_types_supported": ["client_credentials"],
                "id_token_signing_alg_values_supported": [self.keys[0].algorithm],
            }
        )

    async def token(self, request: Request) -> Response:
        # client credentials arrive form-encoded, as OAuth2 prescribes
        form = {k: v[0] for k, v in urllib.parse.parse_qs((await request.body()).decode()).items()}
        client_id, secret = _basic(request.headers.get("authorization", ""))
        client_id = client_id or str(form.get("client_id") or "")
        secret = secret or str(form.get("client_secret") or "")
        client = self.clients.get(client_id)
        if client is None or not hmac.compare_digest(client.secret.encode(), secret.encode()):
            return _oauth_error(
                401, "invalid_client", "Invalid client or Invalid client credentials"
            )
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "Unsupported grant_type")
        extra = {name: str(form[name]) for name in ("nip", "purpose") if form.get(name)}
        return JSONResponse(
            {
                "access_token": self.issue(client_id, extra),
                "expires_in": TOKEN_SECONDS,
                "refresh_expires_in": 0,
                "token_type": "Bearer",
                "not-before-policy": 0,
                "scope": " ".join(client.scopes),
            },
            headers={"Cache-Control": "no-store"},
        )


def _basic(header: str) -> tuple[str, str]:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return "", ""
    try:
        decoded = base64.b64decode(value).decode()
    except ValueError:
        return "", ""
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _oauth_error(status: int, error: str, description: str) -> Response:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)
