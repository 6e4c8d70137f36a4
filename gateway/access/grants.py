"""The grants file and the API keys file: which client applications exist, what each holds.

The grants file (``access.grants_file``, TOML) is the data owners' word, X-Road style: a
client application is known by its name, ``PNK/GOV/<kode SKPD>/<aplikasi>``, and holds
what is granted to it, nothing more::

    [[client]]
    name = "PNK/GOV/1.06.01/siks"            # Dinas Sosial's SIKS-NG
    oauth_client_ids = ["dinsos-siks"]       # its client id at the identity provider
    scopes = []                               # scopes granted here, beside the token's
    max_cost = 20000                          # its operations' cost limit (optional)

    [[client.grant]]
    policy = "dukcapil.verifikasi"
    purposes = ["Verifikasi penerima bantuan sosial"]
    legal_basis = "PKS Disdukcapil-Dinsos No. 470/112/DUKCAPIL/2026"
    rate_per_minute = 30                      # personal-data fields per minute (optional)
    per_operation = 1                         # times one operation may select them

The API keys file (``access.api_keys_file``) names the clients that authenticate with a
key instead of a token, by the key's SHA-256, never the key itself::

    [[key]]
    client = "PNK/GOV/2.16.01/arsip-lama"
    sha256 = "9f86d081884c7d65..."
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .caller import Grant

__all__ = [
    "API_KEY_PREFIX",
    "CLIENT_NAME",
    "ApiKeys",
    "ClientGrants",
    "Grants",
    "GrantsError",
    "generate_api_key",
    "hash_api_key",
    "normal_purpose",
]

CLIENT_NAME = re.compile(r"^PNK/(GOV|COM|ORG)/[0-9A-Za-z.\-]{1,40}/[0-9A-Za-z._\-]{1,60}\Z")
"""``PNK/<class>/<member code, the kode SKPD for an OPD>/<application>``."""
API_KEY_PREFIX = "spk_"


class GrantsError(Exception):
    """A grants or API keys file cannot be used; the message names the file and entry."""


@dataclass(frozen=True, slots=True)
class ClientGrants:
    """One client application of the grants file."""

    name: str
    oauth_client_ids: tuple[str, ...] = ()
    scopes: frozenset[str] = frozenset()
    grants: tuple[Grant, ...] = ()
    max_cost: int | None = None
    """The most one of its operations may cost (demand control); ``None``: the default."""


def normal_purpose(text: str) -> str:
    """A stated purpose as it is compared and recorded: spacing collapsed."""
    return " ".join(text.split())


class Grants:
    """The clients of the grants file, by name and by identity-provider client id."""

    def __init__(self, clients: Mapping[str, ClientGrants] | None = None) -> None:
        self.clients: dict[str, ClientGrants] = dict(clients or {})
        self._by_oauth = {
            client_id: client
            for client in self.clients.values()
            for client_id in client.oauth_client_ids
        }

    def find(self, identifier: str) -> ClientGrants | None:
        """The client named ``identifier``, or whose identity-provider id it is."""
        return self.clients.get(identifier) or self._by_oauth.get(identifier)

    @classmethod
    def from_file(cls, path: str) -> Grants:
        """Read and check the grants file at ``path``."""
        document = _read(path)
        clients: dict[str, ClientGrants] = {}
        entries = document.get("client", [])
        if not isinstance(entries, list):
            raise GrantsError(f"{path}: client must be an array of tables ([[client]])")
        for index, entry in enumerate(entries):
            where = f"{path}: client #{index + 1}"
            if not isinstance(entry, dict):
                raise GrantsError(f"{where} must be a table")
            _only(entry, {"name", "oauth_client_ids", "scopes", "grant", "max_cost"}, where)
            name = entry.get("name")
            if not isinstance(name, str) or not CLIENT_NAME.match(name):
                raise GrantsError(
                    f"{where}: name must look like PNK/GOV/<kode SKPD>/<aplikasi>, not {name!r}"
                )
            if name in clients:
                raise GrantsError(f"{where}: {name} is listed twice")
            grants = []
            for grant_index, grant in enumerate(_tables(entry.get("grant", []), where)):
                grants.append(_grant(grant, f"{where} ({name}), grant #{grant_index + 1}"))
            clients[name] = ClientGrants(
                name=name,
                oauth_client_ids=_strings(entry.get("oauth_client_ids", []), where),
                scopes=frozenset(_strings(entry.get("scopes", []), where)),
                grants=tuple(grants),
                max_cost=_max_cost(entry.get("max_cost"), where),
            )
        return cls(clients)


def _max_cost(value: object, where: str) -> int | None:
    if value is None:
        return None
    if type(value) is not int or value < 0:
        raise GrantsError(f"{where}: max_cost must be a whole number, at least 0")
    return value


def _grant(table: dict[str, Any], where: str) -> Grant:
    _only(table, {"policy", "purposes", "legal_basis", "rate_per_minute", "per_operation"}, where)
    policy = table.get("policy")
    if not isinstance(policy, str) or not policy:
        raise GrantsError(f"{where}: policy must be a non-empty string")
    legal_basis = table.get("legal_basis", "")
    if not isinstance(legal_basis, str):
        raise GrantsError(f"{where}: legal_basis must be a string")
    rate = table.get("rate_per_minute")
    if rate is not None and (type(rate) is not int or rate < 0):
        raise GrantsError(f"{where}: rate_per_minute must be a whole number, at least 0")
    per_operation = table.get("per_operation", 1)
    if type(per_operation) is not int or per_operation < 1:
        raise GrantsError(f"{where}: per_operation must be a whole number, at least 1")
    purposes = tuple(normal_purpose(p) for p in _strings(table.get("purposes", []), where))
    return Grant(policy, purposes, legal_basis, rate, per_operation)


class ApiKeys:
    """API keys by their SHA-256: the client each one authenticates."""

    def __init__(self, hashes: Mapping[str, str] | None = None) -> None:
        self._clients = dict(hashes or {})

    def __bool__(self) -> bool:
        return bool(self._clients)

    def client_of(self, key: str) -> str | None:
        """The client ``key`` belongs to, or ``None``."""
        # looked up by hash: how long the lookup takes says nothing of the key itself
        return self._clients.get(hash_api_key(key))

    @classmethod
    def from_file(cls, path: str) -> ApiKeys:
        """Read and check the API keys file at ``path``."""
        document = _read(path)
        hashes: dict[str, str] = {}
        for index, entry in enumerate(_tables(document.get("key", []), path)):
            where = f"{path}: key #{index + 1}"
            _only(entry, {"client", "sha256"}, where)
            client, digest = entry.get("client"), entry.get("sha256")
            if not isinstance(client, str) or not CLIENT_NAME.match(client):
                raise GrantsError(f"{where}: client must look like PNK/GOV/<kode SKPD>/<aplikasi>")
            if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
                raise GrantsError(f"{where}: sha256 must be 64 lower-case hex digits")
            hashes[digest] = client
        return cls(hashes)


def generate_api_key() -> str:
    """A new API key: 32 random bytes, base64url, with a recognisable prefix."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """How the API keys file stores ``key``: its SHA-256 in hex (the key is random, so a
    slow hash adds nothing)."""
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise GrantsError(f"cannot read {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise GrantsError(f"{path}: {error}") from None


def _tables(value: object, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise GrantsError(f"{where}: expected an array of tables")
    return value


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise GrantsError(f"{where}: expected a list of strings, not {value!r}")
    return tuple(value)


def _only(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise GrantsError(f"{where}: unknown key {sorted(unknown)[0]!r}")
