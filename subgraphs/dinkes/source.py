"""The shared folder as the subgraph reads it: one file-export adapter per export.

Both adapters look at the same folder (``DINKES_EXPORT_DIR``, by default ``.cache/dinkes-
exports`` in the repository) but carry their system's name, so an error says which export
failed: ``satusehat`` for the FHIR Bundle, ``registri-faskes`` for the registry's CSV.
Each file is parsed once per version (the adapter re-reads it when its modification time,
size or inode change) and :attr:`DinkesExports.reads` counts the reads the resolvers make,
for tests and operators.

A broken new version of a file (half-written, malformed, records lacking their required
fields) fails clearly with ``UPSTREAM_BAD_RESPONSE`` until a good version replaces it: the
adapters do not serve a stale copy, because a facility list that silently stops changing
is worse for the portal than an explicit error on the health fields.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from subgraphs.toolkit.adapters import FileExportSource, Record

from .katalog import Katalog, gabung
from .legacy.exports import CSV_EXPORT, JSON_EXPORT

__all__ = ["DEFAULT_FOLDER", "DinkesExports", "connect", "default_folder"]

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / ".cache" / "dinkes-exports"
SATUSEHAT = "satusehat"
REGISTRI = "registri-faskes"


def default_folder() -> Path:
    """``DINKES_EXPORT_DIR``, or the repository's ``.cache/dinkes-exports``."""
    configured = os.environ.get("DINKES_EXPORT_DIR")
    return Path(configured) if configured else DEFAULT_FOLDER


@dataclass(slots=True)
class DinkesExports:
    """Both exports, read and joined into one :class:`Katalog`."""

    satusehat: FileExportSource
    registri: FileExportSource
    reads: Counter[str] = field(default_factory=Counter)
    _joined: tuple[list[Record], list[Record], Katalog] | None = None

    async def resources(self) -> list[Record]:
        """The Bundle's entries (``{"fullUrl", "resource"}``)."""
        self.reads[JSON_EXPORT] += 1
        return await self.satusehat.records(JSON_EXPORT)

    async def registry_rows(self) -> list[Record]:
        """The registry's rows, by its column names."""
        self.reads[CSV_EXPORT] += 1
        return await self.registri.records(CSV_EXPORT)

    async def katalog(self) -> Katalog:
        """Every facility, both exports joined; joined again only when a file changed."""
        entries = await self.resources()
        rows = await self.registry_rows()
        joined = self._joined
        # The adapter hands back the same list while a file is unchanged
        if joined is not None and joined[0] is entries and joined[1] is rows:
            return joined[2]
        katalog = gabung(entries, rows, satusehat=SATUSEHAT, registri=REGISTRI)
        self._joined = (entries, rows, katalog)
        return katalog

    async def aclose(self) -> None:
        """Nothing held open; here for ``create_app(source=...)``."""
        await self.satusehat.aclose()
        await self.registri.aclose()


def connect(folder: str | Path | None = None) -> DinkesExports:
    """The adapters on ``folder`` (else :func:`default_folder`), to serve with
    ``make_app``."""
    where = Path(folder) if folder is not None else default_folder()
    return DinkesExports(
        satusehat=FileExportSource(SATUSEHAT, where, json_items="entry"),
        registri=FileExportSource(REGISTRI, where, csv_delimiter=";"),
    )
