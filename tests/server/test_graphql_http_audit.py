"""The GraphQL-over-HTTP audit of the npm package ``graphql-http`` against a real
``simpul gateway``: every check passes with the development defaults.

The package is installed from the npm registry into ``.cache/graphql-http-audit`` on first
use, as the reference composer is; ``scripts/graphql_http_audit.mjs`` runs its
``auditServer`` and prints one line per check.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from tests.support.gateway_process import start_gateway, stop_gateway, wait_ready

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / ".cache" / "graphql-http-audit"
SUPERGRAPH = ROOT / "schema" / "demo" / "supergraph.graphql"


def audit_runner() -> Path:
    if not (AUDIT / "node_modules" / "graphql-http").exists():
        AUDIT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(AUDIT),
                "--no-audit",
                "--no-fund",
                "graphql-http@1",
                "graphql@16",
            ],
            check=True,
            capture_output=True,
        )
    # ES modules resolve packages next to the script
    script = AUDIT / "graphql_http_audit.mjs"
    shutil.copyfile(ROOT / "scripts" / "graphql_http_audit.mjs", script)
    return script


def test_every_graphql_over_http_check_passes() -> None:
    script = audit_runner()
    process, url = start_gateway("--supergraph", str(SUPERGRAPH))
    try:
        wait_ready(url)
        done = subprocess.run(
            ["node", str(script), f"{url}/graphql"], capture_output=True, text=True, timeout=120
        )
    finally:
        assert stop_gateway(process) == 0
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    failing = [r for r in results if r["status"] != "ok"]
    assert failing == []
    assert Counter(r["status"] for r in results) == {"ok": 61}
