"""Every error code is documented from its one definition, and raised where it belongs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.error_codes import CompositionErrorCode, ErrorCode, SubgraphErrorCode, write_tables

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "errors.md"


def test_docs_errors_tables_are_generated_from_the_codes(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert write_tables(text) == text, "run `python -m gateway.error_codes docs/errors.md`"
    # the command the guide names, as written, on a copy with its tables emptied
    copy = tmp_path / "docs" / "errors.md"
    copy.parent.mkdir()
    shutil.copy(GUIDE, copy)
    emptied = re.sub(r"(<!-- codes:\w+ -->\n).*?(<!-- /codes -->)", r"\1\2", text, flags=re.S)
    copy.write_text(emptied, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "gateway.error_codes", "docs/errors.md"],
        cwd=tmp_path,
        check=True,
    )
    assert copy.read_text(encoding="utf-8") == text


def test_every_code_has_a_status_and_a_description() -> None:
    for code in [*ErrorCode, *SubgraphErrorCode]:
        assert re.match(r"\d{3}", code.status), code
        assert code.description and not code.description.endswith("."), code
    for composition in CompositionErrorCode:
        assert composition.description and not composition.description.endswith("."), composition


def _sources(*folders: str) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "error_codes.py"
    )


@pytest.mark.parametrize(
    ("codes", "folders"),
    [
        (ErrorCode, ("gateway",)),
        (SubgraphErrorCode, ("subgraphs",)),
        (CompositionErrorCode, ("gateway/compose",)),
    ],
    ids=["gateway", "subgraph", "composition"],
)
def test_every_code_is_raised_by_its_component(
    codes: type[ErrorCode] | type[SubgraphErrorCode] | type[CompositionErrorCode],
    folders: tuple[str, ...],
) -> None:
    sources = _sources(*folders)
    unused = [code.name for code in codes if f"{codes.__name__}.{code.name}" not in sources]
    assert unused == [], f"documented but never raised: {unused}"
