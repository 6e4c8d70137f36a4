"""docs/opd-teams.md stays true to ``simpul check``: every change code is explained, and
the JSON keys it shows are the ones printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from gateway.check import ChangeCode, CheckResult, Status
from gateway.check.report import render_json

DOC = (Path(__file__).resolve().parents[2] / "docs" / "opd-teams.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## Checking a change before you deploy") :]


def test_every_change_code_is_documented() -> None:
    assert [c.value for c in ChangeCode if f"`{c.value}`" not in SECTION] == []


def test_the_documented_json_keys_are_printed() -> None:
    shape = SECTION[SECTION.index('{"status"') :]
    shape = shape[: shape.index("```")]
    documented = re.findall(r'^ ?[{ ]"(\w+)":', shape, flags=re.MULTILINE)
    assert documented == list(json.loads(render_json(CheckResult(Status.SAFE))))
