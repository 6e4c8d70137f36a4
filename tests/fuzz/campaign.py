"""A fuzzing campaign: random operations over one supergraph, sent to Simpul and to the
reference gateways (Hive Gateway, then Apollo Gateway where Hive Gateway's answer differs),
each running as its own process on the supergraph's file, the subgraphs already answering
at the URLs it names.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import parse

from bench.peers import Gateway, gateways, install_peers
from bench.run import Processes, free_port, wait_answering
from gateway.api_schema import build_api_schema
from gateway.supergraph import load_supergraph
from tests.fuzz.differential import Answer, Order, Verdict, ask, judge
from tests.fuzz.operations import ArgumentExamples, Operation, OperationGenerator
from tests.fuzz.shrink import shrink

__all__ = ["Campaign", "Disagreement", "Outcome", "running_gateways"]

REFERENCES = ("Hive Gateway", "Apollo Gateway")
LOGS = Path(tempfile.gettempdir()) / "simpul-fuzz"
SIMPUL_SETTINGS = {"SIMPUL_COST_MODE": "measure"}
"""Demand control measures only: the peers have none, and a random operation's estimated
cost (ten items assumed per list) often passes the default maximum. Refusing it is a
protection, not a difference in what federation answers."""


@dataclass(frozen=True)
class Disagreement:
    """An operation whose answer from Simpul agrees with no reference gateway."""

    operation: Operation
    verdict: Verdict
    answers: Mapping[str, Answer]

    def report(self) -> str:
        """The operation, the difference and every gateway's status and errors."""
        lines = [self.operation.query]
        if self.operation.variables:
            lines.append(f"variables: {json.dumps(dict(self.operation.variables))}")
        kind = "key order" if self.verdict.order_only else "data"
        lines.append(f"{kind} differs from {self.verdict.reference}: {self.verdict.difference}")
        for name, answer in self.answers.items():
            lines.append(f"  {name}: {answer.summary}")
            lines.append(f"    data: {json.dumps(answer.data)[:600]}")
        return "\n".join(lines)


@dataclass
class Outcome:
    """What a campaign found."""

    operations: int = 0
    agreed: dict[str, int] = field(default_factory=dict)
    """How many operations agreed, by the reference they agreed with."""
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        """The share of operations that agreed."""
        return sum(self.agreed.values()) / self.operations if self.operations else 1.0


@contextmanager
def running_gateways(
    supergraph: Path, names: Sequence[str], node: Path | None = None
) -> Iterator[dict[str, str]]:
    """Simpul and the named reference gateways serving ``supergraph``: their GraphQL URLs
    by gateway name. Hive Gateway and Apollo Gateway are installed by npm on first use."""
    wanted = {"simpul"} | {name for name in names if name != "simpul"}
    if wanted - {"simpul"} and node is None:
        LOGS.mkdir(parents=True, exist_ok=True)
        node, why = install_peers(LOGS / "npm.log")
        if node is None:
            raise RuntimeError(f"the reference gateways cannot run: {why}")
    runs, _ = gateways(wanted, node)
    chosen = [run for run in runs if run.dedup in ("off", "subgraph") and _first_of(run, runs)]
    processes = Processes()
    urls: dict[str, str] = {}
    try:
        for run in chosen:
            urls[run.name] = _start(processes, run, supergraph)
        yield urls
    finally:
        processes.stop_all()


def _first_of(run: Gateway, runs: list[Gateway]) -> bool:
    return next(r for r in runs if r.name == run.name) is run


def _start(processes: Processes, run: Gateway, supergraph: Path) -> str:
    port = free_port()
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{run.name.replace(' ', '-').lower()}.log"
    env = {**run.env, **SIMPUL_SETTINGS} if run.name == "Simpul" else run.env
    process = processes.start(run.command(supergraph, port), None, log, env)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        wait_answering(process, url, b'{"query":"{ __typename }"}')
    except RuntimeError as error:
        raise RuntimeError(f"{run.name} did not start ({error}); see {log}") from None
    return url


class Campaign:
    """Operations drawn over one supergraph, judged one by one."""

    def __init__(
        self,
        supergraph_text: str,
        examples: ArgumentExamples | None = None,
        seed: int = 0,
        max_depth: int = 4,
    ) -> None:
        self.schema = build_api_schema(load_supergraph(supergraph_text))
        self.generator = OperationGenerator(self.schema, examples, seed, max_depth)

    async def run(self, urls: Mapping[str, str], count: int, concurrency: int = 4) -> Outcome:
        """Send ``count`` operations to every gateway in ``urls``; Simpul's answers judged."""
        outcome = Outcome()
        operations = self.generator.operations(count)
        gate = asyncio.Semaphore(concurrency)
        async with httpx.AsyncClient() as client:

            async def one(operation: Operation) -> None:
                async with gate:
                    answers = {
                        name: await ask(client, url, operation) for name, url in urls.items()
                    }
                references = [(n, answers[n]) for n in REFERENCES if n in answers]
                order = Order(self.schema, parse(operation.query), operation.variables)
                verdict = judge(answers["Simpul"], references, order)
                outcome.operations += 1
                if verdict.agrees:
                    outcome.agreed[verdict.reference] = outcome.agreed.get(verdict.reference, 0) + 1
                else:
                    outcome.disagreements.append(Disagreement(operation, verdict, answers))

            await asyncio.gather(*(one(operation) for operation in operations))
        return outcome

    async def judged(self, urls: Mapping[str, str], operation: Operation) -> Disagreement | None:
        """One operation sent to every gateway: how Simpul disagrees, if it does."""
        async with httpx.AsyncClient() as client:
            answers = {name: await ask(client, url, operation) for name, url in urls.items()}
        references = [(n, answers[n]) for n in REFERENCES if n in answers]
        order = Order(self.schema, parse(operation.query), operation.variables)
        verdict = judge(answers["Simpul"], references, order)
        return None if verdict.agrees else Disagreement(operation, verdict, answers)

    async def shrunk(self, urls: Mapping[str, str], found: Disagreement) -> Disagreement:
        """``found`` with its operation shrunk to the smallest that still disagrees."""

        async def still(operation: Operation) -> bool:
            return await self.judged(urls, operation) is not None

        smallest = await shrink(self.schema, found.operation, still)
        return await self.judged(urls, smallest) or found


def examples_from(path: Path) -> list[tuple[str, dict[str, Any] | None]]:
    """Example operations from a JSON file: a list of ``{"query", "variables"}``."""
    return [(o["query"], o.get("variables")) for o in json.loads(path.read_text())]
