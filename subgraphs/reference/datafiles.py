"""Reading the CSV and JSON files shipped in ``subgraphs/reference/data/`` (or in the
``data/`` folder of another package, such as a simulator's own data).

CSV files start with ``#`` comment lines that say where the data comes from and which
columns are real and which are samples; the comment lines are skipped, the first remaining
line is the header.
"""

from __future__ import annotations

import csv
import json
from importlib import resources

from .errors import ReferenceDataError

__all__ = ["PACKAGE", "read_csv", "read_json", "read_text"]

PACKAGE = "subgraphs.reference"
"""The package whose ``data/`` is read unless another is named."""


def read_text(name: str, package: str = PACKAGE) -> str:
    """The text of data file ``name`` (a file name inside ``package``'s ``data/``)."""
    return resources.files(package).joinpath("data").joinpath(name).read_text(encoding="utf-8")


def read_csv(name: str, columns: tuple[str, ...], package: str = PACKAGE) -> list[dict[str, str]]:
    """The rows of CSV data file ``name`` (in ``package``'s ``data/``), each a dict keyed by
    ``columns``.

    The header must be exactly ``columns``, so a renamed or reordered column fails loudly
    instead of quietly loading empty values.
    """
    lines = [line for line in read_text(name, package).splitlines() if not line.startswith("#")]
    reader = csv.DictReader(lines)
    if tuple(reader.fieldnames or ()) != columns:
        raise ReferenceDataError(
            f"{name}: header {reader.fieldnames!r}, expected {list(columns)!r}"
        )
    rows: list[dict[str, str]] = []
    for number, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            raise ReferenceDataError(f"{name}: data line {number} has the wrong number of fields")
        rows.append({key: value.strip() for key, value in row.items()})
    return rows


def read_json(name: str) -> object:
    """The parsed content of JSON data file ``name``."""
    result: object = json.loads(read_text(name))
    return result
