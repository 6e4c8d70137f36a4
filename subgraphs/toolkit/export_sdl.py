"""Write a subgraph's SDL to a file, or check that the file is current.

    simpul subgraph export-sdl subgraphs.<opd>.schema:schema schema/<opd>.graphql
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

__all__ = ["add_subgraph_commands", "main"]

_DESCRIPTION = (
    "Write a subgraph's SDL (its _service { sdl }) to a file; with --check, write nothing "
    "and exit 1 when the file differs from the code."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m subgraphs.toolkit.export_sdl", description=_DESCRIPTION
    )
    _add_arguments(parser)
    return _export(parser, parser.parse_args(argv))


def add_subgraph_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``simpul subgraph ...`` to the command line."""
    subgraph = commands.add_parser(
        "subgraph", help="tools for OPD subgraphs", description="Tools for OPD subgraphs."
    )
    subgraph_commands = subgraph.add_subparsers(title="commands", required=True, metavar="COMMAND")
    export = subgraph_commands.add_parser(
        "export-sdl",
        help="write a subgraph's SDL to a file, or check it is current",
        description=_DESCRIPTION,
    )
    _add_arguments(export)
    export.set_defaults(command=lambda args: _export(export, args))


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "schema", metavar="MODULE:SCHEMA", help="e.g. subgraphs.dinkes.schema:schema"
    )
    parser.add_argument("out", metavar="OUT.graphql", type=Path, help="e.g. schema/dinkes.graphql")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if OUT differs from the code"
    )


def _export(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
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
