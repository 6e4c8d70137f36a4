"""Print or write the demo subgraphs' SDLs, or the composer's input (``--services``)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from . import DEMO_SUBGRAPHS

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema" / "demo"


def sdl(module: str) -> str:
    """The SDL a demo subgraph serves on ``_service { sdl }``."""
    return str(importlib.import_module(module).schema.as_str()) + "\n"


def main() -> None:
    """Write ``schema/demo/<name>.graphql`` or print the composer's services JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write schema/demo/<name>.graphql")
    mode.add_argument("--services", action="store_true", help="print [{name, url, sdl}]")
    args = parser.parse_args()
    if args.write:
        for subgraph in DEMO_SUBGRAPHS:
            (SCHEMA_DIR / f"{subgraph.name}.graphql").write_text(
                sdl(subgraph.module), encoding="utf-8"
            )
    else:
        services = [{"name": s.name, "url": s.url, "sdl": sdl(s.module)} for s in DEMO_SUBGRAPHS]
        json.dump(services, sys.stdout, indent=2)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
