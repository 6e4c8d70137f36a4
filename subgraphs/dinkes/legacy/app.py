"""The exporter standing for Dinkes' export job: it drops both exports into the folder.

On start it writes revision 0 of both files as exported on the day it starts (the
simulators' today, :mod:`subgraphs.reference.clock`), atomically, and only then starts
answering: ``/health`` is ``200`` once the exports are in place. With ``redrop`` seconds it
drops a fresh revision that often, so a running subgraph can be seen picking up the change
without a restart. ``/health`` reports the current revision and the file names, never the
folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.reference import clock

from .exports import CSV_EXPORT, JSON_EXPORT, write_exports

__all__ = ["DinkesExporter"]

log = logging.getLogger("simpul.dinkes.exporter")


class DinkesExporter:
    """Writes the exports of ``today`` (by default the simulators' clock) into ``folder``;
    ``app`` is its ASGI application."""

    def __init__(
        self, folder: Path, *, redrop: float | None = None, today: date | None = None
    ) -> None:
        if redrop is not None and redrop <= 0:
            raise ValueError("redrop must be a positive number of seconds")
        self.folder = folder
        self.redrop = redrop
        self.today = today if today is not None else clock.today()
        self.revision: int | None = None
        self.app = Starlette(routes=[Route("/health", self.health)], lifespan=self._lifespan)

    async def drop(self, revision: int) -> None:
        """Write ``revision`` of both exports."""
        await asyncio.to_thread(write_exports, self.folder, self.today, revision)
        self.revision = revision
        log.info("dropped revision %d", revision)

    async def health(self, request: Request) -> Response:
        if self.revision is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        files = [JSON_EXPORT, CSV_EXPORT]
        return JSONResponse({"status": "ok", "revision": self.revision, "files": files})

    async def _redrop_forever(self, every: float) -> None:
        revision = self.revision or 0
        while True:
            await asyncio.sleep(every)
            revision += 1
            await self.drop(revision)

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await self.drop(0)
        task = asyncio.create_task(self._redrop_forever(self.redrop)) if self.redrop else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
