"""Every data file ships with the package: pyproject's package-data patterns cover them."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "subgraphs" / "reference"


def test_package_data_covers_every_data_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["subgraphs.reference"]
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    relative = [p.relative_to(PACKAGE).as_posix() for p in files]
    assert "py.typed" in relative
    assert any(name.startswith("data/") for name in relative)
    for name in relative:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


def test_every_csv_says_where_its_data_comes_from() -> None:
    for path in (PACKAGE / "data").glob("*.csv"):
        head = path.read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# "), path.name
        text = path.read_text(encoding="utf-8")
        assert "REAL" in text or "SAMPLE" in text or "SYNTHETIC" in text, path.name
