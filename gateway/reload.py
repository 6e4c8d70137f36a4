"""A new supergraph without a restart: read, checked off the request path, swapped at once.

The supergraph comes from a file or from an ``http(s)://`` URL (``supergraph`` in the
configuration). While the gateway runs, the :class:`Reloader` looks again every
``server.supergraph_poll`` seconds (a file by its content, a URL with ``If-None-Match`` on
its ``ETag``) and at once on ``SIGHUP``. A new text is loaded and its engine built in a
worker thread, sharing the running engine's connections, access log, counters and circuit
breakers (:meth:`~gateway.engine.Engine.successor`); only when that succeeded does the
server take it, in one assignment. A request already running keeps the engine it started
with and finishes on the old graph. A supergraph that cannot be loaded leaves the running
one in place and is reported: a log line, ``simpul_supergraph_reloads_total{outcome=
"failed"}`` and ``/ready``'s ``warn`` status with the reason.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx

from .supergraph import SupergraphError

__all__ = [
    "FileSource",
    "ReloadStatus",
    "Reloader",
    "SupergraphSource",
    "UrlSource",
    "read_supergraph",
    "source_for",
]

logger = logging.getLogger("gateway.reload")
FETCH_TIMEOUT = 10.0


class SupergraphSource(Protocol):
    """Where the supergraph's text comes from."""

    @property
    def where(self) -> str:
        """The file or URL, for messages."""
        ...

    async def changed(self) -> str | None:
        """The text if it differs from the last one read, else ``None``; raises
        :class:`SupergraphError` when it cannot be read."""
        ...


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FileSource:
    """A supergraph file, compared by content (an edit that keeps the modification time,
    or a copy that changes only the time, is told apart correctly)."""

    def __init__(self, path: str, digest: str | None = None) -> None:
        self.where = path
        self.digest = digest

    async def changed(self) -> str | None:
        try:
            text = await asyncio.to_thread(Path(self.where).read_text, encoding="utf-8")
        except OSError as error:
            raise SupergraphError(f"cannot read {self.where}: {error.strerror}") from error
        digest = _digest(text)
        if digest == self.digest:
            return None
        self.digest = digest
        return text


class UrlSource:
    """A supergraph served over HTTP (a schema registry, an object store): asked with the
    last ``ETag``, so an unchanged one costs a 304."""

    def __init__(self, url: str, digest: str | None = None, etag: str | None = None) -> None:
        self.where = url
        self.digest = digest
        self.etag = etag

    async def changed(self) -> str | None:
        headers = {"if-none-match": self.etag} if self.etag else {}
        try:
            async with httpx.AsyncClient(timeout=FETCH_TIMEOUT, trust_env=False) as client:
                response = await client.get(self.where, headers=headers)
        except httpx.HTTPError as error:
            raise SupergraphError(f"cannot fetch {self.where}: {error}") from error
        if response.status_code == 304:
            return None
        if response.status_code != 200:
            raise SupergraphError(f"cannot fetch {self.where}: HTTP {response.status_code}")
        self.etag = response.headers.get("etag")
        digest = _digest(response.text)
        if digest == self.digest:
            return None
        self.digest = digest
        return response.text


def source_for(where: str, text: str | None = None) -> FileSource | UrlSource:
    """The source of ``where`` (a path or an ``http(s)://`` URL), knowing it last gave
    ``text``."""
    digest = _digest(text) if text is not None else None
    if where.startswith(("http://", "https://")):
        return UrlSource(where, digest)
    return FileSource(where, digest)


def read_supergraph(where: str) -> str:
    """The supergraph's text at ``where`` now (a path or an ``http(s)://`` URL), for the
    gateway's first load; :class:`SupergraphError` when it cannot be read."""
    if where.startswith(("http://", "https://")):
        try:
            response = httpx.get(where, timeout=FETCH_TIMEOUT, trust_env=False)
        except httpx.HTTPError as error:
            raise SupergraphError(f"cannot fetch {where}: {error}") from error
        if response.status_code != 200:
            raise SupergraphError(f"cannot fetch {where}: HTTP {response.status_code}")
        return response.text
    try:
        return Path(where).read_text(encoding="utf-8")
    except OSError as error:
        raise SupergraphError(f"cannot read {where}: {error.strerror}") from error


@dataclass(slots=True)
class ReloadStatus:
    """What ``/ready`` says of the supergraph being served."""

    digest: str
    loaded_at: float
    """Unix time the served supergraph was taken."""
    reloads: int = 0
    failure: str | None = None
    """Why the last new supergraph was not taken; ``None`` once one is."""

    def as_json(self) -> dict[str, object]:
        """The ``/ready`` detail."""
        detail: dict[str, object] = {
            "sha256": self.digest,
            "loadedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.loaded_at)),
            "reloads": self.reloads,
        }
        if self.failure is not None:
            detail["lastFailure"] = self.failure
        return detail


class Reloader:
    """Looks for a new supergraph and swaps the engine built over it.

    ``build`` makes the next engine from a supergraph's text (it runs in a worker thread
    and raises for a supergraph that cannot be served); ``swap`` hands it to the server;
    ``outcome`` counts each attempt (``applied`` or ``failed``).
    """

    def __init__(
        self,
        source: SupergraphSource,
        build: Callable[[str], object],
        swap: Callable[[object], None],
        status: ReloadStatus,
        interval: float,
        outcome: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.source = source
        self.build = build
        self.swap = swap
        self.status = status
        self.interval = interval
        self.outcome = outcome
        self._asked = asyncio.Event()
        self._lock = asyncio.Lock()

    def ask(self) -> None:
        """Look for a new supergraph now (``SIGHUP``)."""
        self._asked.set()

    async def run(self) -> None:
        """Look every ``interval`` seconds (or only when asked, for 0) until cancelled."""
        while True:
            try:
                if self.interval > 0:
                    await asyncio.wait_for(self._asked.wait(), self.interval)
                else:
                    await self._asked.wait()
            except TimeoutError:
                pass
            self._asked.clear()
            await self.reload()

    async def reload(self) -> bool:
        """Take a new supergraph if there is one; whether the engine changed."""
        async with self._lock:
            try:
                text = await self.source.changed()
                if text is None:
                    return False
                engine = await asyncio.to_thread(self.build, text)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                reason = str(error) or type(error).__name__
                self.status.failure = f"{self.source.where}: {reason}"
                self.outcome("failed")
                logger.error(
                    "new supergraph not taken, the running one stays: %s", self.status.failure
                )
                return False
            self.swap(engine)
            self.status.digest = _digest(text)
            self.status.loaded_at = time.time()
            self.status.reloads += 1
            self.status.failure = None
            self.outcome("applied")
            logger.info("new supergraph taken from %s", self.source.where)
            return True
