"""Persisted documents: trusted documents from a manifest, and automatic persisted queries.

A request names its document by text (``query``), or by id: ``documentId`` (the
GraphQL-over-HTTP persisted-documents form, ``sha256:<hex>`` or the bare hex), or
``extensions.persistedQuery.sha256Hash`` (Apollo's automatic persisted queries, APQ).

- The **manifest** (``documents.manifest``) lists the trusted documents, in Apollo's
  persisted-query manifest format (``{"format": "apollo-persisted-query-manifest",
  "version": 1, "operations": [{"id", "name", "type", "body"}]}``); an id is the SHA-256 of
  the body. ``simpul documents manifest DIR`` writes one from a folder of ``.graphql`` files.
- **APQ** lets a client send the hash alone once the gateway has seen the document with it:
  a miss answers ``PERSISTED_QUERY_NOT_FOUND``, and the client sends hash and text; the text
  must have that hash. The store is in memory (bounded in bytes) or in Redis, so that
  replicas share it.

Modes (``documents.mode``): ``off`` (text only, no ids), ``apq`` (the default: text, manifest
ids and APQ), ``safelist`` (only the manifest's documents, by id or identical text: anything
else is ``PERSISTED_QUERY_NOT_ALLOWED``, and APQ does not register), ``safelist-anonymous``
(the safelist for anonymous callers; authenticated client applications may send others).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import redis.asyncio as redis
from graphql import GraphQLError, OperationDefinitionNode, parse
from redis.exceptions import RedisError

from .errors import ErrorCode, RequestError, graphql_error
from .request import GraphQLRequest

__all__ = [
    "MODES",
    "ApqStore",
    "ManifestError",
    "MemoryApqStore",
    "PersistedDocuments",
    "RedisApqStore",
    "build_manifest",
    "document_id",
    "load_manifest",
]

MODES = ("off", "apq", "safelist", "safelist-anonymous")
MANIFEST_FORMAT = "apollo-persisted-query-manifest"
_HEX = re.compile(r"^[0-9a-f]{64}\Z")


class ManifestError(Exception):
    """A manifest or a folder of operations cannot be used; the message names the file."""


def document_id(body: str) -> str:
    """A document's id: the SHA-256 of its text, in hex."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def build_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of the ``.graphql`` files under ``folder``: one operation each, by name."""
    operations = []
    for path in sorted(folder.rglob("*.graphql")):
        body = path.read_text(encoding="utf-8")
        try:
            document = parse(body)
        except GraphQLError as error:
            raise ManifestError(f"{path}: {error.message}") from None
        found = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(found) != 1 or found[0].name is None:
            raise ManifestError(f"{path}: a trusted document holds one named operation")
        operation = found[0]
        operations.append(
            {
                "id": document_id(body),
                "name": operation.name.value if operation.name else "",
                "type": operation.operation.value,
                "body": body,
            }
        )
    return {"format": MANIFEST_FORMAT, "version": 1, "operations": operations}


