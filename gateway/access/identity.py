"""Authenticating callers: a JWT from the city's identity provider, an API key, or nobody.

- ``Authorization: Bearer <JWT>``: an OAuth2 client-credentials token (Keycloak's, say),
  verified against the provider's JWKS: signature (RS256, ES256 or EdDSA, as configured),
  issuer, audience, expiry and not-before, with a clock-skew allowance. The client
  application is the token's ``azp`` claim (configurable), looked up in the grants file by
  name or identity-provider client id; its scopes are the token's ``scope``/``scp`` and any
  the grants file adds.
- ``x-api-key: spk_...`` (header configurable): a key from the API keys file, for legacy
  callers that cannot get tokens.
- neither: an anonymous caller, when ``access.anonymous`` allows it.

A credential that is present but wrong is never downgraded to anonymity: it is refused
with 401. The officer acting (NIP, 18 digits) and the purpose of the request come from the
token's ``nip``/``purpose`` claims or the ``simpul-officer``/``simpul-purpose`` headers;
they are checked here and reach subgraphs only inside the gateway's signed call token.
"""

from __future__ import annotations

import asyncio
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import httpx
import jwt
import orjson

from .caller import ANONYMOUS, Caller, Credential, Grant
from .grants import ApiKeys, ClientGrants, Grants, normal_purpose

__all__ = [
    "AuthenticationFailed",
    "Authenticator",
    "BadIdentityClaim",
    "JwksKeys",
    "JwtSettings",
    "PolicyHook",
]

log = logging.getLogger("gateway.access")

NIP_DIGITS = 18
MAX_PURPOSE = 200

PolicyHook = Callable[[Caller, str], bool]
"""``hook(caller, policy)``: whether ``caller`` holds ``policy`` beyond the grants file."""


class AuthenticationFailed(Exception):
    """A credential was presented and is not valid (401); the message says why."""

    def __init__(self, message: str, error: str = "invalid_token") -> None:
        super().__init__(message)
        self.message = message
        self.error = error
        """The RFC 6750 error for ``WWW-Authenticate``."""


class BadIdentityClaim(Exception):
    """An officer or purpose that is malformed (400); the message says which."""


@dataclass(frozen=True, slots=True)
class JwtSettings:
    """How tokens are checked."""

    jwks_url: str
    issuer: str
    audience: str
    algorithms: tuple[str, ...] = ("RS256", "ES256", "EdDSA")
    leeway: float = 30.0
    client_claim: str = "azp"
    refresh_seconds: float = 600.0
    """Keys are fetched again after this long, whatever happens."""
    unknown_kid_seconds: float = 10.0
    """An unknown ``kid`` fetches the keys again, at most this often (key rotation)."""


