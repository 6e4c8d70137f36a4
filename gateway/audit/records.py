"""The records of the access log: canonical form, hash chain and seals.

Every record is one JSON object::

    {"chain": "gateway.000003", "seq": 17, "prev": "<hash of seq 16>", "kind": "entry",
     "body": {...}, "hash": "<sha256 of the canonical form of the five fields before>"}

The canonical form is the JSON of those five fields with sorted keys and no spaces, so
that anyone can recompute a hash with any JSON library. Record 0 of a chain is its
``genesis``, whose ``prev`` is 64 zeros and whose body names the chain that came before it
on the same replica (its last ``seq`` and ``hash``): removing the tail of one chain breaks
the next one's genesis. A ``seal`` record signs, with Ed25519, the hash of the last record
it covers and the time, under a key id; old keys stay listed for verification, so keys
rotate without orphaning old seals.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "GENESIS_PREV",
    "KINDS",
    "Sealer",
    "canonical",
    "load_seal_keys",
    "make_record",
    "record_hash",
    "seal_is_valid",
    "seal_key_id",
]

GENESIS_PREV = "0" * 64
KINDS = ("genesis", "entry", "seal")


def canonical(value: Any) -> bytes:
    """The canonical JSON of ``value``: sorted keys, no spaces."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def record_hash(chain: str, seq: int, prev: str, kind: str, body: Mapping[str, Any]) -> str:
    """The hash a record carries: SHA-256 of the canonical form of its five fields."""
    return hashlib.sha256(
        canonical({"chain": chain, "seq": seq, "prev": prev, "kind": kind, "body": body})
    ).hexdigest()


def make_record(
    chain: str, seq: int, prev: str, kind: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    """A record, its hash included."""
    return {
        "chain": chain,
        "seq": seq,
        "prev": prev,
        "kind": kind,
        "body": dict(body),
        "hash": record_hash(chain, seq, prev, kind, body),
    }


def seal_key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _seal_message(chain: str, body: Mapping[str, Any]) -> bytes:
    return canonical(
        {
            "chain": chain,
            "from": body["from"],
            "to": body["to"],
            "hash": body["hash"],
            "time": body["time"],
            "key": body["key"],
        }
    )


class Sealer:
    """Signs seals with one Ed25519 key."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.key_id = seal_key_id(key.public_key())

    @classmethod
    def from_pem(cls, text: str) -> Sealer:
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the seal key is not an Ed25519 private key")
        return cls(key)

    def public_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )

    def seal_body(
        self, chain: str, first: int, last: int, last_hash: str, time: str
    ) -> dict[str, Any]:
        """The body of a seal over records ``first`` to ``last`` of ``chain``."""
        body: dict[str, Any] = {
            "from": first,
            "to": last,
            "hash": last_hash,
            "time": time,
            "key": self.key_id,
        }
        signature = self._key.sign(_seal_message(chain, body))
        body["signature"] = base64.b64encode(signature).decode("ascii")
        return body


def seal_is_valid(
    chain: str, body: Mapping[str, Any], keys: Mapping[str, Ed25519PublicKey]
) -> bool:
    """Whether a seal's signature is one of ``keys``' (by key id) over its fields."""
    key = keys.get(str(body.get("key", "")))
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(str(body.get("signature", ""))), _seal_message(chain, body))
    except (InvalidSignature, ValueError, KeyError):
        return False
    return True


_PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\s]+?-----END PUBLIC KEY-----")


def load_seal_keys(text: str) -> dict[str, Ed25519PublicKey]:
    """The seal public keys of a keys file (PEM blocks, in any order), by key id;
    ``ValueError`` for a block that is not an Ed25519 public key."""
    keys: dict[str, Ed25519PublicKey] = {}
    for block in _PEM_BLOCK.findall(text):
        key = serialization.load_pem_public_key(block.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("a seal public key is not an Ed25519 key")
        keys[seal_key_id(key)] = key
    return keys
