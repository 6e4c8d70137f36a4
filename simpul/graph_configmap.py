"""The city graph as a Kubernetes ConfigMap: ``deploy/kubernetes/graph.yaml``.

::

    python -m simpul.graph_configmap [-o deploy/kubernetes/graph.yaml] [--check]

The supergraph (``schema/supergraph.graphql``) and the grants (``schema/grants.toml``) the
gateway's pods mount at ``/etc/simpul/graph/``, written from the files ``make schema`` keeps,
so the manifest cannot drift from them (``--check`` exits 1 when it has; a test runs it).
Applied again after a change, the pods take the new supergraph without a restart.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["main", "render"]

ROOT = Path(__file__).resolve().parents[1]
FILES = {
    "supergraph.graphql": ROOT / "schema" / "supergraph.graphql",
    "grants.toml": ROOT / "schema" / "grants.toml",
}
MANIFEST = ROOT / "deploy" / "kubernetes" / "graph.yaml"
NAME = "simpul-graph"


def render(files: Mapping[str, str]) -> str:
    """The ConfigMap holding ``files`` (key: text), as YAML literal blocks."""
    lines = [
        "# Written by `python -m simpul.graph_configmap` (make schema) from schema/: do not edit.",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        f"  name: {NAME}",
        "  labels:",
        "    app.kubernetes.io/name: simpul-gateway",
        "    app.kubernetes.io/part-of: simpul",
        "data:",
    ]
    for key, text in files.items():
        # "|" keeps one final newline, "|-" none: the mounted file is the source's exactly
        lines.append(f"  {key}: |{'' if text.endswith(chr(10)) else '-'}")
        lines += [f"    {line}" if line else "" for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the manifest (or, with ``--check``, say whether it is current); exit status."""
    parser = argparse.ArgumentParser(prog="python -m simpul.graph_configmap")
    parser.add_argument("-o", "--output", default=str(MANIFEST), help="the manifest to write")
    parser.add_argument("--check", action="store_true", help="only compare with --output")
    args = parser.parse_args(argv)
    text = render({key: path.read_text(encoding="utf-8") for key, path in FILES.items()})
    output = Path(args.output)
    if args.check:
        if not output.exists() or output.read_text(encoding="utf-8") != text:
            print(f"{output} is out of date: run python -m simpul.graph_configmap", file=sys.stderr)
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
