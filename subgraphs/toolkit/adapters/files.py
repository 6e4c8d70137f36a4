"""File exports: CSV and JSON files an OPD drops in a folder, read as records.

Each file is parsed on first read and again whenever it changes (its modification time,
size or inode differ; checked on every read, so no background thread is needed). A file
that fails to parse (half-copied, wrong encoding, ragged rows, not a list of objects) is an
:class:`UpstreamBadResponse`, and the last good copy is kept: ``last_good()`` returns it,
and with ``serve_stale=True`` reads return it instead of failing until the file is fixed.
The broken version is parsed once, not on every read. A missing file or folder is
:class:`UpstreamUnavailable`.

Exporters should write to a temporary name and rename it into place, so readers never see
a half-written file.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import UpstreamBadResponse, UpstreamUnavailable
from ..tracing import legacy_call

__all__ = ["FileExportSource", "Record"]

Record = dict[str, Any]
Stamp = tuple[int, int, int]

log = logging.getLogger("simpul.subgraph.files")


@dataclass(slots=True)
class _Loaded:
    stamp: Stamp
    records: list[Record]
    indexes: dict[str, dict[Any, Record]] = field(default_factory=dict)


class FileExportSource:
    """A folder of ``.csv`` and ``.json`` exports from a legacy system.

    CSV files are UTF-8 (a leading byte order mark, as Excel writes, is allowed) with a
    header row; empty fields read as ``None``. JSON files hold a list of objects, or an
    object with that list at the dotted path ``json_items``.
    """

    def __init__(
        self,
        name: str,
        folder: str | Path,
        *,
        csv_delimiter: str = ",",
        json_items: str | None = None,
        serve_stale: bool = False,
    ) -> None:
        self.name = name
        self.folder = Path(folder)
        self.csv_delimiter = csv_delimiter
        self.json_items = json_items
        self.serve_stale = serve_stale
        self._loaded: dict[str, _Loaded] = {}
        self._broken: dict[str, tuple[Stamp, UpstreamBadResponse]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def records(self, filename: str) -> list[Record]:
        """The records of ``filename`` in the folder, parsed again if it changed."""
        return (await self._current(filename)).records

    async def records_by_key(
        self, filename: str, key_field: str, keys: Iterable[Hashable]
    ) -> dict[Any, Record]:
        """The records of ``filename`` whose ``key_field`` is one of ``keys``, by key; for a
        DataLoader's batch. The index is built once per version of the file."""
        loaded = await self._current(filename)
        index = loaded.indexes.get(key_field)
        if index is None:
            index = {r[key_field]: r for r in loaded.records if r.get(key_field) is not None}
            loaded.indexes[key_field] = index
        return {key: index[key] for key in keys if key in index}

    async def aclose(self) -> None:
        """Nothing to release (each file is closed once read); here so that this source
        can be handed to ``create_app(source=...)`` like the others."""

    def last_good(self, filename: str) -> list[Record] | None:
        """The records of the last version of ``filename`` that parsed, if any did."""
        loaded = self._loaded.get(filename)
        return loaded.records if loaded is not None else None

    async def _current(self, filename: str) -> _Loaded:
        with legacy_call(self.name, {"file.name": filename}):
            return await self._read(filename)

    async def _read(self, filename: str) -> _Loaded:
        path = self._path(filename)
        stamp = self._stamp(path)
        loaded = self._loaded.get(filename)
        if loaded is not None and loaded.stamp == stamp:
            return loaded
        lock = self._locks.setdefault(filename, asyncio.Lock())
        async with lock:
            # Another read may have parsed this version while we waited for the lock
            loaded = self._loaded.get(filename)
            if loaded is not None and loaded.stamp == stamp:
                return loaded
            broken = self._broken.get(filename)
            if broken is not None and broken[0] == stamp:
                return self._fallback(filename, broken[1])
            try:
                records = await asyncio.to_thread(self._parse, path)
            except UpstreamBadResponse as error:
                self._broken[filename] = (stamp, error)
                log.warning("%s", error)
                return self._fallback(filename, error)
            fresh = _Loaded(stamp, records)
            self._loaded[filename] = fresh
            self._broken.pop(filename, None)
            return fresh

    def _fallback(self, filename: str, error: UpstreamBadResponse) -> _Loaded:
        loaded = self._loaded.get(filename)
        if self.serve_stale and loaded is not None:
            return loaded
        raise UpstreamBadResponse(self.name, error.detail)

    def _path(self, filename: str) -> Path:
        # Names come from code, but a name with a directory part could read outside the folder
        if Path(filename).name != filename or filename in (".", ".."):
            raise ValueError(f"{filename!r} is not a plain file name")
        if Path(filename).suffix.lower() not in (".csv", ".json"):
            raise ValueError(f"{filename!r}: only .csv and .json exports are read")
        return self.folder / filename

    def _stamp(self, path: Path) -> Stamp:
        try:
            info = path.stat()
        except FileNotFoundError as error:
            raise UpstreamUnavailable(self.name, f"{path.name}: no such export") from error
        except OSError as error:
            raise UpstreamUnavailable(self.name, f"{path.name}: {error.strerror}") from error
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def _parse(self, path: Path) -> list[Record]:
        try:
            content = path.read_bytes()
        except OSError as error:
            raise UpstreamUnavailable(self.name, f"{path.name}: {error.strerror}") from error
        try:
            if path.suffix.lower() == ".csv":
                return parse_csv(content, self.csv_delimiter)
            return parse_json(content, self.json_items)
        except (ValueError, csv.Error) as error:
            # UnicodeDecodeError and orjson.JSONDecodeError are ValueErrors too
            raise UpstreamBadResponse(self.name, f"{path.name}: {error}") from error


def parse_csv(content: bytes, delimiter: str = ",") -> list[Record]:
    """Records from CSV bytes with a header row; a row of the wrong width is an error."""
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = next(reader, None)
    if not header or any(not name.strip() for name in header):
        raise ValueError("missing or blank header")
    names = [name.strip() for name in header]
    if len(set(names)) != len(names):
        raise ValueError("repeated column in header")
    records: list[Record] = []
    for row in reader:
        if not row:
            continue
        if len(row) != len(names):
            # A truncated last line is the usual sign of a half-copied export
            raise ValueError(f"line {reader.line_num}: {len(row)} fields, header has {len(names)}")
        records.append({n: (v if v != "" else None) for n, v in zip(names, row, strict=True)})
    return records


def parse_json(content: bytes, items: str | None = None) -> list[Record]:
    """Records from a JSON list of objects, or from the list at dotted path ``items``."""
    found: Any = orjson.loads(content.removeprefix(b"\xef\xbb\xbf"))
    for key in items.split(".") if items else ():
        if not isinstance(found, Mapping) or key not in found:
            raise ValueError(f"no {items!r} in the file")
        found = found[key]
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise ValueError("expected a list of objects")
    return found
