"""Commands of the guides, read from the Markdown as the reader sees them."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["DOCS", "shell_block"]

DOCS = Path(__file__).resolve().parents[2] / "docs"
_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)


def shell_block(guide: str, after: str) -> str:
    """The first ``sh`` block of ``docs/<guide>`` after the text ``after``."""
    text = (DOCS / guide).read_text(encoding="utf-8")
    start = text.index(after)
    found = _BLOCK.search(text, start)
    assert found is not None, f"no sh block after {after!r} in {guide}"
    return found.group(1)
