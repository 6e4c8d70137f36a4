"""Golden query-plan tests: inline subgraph SDLs, one operation, the expected printed plan.

Supergraphs are composed once by the reference composer and checked in under
``supergraphs/`` with a hash of their inputs, so tests never need a composer; a fixture
whose subgraphs changed fails until ``make fixtures`` composes it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import textwrap
from pathlib import Path

from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse, validate

from gateway.api_schema import build_api_schema
from gateway.planner import build_query_plan, print_plan
from gateway.supergraph import Supergraph, load_supergraph

FIXTURES = Path(__file__).parent / "supergraphs"
ROOT = Path(__file__).resolve().parents[2]
COMPOSER = ROOT / ".cache" / "composer"
HEADER = "# simpul-fixture-inputs: "


def _digest(subgraphs: dict[str, str]) -> str:
    canonical = json.dumps(
        {name: textwrap.dedent(sdl).strip() for name, sdl in sorted(subgraphs.items())},
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _compose(subgraphs: dict[str, str]) -> str:
    if not (COMPOSER / "node_modules" / "@theguild" / "federation-composition").exists():
        COMPOSER.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(COMPOSER),
                "--no-audit",
                "--no-fund",
                "@theguild/federation-composition",
                "graphql",
            ],
            check=True,
        )
    services = [
        {"name": name, "url": f"http://{name}/graphql", "sdl": textwrap.dedent(sdl)}
        for name, sdl in subgraphs.items()
    ]
    # ES modules resolve packages next to the script, so it runs from the install folder
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
        raise AssertionError(f"composition failed:\n{result.stderr}")
    return result.stdout


def supergraph_fixture(name: str, subgraphs: dict[str, str]) -> Supergraph:
    """Load the checked-in supergraph composed from ``subgraphs``."""
    path = FIXTURES / f"{name}.graphql"
    digest = _digest(subgraphs)
    if os.environ.get("SIMPUL_WRITE_FIXTURES"):
        current = path.read_text() if path.exists() else ""
        if not current.startswith(HEADER + digest):
            path.write_text(f"{HEADER}{digest}\n{_compose(subgraphs)}\n")
    text = path.read_text() if path.exists() else ""
    assert text.startswith(HEADER + digest), (
        f"fixture {path.name} is missing or stale: run `make fixtures`"
    )
    return load_supergraph(text.split("\n", 1)[1])


def plan_text(supergraph: Supergraph, operation: str, labels: frozenset[str] = frozenset()) -> str:
    """Validate ``operation`` against the API schema and print its plan."""
    document = parse(operation)
    errors = validate(build_api_schema(supergraph), document)
    assert not errors, errors
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    plan = build_query_plan(supergraph, operations[0], fragments, labels)
    return print_plan(plan)


def assert_plan(
    supergraph: Supergraph, operation: str, expected: str, labels: frozenset[str] = frozenset()
) -> None:
    assert plan_text(supergraph, operation, labels) == textwrap.dedent(expected).strip()
