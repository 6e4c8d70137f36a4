"""The README's synopsis of commands is true: each `simpul ...` line names a command that
exists and only options it takes, and each `make ...` line a target of the Makefile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simpul import cli

ROOT = Path(__file__).resolve().parents[2]


def _synopsis() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Other commands", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines: list[str] = []
    for raw in block.splitlines():
        line = raw.split("  #", 1)[0].rstrip()
        if not line.strip():
            continue
        if raw.startswith(" ") and lines:
            lines[-1] += " " + line.strip()  # a continuation of the line above
        else:
            lines.append(line)
    return lines


def _commands(line: str) -> list[list[str]]:
    """The command words of a synopsis line, one list per alternative (``seal|subject``)."""
    words: list[str] = []
    for word in line.split()[1:]:
        if not re.fullmatch(r"[a-z][a-z|-]*", word):
            break
        words.append(word)
    expanded: list[list[str]] = [[]]
    for word in words:
        expanded = [[*done, choice] for done in expanded for choice in word.split("|")]
    return expanded


SIMPUL = [line for line in _synopsis() if line.startswith("simpul ")]
MAKE = [line for line in _synopsis() if line.startswith("make ")]


def test_the_synopsis_lists_the_commands() -> None:
    assert len(SIMPUL) >= 10 and len(MAKE) >= 3


@pytest.mark.parametrize("line", SIMPUL, ids=lambda line: " ".join(line.split()[:3]))
def test_each_simpul_line_names_a_command_and_its_options(
    line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for words in _commands(line):
        with pytest.raises(SystemExit) as exit_:
            cli.main([*words, "--help"])
        assert exit_.value.code == 0, line
        usage = capsys.readouterr().out
        for option in re.findall(r"(?<![\w-])--?[a-z][a-z-]*", line):
            assert option in usage, f"{' '.join(words)} takes no {option}"


@pytest.mark.parametrize("line", MAKE, ids=lambda line: line.split()[1])
def test_each_make_line_names_a_target(line: str) -> None:
    target = line.split()[1]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target
