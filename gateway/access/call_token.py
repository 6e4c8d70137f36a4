"""The gateway's signature on every subgraph call, and its check in the subgraph.

A subgraph trusts the gateway, not whoever reaches its port. Each call carries a
short-lived token in the ``simpul-call`` header: a JWS (JWT compact form) whose claims
say which subgraph it is for (``aud``), when it was made and until when it holds
(``iat``, ``exp``), a unique id (``jti``, so a captured call cannot be replayed), the
SHA-256 of the exact request body (``bh``, so it cannot carry another query), the request
id (``rid``) and the caller the gateway verified: client application (``sub``), officer
(``nip``) and purpose (``pur``).

Two ways to sign, chosen by the gateway's configuration:

- ``hmac`` (HS256): the gateway holds one master key; each subgraph holds only its own key,
  derived from the master and its name (:func:`subgraph_key`), so no subgraph can sign for
  another. About 5 µs per call.
- ``ed25519`` (EdDSA): the gateway holds a private key, subgraphs its public key, so no
  subgraph can sign at all. About 50 µs per call.

Both sides accept several keys, told apart by the token's ``kid``, so keys rotate without
downtime: add the new key to the subgraphs, switch the gateway, remove the old key. The
gateway signs with its own compact encoder (it only ever writes tokens); subgraphs verify
with PyJWT.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import jwt
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "CALL_HEADER",
    "ISSUER",
    "CallClaims",
    "CallKeyError",
    "CallSigner",
    "CallVerifier",
    "InvalidCall",
    "VerifiedCall",
    "generate_ed25519_key",
    "generate_master_key",
    "key_id",
    "read_key_file",
    "subgraph_key",
]

CALL_HEADER = "simpul-call"
ISSUER = "simpul-gateway"
ALGORITHMS = ("HS256", "EdDSA")
LEEWAY = 5.0
"""Seconds of clock difference between gateway and subgraph tolerated."""


class CallKeyError(Exception):
    """A key cannot be read or used; the message says which and why, never the key."""


class InvalidCall(Exception):
    """A subgraph call without a valid gateway signature; the message says why."""


@dataclass(frozen=True, slots=True)
class CallClaims:
    """The per-request part of a call's claims: who the gateway verified the caller to be."""

    request_id: str = ""
    client: str | None = None
    officer: str | None = None
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class VerifiedCall:
    """A call the gateway signed, as the subgraph sees it."""

    subgraph: str
    request_id: str
    client: str | None
    officer: str | None
    purpose: str | None
    token_id: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public: bytes) -> str:
    """A short, stable name for a key (its HMAC secret or raw public key), safe to show."""
    return _b64(hashlib.sha256(b"simpul key id\0" + public).digest()[:9])


def generate_master_key() -> str:
    """A new HMAC master key, as its key file holds it."""
    return _b64(os.urandom(32))


def generate_ed25519_key() -> str:
    """A new Ed25519 private key in PEM, as its key file holds it."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def subgraph_key(master: bytes, subgraph: str) -> bytes:
    """The HMAC key of one subgraph, derived from the gateway's master key."""
    return hmac.new(master, b"simpul call key\0" + subgraph.encode(), hashlib.sha256).digest()


def read_key_file(path: str) -> str:
    """A key file's text; refuses a file others can read, as ssh does."""
    try:
        mode = os.stat(path).st_mode
        with open(path, encoding="ascii") as handle:
            text = handle.read().strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise CallKeyError(f"cannot read the key file {path}: {reason}") from None
    if mode & 0o077:
        raise CallKeyError(
            f"the key file {path} can be read by other users (mode {mode & 0o777:o}); "
            f"chmod 600 {path}"
        )
    if not text:
        raise CallKeyError(f"the key file {path} is empty")
    return text


