"""Random operations over the project's supergraphs, answered by Simpul, Hive Gateway and
Apollo Gateway over real HTTP: Simpul agrees with them (or with Apollo Gateway where Hive
Gateway differs), except where it follows the spec and they do not (``deviations.py``).

A fixed seed, so the run is the same every time; ``make fuzz`` draws more. The reference
gateways are installed by npm into ``.cache/bench-node`` on first use, as ``make bench``
installs them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.peers import install_peers
from tests.fuzz.campaign import LOGS, Campaign, running_gateways
from tests.fuzz.deviations import DEVIATIONS, digest
from tests.fuzz.served import GRAPHS, served_graph

SEED = 7
COUNT = 60
"""Operations per supergraph: about ten seconds each."""


@pytest.fixture(scope="module")
def node() -> Iterator[Path]:
    LOGS.mkdir(parents=True, exist_ok=True)
    path, why = install_peers(LOGS / "npm.log")
    assert path is not None, f"the reference gateways cannot be installed: {why}"
    yield path


@pytest.mark.parametrize("graph", sorted(GRAPHS))
def test_random_operations_agree_with_the_reference_gateways(graph: str, node: Path) -> None:
    with (
        served_graph(graph) as served,
        running_gateways(served.supergraph, ["simpul", "hive", "apollo"], node) as urls,
    ):
        campaign = Campaign(served.supergraph.read_text(), served.examples, SEED)
        outcome = asyncio.run(campaign.run(urls, COUNT))
    assert outcome.operations == COUNT
    found = {digest(d.operation): d for d in outcome.disagreements}
    unexpected = [d for key, d in found.items() if (graph, key) not in DEVIATIONS]
    assert not unexpected, "\n---\n".join(
        f"[{digest(d.operation)}] {d.report()}" for d in unexpected
    )
    gone = [key for g, key in DEVIATIONS if g == graph and key not in found]
    assert not gone, f"known deviations no longer drawn or now agreeing: {gone}"
