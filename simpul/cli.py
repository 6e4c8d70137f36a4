"""The ``simpul`` command: the gateway's commands (:mod:`gateway.cli`) and the toolkit's
(``simpul subgraph export-sdl``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from gateway.cli import run
from subgraphs.toolkit.export_sdl import add_subgraph_commands

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``simpul`` with ``argv`` (default: the process arguments); return the exit status."""
    return run(argv, add_subgraph_commands)


if __name__ == "__main__":
    sys.exit(main())
