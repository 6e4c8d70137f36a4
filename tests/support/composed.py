"""Checked-in supergraphs composed from subgraph SDLs, stored in any fixture folder.

The same scheme as the planner's golden tests (``tests/planner/harness.py``, whose hashing
and composing this reuses): the reference composer runs only when ``SIMPUL_WRITE_FIXTURES``
is set, and a fixture whose inputs changed fails until ``make fixtures`` composes it again.
"""

from __future__ import annotations

import os
from pathlib import Path

from gateway.supergraph import Supergraph, load_supergraph
from tests.planner.harness import HEADER, _compose, _digest

__all__ = ["composed_supergraph", "composed_supergraph_text"]


def composed_supergraph_text(directory: Path, name: str, subgraphs: dict[str, str]) -> str:
    """The supergraph SDL composed from ``subgraphs``, checked in as ``directory/name.graphql``.

    Subgraph ``n`` is routed to ``http://n/graphql``.
    """
    path = directory / f"{name}.graphql"
    digest = _digest(subgraphs)
    if os.environ.get("SIMPUL_WRITE_FIXTURES"):
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if not current.startswith(HEADER + digest):
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{HEADER}{digest}\n{_compose(subgraphs)}\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    assert text.startswith(HEADER + digest), (
        f"fixture {path.name} is missing or stale: run `make fixtures`"
    )
    return text.split("\n", 1)[1]


def composed_supergraph(directory: Path, name: str, subgraphs: dict[str, str]) -> Supergraph:
    """Load the checked-in supergraph composed from ``subgraphs`` (see above)."""
    return load_supergraph(composed_supergraph_text(directory, name, subgraphs))
