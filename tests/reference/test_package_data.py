"""Every data file ships with its package: pyproject's package-data patterns cover them,
for the reference data and for every simulator that keeps data files of its own."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "subgraphs" / "reference"
SUBGRAPHS = ROOT / "subgraphs"


def test_package_data_covers_every_data_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["subgraphs.reference"]
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    relative = [p.relative_to(PACKAGE).as_posix() for p in files]
    assert "py.typed" in relative
    assert any(name.startswith("data/") for name in relative)
    for name in relative:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


def test_every_simulators_data_folder_ships() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = config["tool"]["setuptools"]["package-data"]
    folders = [p.parent for p in SUBGRAPHS.rglob("data/*") if p.is_file()]
    assert folders
    for folder in folders:
        package = ".".join(folder.parent.relative_to(ROOT).parts)
        for path in folder.iterdir():
            name = path.relative_to(folder.parent).as_posix()
            assert any(fnmatch.fnmatch(name, p) for p in declared.get(package, [])), (
                f"{package}: {name} is not in [tool.setuptools.package-data]"
            )


def test_every_csv_says_where_its_data_comes_from() -> None:
    for path in SUBGRAPHS.rglob("data/*.csv"):
        head = path.read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# "), path.name
        text = path.read_text(encoding="utf-8")
        assert "REAL" in text or "SAMPLE" in text or "SYNTHETIC" in text, path.name
