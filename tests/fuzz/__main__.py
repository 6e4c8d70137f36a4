"""``make fuzz``: random operations sent to Simpul and the reference gateways.

    python -m tests.fuzz [--seed S] [-n N] [--graph NAME ...]
    python -m tests.fuzz --supergraph FILE [--examples FILE.json] [--seed S] [-n N]

Without ``--supergraph`` the project's own supergraphs are fuzzed, their subgraphs served
over HTTP by this process. With it, any supergraph whose subgraphs already answer at the
URLs it names (``--examples``: operations whose arguments are reused, as a JSON list of
``{"query", "variables"}``). Every disagreement is printed; the exit status is 1 if any.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from tests.fuzz.campaign import (
    Campaign,
    Disagreement,
    Outcome,
    examples_from,
    running_gateways,
)
from tests.fuzz.operations import argument_examples
from tests.fuzz.served import GRAPHS, served_graph


def _print(
    name: str, outcome: Outcome, verbose: bool, shrunk: list[Disagreement] | None = None
) -> None:
    agreed = ", ".join(f"{count} with {ref}" for ref, count in sorted(outcome.agreed.items()))
    print(
        f"{name}: {outcome.operations} operations, {outcome.agreement:.1%} agree"
        f" ({agreed or 'none'}), {len(outcome.disagreements)} disagree",
        flush=True,
    )
    if verbose:
        for disagreement in shrunk if shrunk is not None else outcome.disagreements:
            print("---\n" + disagreement.report(), flush=True)


def _campaign(
    campaign: Campaign, urls: dict[str, str], count: int, shrinking: int
) -> tuple[Outcome, list[Disagreement]]:
    async def run() -> tuple[Outcome, list[Disagreement]]:
        outcome = await campaign.run(urls, count)
        shrunk = [await campaign.shrunk(urls, d) for d in outcome.disagreements[:shrinking]]
        return outcome, shrunk + outcome.disagreements[shrinking:]

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--supergraph", type=Path)
    parser.add_argument("--examples", type=Path)
    parser.add_argument("--graph", action="append", choices=sorted(GRAPHS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-n", type=int, default=200, help="operations per supergraph")
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--gateways", default="simpul,hive,apollo")
    parser.add_argument("--quiet", action="store_true", help="counts only")
    parser.add_argument(
        "--shrink", type=int, default=10, help="disagreements shrunk before they are printed"
    )
    args = parser.parse_args(argv)
    names = args.gateways.split(",")
    failed = False
    if args.supergraph is not None:
        text = args.supergraph.read_text()
        campaign = Campaign(text, None, args.seed, args.depth)
        if args.examples is not None:
            found = argument_examples(campaign.schema, examples_from(args.examples))
            campaign = Campaign(text, found, args.seed, args.depth)
        with running_gateways(args.supergraph, names) as urls:
            outcome, shrunk = _campaign(campaign, urls, args.n, args.shrink)
        _print(args.supergraph.stem, outcome, not args.quiet, shrunk)
        return 1 if outcome.disagreements else 0
    for name in args.graph or sorted(GRAPHS):
        with served_graph(name) as graph, running_gateways(graph.supergraph, names) as urls:
            campaign = Campaign(graph.supergraph.read_text(), graph.examples, args.seed, args.depth)
            outcome, shrunk = _campaign(campaign, urls, args.n, args.shrink)
        _print(name, outcome, not args.quiet, shrunk)
        failed = failed or bool(outcome.disagreements)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