class CallSigner:
    """Signs the gateway's subgraph calls."""

    def __init__(
        self,
        algorithm: str,
        keys: Mapping[str, bytes] | None = None,
        private_key: Ed25519PrivateKey | None = None,
        master: bytes | None = None,
        ttl: float = 30.0,
    ) -> None:
        self.algorithm = algorithm
        self.ttl = ttl
        self._master = master
        self._private = private_key
        self._keys: dict[str, tuple[str, bytes]] = {}
        if algorithm == "EdDSA":
            assert private_key is not None
            raw = private_key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            self._eddsa_header = _b64(
                orjson.dumps({"alg": "EdDSA", "typ": "JWT", "kid": key_id(raw)})
            )
        for subgraph, key in (keys or {}).items():
            self._remember(subgraph, key)

    @classmethod
    def from_key_text(cls, algorithm: str, text: str, ttl: float = 30.0) -> CallSigner:
        """A signer from a key file's text: an HMAC master key, or an Ed25519 PEM key."""
        if algorithm == "hmac":
            try:
                master = _unb64(text.split()[0])
            except ValueError:
                raise CallKeyError("the HMAC master key is not base64url text") from None
            if len(master) < 32:
                raise CallKeyError("the HMAC master key must hold at least 32 bytes")
            return cls("HS256", master=master, ttl=ttl)
        if algorithm == "ed25519":
            try:
                key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
            except (ValueError, TypeError):
                raise CallKeyError("the Ed25519 key file holds no PEM private key") from None
            if not isinstance(key, Ed25519PrivateKey):
                raise CallKeyError("the signing key is not an Ed25519 key")
            return cls("EdDSA", private_key=key, ttl=ttl)
        raise CallKeyError(f"unknown signing method {algorithm!r} (hmac or ed25519)")

    def verification_key(self, subgraph: str) -> str:
        """What ``subgraph`` verifies this signer's calls with, as its configuration holds
        it: its derived HMAC key (base64url) or the Ed25519 public key (PEM)."""
        if self._private is not None:
            return (
                self._private.public_key()
                .public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
                .decode("ascii")
            )
        if self._master is None:
            raise CallKeyError("this signer holds per-subgraph keys only")
        return _b64(subgraph_key(self._master, subgraph))

    def _remember(self, subgraph: str, key: bytes) -> tuple[str, bytes]:
        header = _b64(orjson.dumps({"alg": "HS256", "typ": "JWT", "kid": key_id(key)}))
        entry = self._keys[subgraph] = (header, key)
        return entry

    def token(self, subgraph: str, body: bytes, claims: CallClaims) -> str:
        """The ``simpul-call`` header value for one call of ``body`` to ``subgraph``."""
        now = int(time.time())
        payload: dict[str, object] = {
            "iss": ISSUER,
            "aud": subgraph,
            "iat": now,
            "exp": now + int(self.ttl),
            "jti": _b64(os.urandom(12)),
            "bh": _b64(hashlib.sha256(body).digest()),
            "rid": claims.request_id,
        }
        if claims.client is not None:
            payload["sub"] = claims.client
        if claims.officer is not None:
            payload["nip"] = claims.officer
        if claims.purpose is not None:
            payload["pur"] = claims.purpose
        encoded = _b64(orjson.dumps(payload))
        if self.algorithm == "EdDSA":
            assert self._private is not None
            signing_input = f"{self._eddsa_header}.{encoded}".encode("ascii")
            return f"{signing_input.decode('ascii')}.{_b64(self._private.sign(signing_input))}"
        entry = self._keys.get(subgraph)
        if entry is None:
            if self._master is None:
                raise CallKeyError(f"no key to sign calls to {subgraph}")
            entry = self._remember(subgraph, subgraph_key(self._master, subgraph))
        header, key = entry
        signing_input = f"{header}.{encoded}".encode("ascii")
        mac = hmac.digest(key, signing_input, "sha256")
        return f"{signing_input.decode('ascii')}.{_b64(mac)}"


