"""Commands of the guides, read from the Markdown as the reader sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DOCS", "ROOT", "Fenced", "fenced_blocks", "shell_block"]

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# An opening fence (its info string's first word is the language), the body, and the closing
# fence at the same indent; a fence inside a list item is indented like the item's text.
_FENCE = re.compile(
    r"^(?P<indent>[ ]*)```(?P<lang>[^\s`]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ ]*$",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Fenced:
    """One fenced code block: where it is, its language and its text as the reader sees it."""

    doc: str
    """The Markdown file, relative to the repository (``docs/operators.md``)."""
    lang: str
    text: str
    line: int
    """The line of its opening fence, for messages."""
    offset: int

    @property
    def first_line(self) -> str:
        """Its first non-blank line, without the indentation."""
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")


def fenced_blocks(path: Path) -> list[Fenced]:
    """Every fenced code block of the Markdown file ``path``, in order."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    for found in _FENCE.finditer(text):
        indent = len(found.group("indent"))
        body = "".join(line[indent:] for line in found.group("body").splitlines(keepends=True))
        blocks.append(
            Fenced(
                doc=path.relative_to(ROOT).as_posix(),
                lang=found.group("lang"),
                text=body,
                line=text.count("\n", 0, found.start()) + 1,
                offset=found.start(),
            )
        )
    return blocks


def shell_block(guide: str, after: str) -> str:
    """The first ``sh`` block of ``docs/<guide>`` after the text ``after``."""
    path = DOCS / guide
    start = path.read_text(encoding="utf-8").index(after)
    found = [b for b in fenced_blocks(path) if b.lang == "sh" and b.offset >= start]
    assert found, f"no sh block after {after!r} in {guide}"
    return found[0].text
