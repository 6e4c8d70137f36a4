"""The reference composer, ``@theguild/federation-composition`` (npm), run once for many
subgraph sets.

It is installed into ``.cache/composer`` when missing, as the planner's fixture harness
does; a test session composes all its sets in one ``node`` process.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.planner.harness import COMPOSER, _compose

__all__ = ["Reference", "compose_with_reference"]

SCRIPT = Path(__file__).with_name("compose_many.mjs")


@dataclass(frozen=True)
class Reference:
    """The reference composer's supergraph SDL, or its errors as ``(code, message)``."""

    sdl: str | None
    errors: tuple[tuple[str, str], ...]

    @property
    def codes(self) -> set[str]:
        return {code for code, _ in self.errors}


def _install() -> None:
    if not (COMPOSER / "node_modules" / "@theguild" / "federation-composition").exists():
        _compose({"probe": "type Query { ok: Boolean }"})  # installs, then composes


def compose_with_reference(sets: dict[str, dict[str, str]]) -> dict[str, Reference]:
    """Compose every set (name to subgraph SDLs); subgraph ``n`` is at ``http://n/graphql``."""
    _install()
    script = COMPOSER / SCRIPT.name
    script.write_text(SCRIPT.read_text())
    payload = {
        name: [
            {"name": n, "url": f"http://{n}/graphql", "sdl": textwrap.dedent(sdl)}
            for n, sdl in subgraphs.items()
        ]
        for name, subgraphs in sets.items()
    }
    result = subprocess.run(
        ["node", str(script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        name: Reference(
            sdl=value["sdl"],
            errors=tuple((e["code"], e["message"]) for e in value["errors"]),
        )
        for name, value in json.loads(result.stdout).items()
    }
