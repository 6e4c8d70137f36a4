"""Compose each scenario's supergraph and write its expected answer.

    python -m bench.compose [--snapshot] [SCENARIO ...]

The supergraph is composed from the scenario's SDLs by the reference composer
(``@theguild/federation-composition``, installed by npm into ``.cache/composer`` and run
with ``scripts/compose.mjs``, as the planner's golden tests do) and checked in, so the
benchmark itself never needs the composer. ``expected.json`` is the answer of the
scenario's non-federated schema over the same data. Subgraph ``i`` is routed to
``http://127.0.0.1:410<i>/graphql``; the benchmark rewrites the URLs to the ports it serves.

A scenario whose data come from elsewhere (``city_dashboard``: a snapshot of the real OPD
subgraphs) refreshes them first when its SDLs changed, or always with ``--snapshot``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson

from bench.scenarios import INPUTS_HEADER, PENDING, SCENARIOS, Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]
COMPOSER = ROOT / ".cache" / "composer"


def compose(services: list[dict[str, str]]) -> str:
    """The supergraph SDL composed from ``[{"name", "url", "sdl"}]``."""
    if not (COMPOSER / "node_modules" / "@theguild" / "federation-composition").exists():
        COMPOSER.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                *("npm", "install", "--prefix", str(COMPOSER), "--no-audit", "--no-fund"),
                *("@theguild/federation-composition", "graphql"),
            ],
            check=True,
        )
    # ES modules resolve packages next to the script, so it runs from the install folder.
    script = COMPOSER / "compose.mjs"
    script.write_text((ROOT / "scripts" / "compose.mjs").read_text())
    result = subprocess.run(
        ["node", str(script)],
        input=json.dumps(services),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"composition failed:\n{result.stderr}")
    return result.stdout


def write(scenario: Scenario, refresh: bool = False) -> None:
    if scenario.prepare is not None:
        scenario.prepare(refresh)
    services = [
        {"name": name, "url": f"http://127.0.0.1:{4101 + i}/graphql", "sdl": scenario.sdl(name)}
        for i, name in enumerate(scenario.subgraph_names)
    ]
    supergraph = compose(services).rstrip("\n")
    header = INPUTS_HEADER + scenario.inputs_digest()
    (scenario.folder / "supergraph.graphql").write_text(f"{header}\n{supergraph}\n")
    expected = scenario.build_monolith().run(scenario.query)
    (scenario.folder / "expected.json").write_bytes(
        orjson.dumps(expected, option=orjson.OPT_INDENT_2) + b"\n"
    )
    size = len(orjson.dumps(expected))
    print(f"{scenario.folder.name}: supergraph.graphql and expected.json ({size} bytes) written")


def main(argv: list[str]) -> int:
    refresh = "--snapshot" in argv
    names = [a for a in argv if a != "--snapshot"]
    written: set[Path] = set()
    for name in names or [n for n in SCENARIOS if n not in PENDING]:
        scenario = load_scenario(name)
        if scenario.folder not in written:  # a variant shares its scenario's folder
            write(scenario, refresh)
            written.add(scenario.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
