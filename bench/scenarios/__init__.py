"""Benchmark scenarios: subgraphs, a client query, the composed supergraph, the answer.

Each scenario lives in its own folder: one ``<subgraph>.graphql`` SDL per subgraph (or, for
a scenario over the project's own subgraphs, read from where they are exported), the
client query (``query.graphql``), the supergraph composed from the SDLs by the reference
composer (``supergraph.graphql``, refreshed by ``python -m bench.compose``, which also writes
``expected.json``, the answer of a non-federated schema over the same data) and a Python
module building the :class:`~bench.federation.Subgraph` objects over deterministic data. A
variant of a scenario (the same folder, run another way) is a module of its own.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.federation import Monolith, Subgraph

__all__ = [
    "PENDING",
    "SCENARIOS",
    "Scenario",
    "load_scenario",
    "without_personal_marks",
    "without_security_purpose",
]

HERE = Path(__file__).parent
INPUTS_HEADER = "# bench-inputs: "
_PERSONAL_MARK = re.compile(r' @policy\(policies: \[\[[^\]]*\]\]\)| @tag\(name: "pdp:[a-z]+"\)')
_SECURITY_PURPOSE = re.compile(r", for: SECURITY\)")

SCENARIOS = (
    "deep_fanout",
    "city_dashboard",
    "public_benchmark",
    "public_benchmark_latency",
    "personal_data",
)
"""Every scenario, in the order the benchmark runs them."""

PENDING: dict[str, str] = {}
"""Scenarios that cannot run yet, with the reason."""


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    folder: Path
    subgraph_names: tuple[str, ...]
    build_subgraphs: Callable[[], dict[str, Subgraph]]
    build_monolith: Callable[[], Monolith]
    sdl_folder: Path | None = None
    """Where the ``<subgraph>.graphql`` SDLs are, when not in ``folder``."""
    prepare: Callable[[bool], None] | None = None
    """Refreshes the scenario's data before composing (forced with ``True``), if it has any
    to take from elsewhere."""
    personal: bool = False
    """The query reads personal data: Simpul alone is measured, without and with its
    access record (:mod:`bench.access_record`)."""
    simpul_env: Mapping[str, str] = field(default_factory=dict)
    """Settings Simpul is started with for this scenario (``SIMPUL_*``), beyond its
    defaults: what the query needs to be answered at all."""
    subgraph_latency_ms: float = 0.0
    """How long every subgraph waits before it answers (``BENCH_SUBGRAPH_LATENCY_MS``
    overrides it where it is not 0)."""
    dedup_modes: tuple[str, ...] | None = None
    """The de-duplication modes measured (None: every mode each gateway offers)."""

    def sdl_path(self, subgraph: str) -> Path:
        """The file holding ``subgraph``'s SDL."""
        return (self.sdl_folder or self.folder) / f"{subgraph}.graphql"

    def sdl(self, subgraph: str) -> str:
        return self.sdl_path(subgraph).read_text()

    @property
    def query(self) -> str:
        return (self.folder / "query.graphql").read_text()

    @property
    def request_body(self) -> bytes:
        """The POST body every gateway gets."""
        return json.dumps({"query": self.query}).encode()

    def inputs_digest(self) -> str:
        """A hash of the subgraph SDLs, written at the top of the composed supergraph."""
        canonical = json.dumps({name: self.sdl(name).strip() for name in self.subgraph_names})
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def supergraph_text(self) -> str:
        """The checked-in supergraph, without its inputs header."""
        text = (self.folder / "supergraph.graphql").read_text()
        header, _, body = text.partition("\n")
        if header != INPUTS_HEADER + self.inputs_digest():
            raise RuntimeError(
                f"{self.name}: supergraph.graphql is stale: run `python -m bench.compose`"
            )
        return body

    def supergraph_with_urls(self, urls: dict[str, str]) -> str:
        """The supergraph with each subgraph's URL replaced by ``urls[name]``."""
        text = self.supergraph_text()
        for name, url in urls.items():
            pattern = re.compile(
                r'(@join__graph\(name: "' + re.escape(name) + r'", url: ")[^"]*(")'
            )
            text, count = pattern.subn(_replacing(url), text)
            if count != 1:
                raise RuntimeError(f"{self.name}: no join__graph for subgraph {name}")
        return text

    def expected(self) -> Any:
        """The checked-in expected response."""
        return json.loads((self.folder / "expected.json").read_text())


def without_personal_marks(supergraph: str) -> str:
    """``supergraph`` without its personal-data marks (``@policy``, ``@tag(name:
    "pdp:...")``): the same graph served with no access check and no record."""
    return _PERSONAL_MARK.sub("", supergraph)


def without_security_purpose(supergraph: str) -> str:
    """``supergraph`` with its ``@link``s' ``for: SECURITY`` removed, for a gateway that
    refuses security features it cannot enforce (as the spec asks) when the query reaches
    no field they protect."""
    return _SECURITY_PURPOSE.sub(")", supergraph)


def _replacing(url: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match.group(1) + url + match.group(2)


def load_scenario(name: str) -> Scenario:
    """The scenario called ``name`` (one of :data:`SCENARIOS` not in :data:`PENDING`)."""
    if name in PENDING:
        raise LookupError(f"{name}: {PENDING[name]}")
    module = importlib.import_module(f"bench.scenarios.{name}")
    scenario: Scenario = module.SCENARIO
    return scenario