class JwksKeys:
    """The identity provider's signing keys, fetched from its JWKS and kept by ``kid``."""

    def __init__(self, settings: JwtSettings, client: httpx.AsyncClient | None = None) -> None:
        self._settings = settings
        self._client = client
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def key(self, kid: str | None) -> jwt.PyJWK:
        """The key named ``kid`` (or the only key, for a token without one)."""
        now = time.monotonic()
        stale = now - self._fetched_at > self._settings.refresh_seconds
        found = self._pick(kid)
        if found is None or stale:
            # a new kid is how a rotated key shows up; refetching is bounded so that
            # tokens with made-up kids cannot make the gateway hammer the provider
            may_refetch = stale or now - self._fetched_at > self._settings.unknown_kid_seconds
            if may_refetch:
                await self._refresh(stale)
                found = self._pick(kid)
        if found is None:
            raise AuthenticationFailed(
                "the token is signed with a key the identity provider does not publish"
            )
        return found

    def _pick(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None:
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(kid)

    async def _refresh(self, stale: bool) -> None:
        async with self._lock:
            if time.monotonic() - self._fetched_at <= self._settings.unknown_kid_seconds:
                return  # another request refreshed while this one waited
            try:
                document = await self._fetch()
                keys = {}
                for entry in document.get("keys", []):
                    if entry.get("use", "sig") != "sig":
                        continue
                    try:
                        key = jwt.PyJWK(entry)
                    except jwt.PyJWTError:
                        continue  # a key type this gateway does not use
                    keys[str(entry.get("kid", ""))] = key
            except (httpx.HTTPError, OSError, ValueError, AttributeError) as error:
                # keep the keys we have: a provider down for a moment must not lock out
                # every caller whose token was signed with a known key
                log.warning("cannot read the identity provider's keys: %s", error)
                self._fetched_at = time.monotonic()
                return
            self._keys = keys
            self._fetched_at = time.monotonic()

    async def _fetch(self) -> dict[str, Any]:
        url = self._settings.jwks_url
        if url.startswith("file:") or "://" not in url:
            path = urllib.parse.urlparse(url).path if url.startswith("file:") else url
            text = await asyncio.to_thread(_read_bytes, path)
            document = orjson.loads(text)
        else:
            client = self._client or httpx.AsyncClient(timeout=5.0, trust_env=False)
            try:
                response = await client.get(url)
                response.raise_for_status()
                document = response.json()
            finally:
                if self._client is None:
                    await client.aclose()
        if not isinstance(document, dict):
            raise ValueError("the JWKS is not a JSON object")
        return document


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


class Authenticator:
    """Turns a request's headers into its :class:`Caller`."""

    def __init__(
        self,
        *,
        grants: Grants | None = None,
        api_keys: ApiKeys | None = None,
        jwt_settings: JwtSettings | None = None,
        jwks: JwksKeys | None = None,
        anonymous: bool = True,
        api_key_header: str = "x-api-key",
        officer_header: str = "simpul-officer",
        purpose_header: str = "simpul-purpose",
        policy_hook: PolicyHook | None = None,
        policies: Iterable[str] = (),
    ) -> None:
        self.grants = grants or Grants()
        self.api_keys = api_keys or ApiKeys()
        self.jwt = jwt_settings
        self.jwks = jwks or (JwksKeys(jwt_settings) if jwt_settings else None)
        self.anonymous = anonymous
        self.api_key_header = api_key_header.lower()
        self.officer_header = officer_header.lower()
        self.purpose_header = purpose_header.lower()
        self.policy_hook = policy_hook
        self.policies = frozenset(policies)
        """The policies the supergraph names: the hook is asked about these."""

    @property
    def identifying_headers(self) -> tuple[str, ...]:
        """The request headers that can make one caller different from another."""
        return ("authorization", self.api_key_header, self.officer_header, self.purpose_header)

    async def authenticate(self, headers: Mapping[str, str]) -> Caller:
        """The caller of a request with ``headers`` (names lower-case)."""
        authorization = headers.get("authorization", "")
        api_key = headers.get(self.api_key_header)
        if authorization and api_key:
            raise AuthenticationFailed(
                "send one credential: a token or an API key, not both", "invalid_request"
            )
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthenticationFailed(
                    "the Authorization header must be 'Bearer <token>'", "invalid_request"
                )
            claims = await self._verified_claims(token.strip())
            return self._caller(claims, headers)
        if api_key:
            client = self.api_keys.client_of(api_key.strip())
            if client is None:
                raise AuthenticationFailed("the API key is not valid")
            return self._made(client, Credential.API_KEY, frozenset(), {}, headers)
        if not self.anonymous:
            raise AuthenticationFailed(
                "this graph needs a client credential: a bearer token or an API key",
                "invalid_request",
            )
        return ANONYMOUS

    async def _verified_claims(self, token: str) -> dict[str, Any]:
        if self.jwt is None or self.jwks is None:
            raise AuthenticationFailed(
                "this gateway accepts no bearer tokens (no identity provider is configured)"
            )
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationFailed("the bearer token is not a JWT") from None
        algorithm = header.get("alg")
        if algorithm not in self.jwt.algorithms:
            raise AuthenticationFailed(f"the token's algorithm {algorithm!r} is not accepted")
        key = await self.jwks.key(header.get("kid"))
        if key.algorithm_name != algorithm:
            raise AuthenticationFailed("the token's algorithm does not match its key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=self.jwt.audience or None,
                issuer=self.jwt.issuer or None,
                leeway=self.jwt.leeway,
                options={
                    "require": ["exp", "iat"],
                    "verify_aud": bool(self.jwt.audience),
                },
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthenticationFailed("the token is not valid yet") from None
        except jwt.InvalidAudienceError:
            raise AuthenticationFailed("the token is meant for another audience") from None
        except jwt.InvalidIssuerError:
            raise AuthenticationFailed("the token comes from another issuer") from None
        except jwt.MissingRequiredClaimError as error:
            raise AuthenticationFailed(f"the token has no {error.claim} claim") from None
        except jwt.PyJWTError:
            raise AuthenticationFailed("the token's signature is not valid") from None
        return claims

    def _caller(self, claims: Mapping[str, Any], headers: Mapping[str, str]) -> Caller:
        assert self.jwt is not None
        identifier = claims.get(self.jwt.client_claim) or claims.get("client_id")
        if not isinstance(identifier, str) or not identifier:
            raise AuthenticationFailed(
                f"the token names no client application ({self.jwt.client_claim} claim)"
            )
        scopes = claims.get("scope", claims.get("scp", ""))
        granted = frozenset(scopes.split() if isinstance(scopes, str) else map(str, scopes or ()))
        officer = claims.get("nip")
        purpose = claims.get("purpose")
        return self._made(
            identifier,
            Credential.JWT,
            granted,
            {"officer": officer, "purpose": purpose},
            headers,
        )

    def _made(
        self,
        identifier: str,
        credential: Credential,
        scopes: frozenset[str],
        claimed: Mapping[str, object],
        headers: Mapping[str, str],
    ) -> Caller:
        known: ClientGrants | None = self.grants.find(identifier)
        name = known.name if known else identifier
        officer = _one(claimed.get("officer"), headers.get(self.officer_header), "officer")
        purpose = _one(claimed.get("purpose"), headers.get(self.purpose_header), "purpose")
        if officer is not None and not (len(officer) == NIP_DIGITS and officer.isdigit()):
            raise BadIdentityClaim(f"the officer must be a NIP of {NIP_DIGITS} digits")
        if purpose is not None:
            purpose = normal_purpose(purpose)
            if not purpose or len(purpose) > MAX_PURPOSE or not purpose.isprintable():
                raise BadIdentityClaim(
                    f"the purpose must be printable text of 1 to {MAX_PURPOSE} characters"
                )
        policies: dict[str, Grant] = {}
        for grant in known.grants if known else ():
            if not grant.purposes or purpose in grant.purposes:
                policies.setdefault(grant.policy, grant)
        caller = Caller(
            client=name,
            credential=credential,
            scopes=scopes | (known.scopes if known else frozenset()),
            policies=policies,
            officer=officer,
            purpose=purpose,
            max_cost=known.max_cost if known else None,
        )
        if self.policy_hook is not None:
            extra = {
                policy: Grant(policy)
                for policy in self.policies - set(policies)
                if self.policy_hook(caller, policy)
            }
            if extra:
                caller = replace(caller, policies={**policies, **extra})
        return caller


def _one(claimed: object, header: str | None, what: str) -> str | None:
    """The officer or purpose: from the token, or the header; both must then agree."""
    value = claimed if isinstance(claimed, str) and claimed else None
    given = header.strip() if header and header.strip() else None
    if value is not None and given is not None and normal_purpose(value) != normal_purpose(given):
        raise BadIdentityClaim(f"the {what} header contradicts the token's {what}")
    return value if value is not None else given