def load_manifest(path: str) -> dict[str, str]:
    """The manifest at ``path``: each document's body by id (ids checked against bodies)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ManifestError(f"cannot read the manifest {path}: {error}") from None
    if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
        raise ManifestError(f"{path}: not an {MANIFEST_FORMAT} (version 1)")
    bodies: dict[str, str] = {}
    for index, entry in enumerate(document.get("operations", [])):
        body = entry.get("body") if isinstance(entry, dict) else None
        given = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(body, str) or not isinstance(given, str):
            raise ManifestError(f"{path}: operation #{index + 1} needs an id and a body")
        if given != document_id(body):
            raise ManifestError(f"{path}: operation #{index + 1}'s id is not its body's SHA-256")
        bodies[given] = body
    return bodies


class ApqStore(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, body: str) -> None: ...

    async def close(self) -> None: ...


class MemoryApqStore:
    """Documents by hash in the process, least recently used dropped past ``max_bytes``."""

    def __init__(self, max_bytes: int = 16 << 20) -> None:
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0

    async def get(self, key: str) -> str | None:
        body = self._bodies.get(key)
        if body is not None:
            self._bodies.move_to_end(key)
        return body

    async def put(self, key: str, body: str) -> None:
        if key in self._bodies or len(body) > self.max_bytes:
            return
        self._bodies[key] = body
        self._bytes += len(body)
        while self._bytes > self.max_bytes:
            _, dropped = self._bodies.popitem(last=False)
            self._bytes -= len(dropped)

    async def close(self) -> None:
        return None


class RedisApqStore:
    """Documents by hash in Redis (``simpul:apq:<hash>``), kept a day after last use."""

    def __init__(self, url: str, ttl: int = 86_400, timeout: float = 0.5) -> None:
        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._ttl = ttl

    async def get(self, key: str) -> str | None:
        try:
            found = await self._redis.getex(f"simpul:apq:{key}", ex=self._ttl)
        except (RedisError, OSError):
            return None  # the client sends the text again: slower, never wrong
        return found.decode("utf-8") if isinstance(found, bytes) else None

    async def put(self, key: str, body: str) -> None:
        try:
            await self._redis.set(f"simpul:apq:{key}", body.encode("utf-8"), ex=self._ttl)
        except (RedisError, OSError):
            return

    async def close(self) -> None:
        await self._redis.aclose()


class PersistedDocuments:
    """Turns a request into the text of the document to run, as the mode allows."""

    def __init__(
        self,
        mode: str = "apq",
        manifest: Mapping[str, str] | None = None,
        store: ApqStore | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"documents mode must be one of {', '.join(MODES)}")
        self.mode = mode
        self.manifest = dict(manifest or {})
        self.store = store or MemoryApqStore()

    async def resolve(self, request: GraphQLRequest, authenticated: bool) -> str:
        """The document's text; :class:`RequestError` when it may not run or is unknown."""
        safelisted = self.mode == "safelist" or (
            self.mode == "safelist-anonymous" and not authenticated
        )
        wanted = self._id(request)
        if wanted is None:
            if request.query is None:
                raise _refusal("the request has no query", ErrorCode.BAD_REQUEST)
            if safelisted and document_id(request.query) not in self.manifest:
                raise _not_allowed()
            return request.query
        if self.mode == "off":
            raise _refusal(
                "persisted documents are turned off on this gateway: send the query text",
                ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
            )
        if request.query is not None and document_id(request.query) != wanted:
            raise _refusal(
                "the query's SHA-256 is not the hash the request names",
                ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
            )
        known = self.manifest.get(wanted)
        if known is not None:
            return known
        if safelisted:
            raise _not_allowed()
        if request.query is not None:
            await self.store.put(wanted, request.query)
            return request.query
        stored = await self.store.get(wanted)
        if stored is None:
            raise _refusal("PersistedQueryNotFound", ErrorCode.PERSISTED_QUERY_NOT_FOUND, 200)
        return stored

    async def close(self) -> None:
        await self.store.close()

    @staticmethod
    def _id(request: GraphQLRequest) -> str | None:
        given = request.document_id
        if given is None:
            persisted = (request.extensions or {}).get("persistedQuery")
            if not isinstance(persisted, dict):
                return None
            if persisted.get("version", 1) != 1:
                raise _refusal(
                    "only version 1 of persisted queries is supported",
                    ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
                )
            given = persisted.get("sha256Hash")
        if not isinstance(given, str):
            raise _refusal("a persisted document's id must be a string", ErrorCode.BAD_REQUEST)
        wanted = given.removeprefix("sha256:").lower()
        if not _HEX.match(wanted):
            raise _refusal(
                "a persisted document's id is the SHA-256 of its text, in hex",
                ErrorCode.BAD_REQUEST,
            )
        return wanted


def _refusal(message: str, code: ErrorCode, status: int = 400) -> RequestError:
    return RequestError([graphql_error(message, code)], status=status)


def _not_allowed() -> RequestError:
    return _refusal(
        "this gateway runs only its trusted documents: send one of them (by id or text)",
        ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
    )