class CallVerifier:
    """Checks the gateway's signature on calls to one subgraph."""

    def __init__(
        self,
        subgraph: str,
        *,
        hmac_keys: Sequence[bytes] = (),
        public_keys: Sequence[Ed25519PublicKey] = (),
    ) -> None:
        if not hmac_keys and not public_keys:
            raise CallKeyError("a verifier needs at least one key")
        self.subgraph = subgraph
        self._keys: dict[str, tuple[str, object]] = {}
        for secret in hmac_keys:
            if len(secret) < 32:
                raise CallKeyError("an HMAC call key must hold at least 32 bytes")
            self._keys[key_id(secret)] = ("HS256", secret)
        for public in public_keys:
            raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            self._keys[key_id(raw)] = ("EdDSA", public)
        self._seen: dict[str, float] = {}
        self._next_prune = 0.0

    @classmethod
    def from_texts(cls, subgraph: str, hmac_keys: str = "", public_keys: str = "") -> CallVerifier:
        """A verifier from configuration text: base64url HMAC keys separated by commas or
        whitespace, and/or Ed25519 public keys in PEM (one or more blocks)."""
        secrets = []
        for part in hmac_keys.replace(",", " ").split():
            try:
                secrets.append(_unb64(part))
            except ValueError:
                raise CallKeyError("an HMAC call key is not base64url text") from None
        publics = []
        for block in public_keys.split("-----END PUBLIC KEY-----"):
            if "-----BEGIN PUBLIC KEY-----" not in block:
                continue
            pem = (block.strip() + "\n-----END PUBLIC KEY-----\n").encode("ascii")
            try:
                key = serialization.load_pem_public_key(pem)
            except ValueError:
                raise CallKeyError("a gateway public key is not a PEM public key") from None
            if not isinstance(key, Ed25519PublicKey):
                raise CallKeyError("a gateway public key is not an Ed25519 key")
            publics.append(key)
        return cls(subgraph, hmac_keys=secrets, public_keys=publics)

    def verify(self, token: str | None, body: bytes) -> VerifiedCall:
        """The verified call, or :class:`InvalidCall` saying why not."""
        if not token:
            raise InvalidCall(f"a call without the gateway's signature ({CALL_HEADER} header)")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidCall("the call's signature is not a token") from None
        entry = self._keys.get(str(header.get("kid", "")))
        if entry is None:
            raise InvalidCall("the call is signed with a key this subgraph does not know")
        algorithm, key = entry
        if header.get("alg") != algorithm:
            raise InvalidCall("the call's signature uses another algorithm than its key")
        try:
            claims = jwt.decode(
                token,
                key,  # type: ignore[arg-type]
                algorithms=[algorithm],
                audience=self.subgraph,
                issuer=ISSUER,
                leeway=LEEWAY,
                options={"require": ["exp", "iat", "aud", "iss", "jti", "bh"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidCall("the call's signature has expired") from None
        except jwt.InvalidAudienceError:
            raise InvalidCall(
                f"the call is signed for another subgraph, not {self.subgraph}"
            ) from None
        except jwt.PyJWTError:
            raise InvalidCall("the call's signature is not valid") from None
        if not hmac.compare_digest(str(claims["bh"]), _b64(hashlib.sha256(body).digest())):
            raise InvalidCall("the call's body is not the one the gateway signed")
        token_id = str(claims["jti"])
        now = time.time()
        self._prune(now)
        if token_id in self._seen:
            raise InvalidCall("the call was already received once (a replay)")
        self._seen[token_id] = float(claims["exp"]) + LEEWAY
        return VerifiedCall(
            subgraph=self.subgraph,
            request_id=str(claims.get("rid", "")),
            client=_optional(claims.get("sub")),
            officer=_optional(claims.get("nip")),
            purpose=_optional(claims.get("pur")),
            token_id=token_id,
        )

    def _prune(self, now: float) -> None:
        if now < self._next_prune:
            return
        self._next_prune = now + 1.0
        expired = [jti for jti, until in self._seen.items() if until < now]
        for jti in expired:
            del self._seen[jti]


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
