"""Write a subgraph's SDL to a file, or check that the file is current.

    python -m subgraphs.toolkit.export_sdl subgraphs.<opd>.schema:schema schema/<opd>.graphql
    python -m subgraphs.toolkit.export_sdl --check MODULE:SCHEMA schema/<opd>.graphql

``--check`` writes nothing and exits with status 1 when the file differs from the code, for
CI and pre-commit hooks.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .sdl import load_schema, subgraph_sdl

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m subgraphs.toolkit.export_sdl",
        description="Write a subgraph's SDL (its _service { sdl }) to a file.",
    )
    parser.add_argument(
        "schema", metavar="MODULE:SCHEMA", help="e.g. subgraphs.<opd>.schema:schema"
    )
    parser.add_argument("out", metavar="OUT.graphql", type=Path, help="the file to write")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if OUT differs from the code"
    )
    args = parser.parse_args(argv)
    try:
        sdl = subgraph_sdl(load_schema(args.schema))
    except (ImportError, ValueError, TypeError) as error:
        parser.error(str(error))
    out: Path = args.out
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else None
        if current != sdl:
            print(f"{out} is out of date: run without --check to write it", file=sys.stderr)
            return 1
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(sdl, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
