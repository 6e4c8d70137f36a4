"""``make up``: the whole city federation on one machine, each part in its own process.

``python -m simpul.city [--host H] [--port P] [--config FILE]`` first makes the
development secrets it lacks in ``.cache/secrets/`` (:mod:`simpul.city_secrets`), then
starts, on 127.0.0.1:

1. the city's identity provider (``python -m subgraphs.sso.serve``, a Keycloak realm on
   port 4100) and each OPD's simulated legacy system (``python -m subgraphs.<opd>.serve
   simulator``), waiting until its ``/health`` answers (the SQL ones seed their database
   first);
2. each OPD's subgraph (``... serve subgraph --simulator URL``), on the port its
   ``schema/subgraphs.toml`` entry routes to;
3. the gateway (``simpul gateway``) over ``schema/supergraph.graphql`` on ``H:P`` (default
   127.0.0.1:4000), with ``schema/grants.toml``, serving the city portal (``portal/``) at
   ``/portal/``, waiting until ``/ready``;

then prints the URLs and keeps running. Every child's output is prefixed with its name. An
OPD process that stops on its own is reported and started again after a pause (1 s,
doubling to 30 s while it keeps stopping); meanwhile the rest keep serving, as the city's
other systems would. The gateway stopping ends the run. Ctrl-C (or SIGTERM) stops everything,
children first asked politely, then killed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import os
import signal
import socket
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from gateway.access.grants import GrantsError
from gateway.compose.sources import SourceError
from subgraphs.registry import REGISTRY, city_opds
from subgraphs.sso.serve import PORT as SSO_PORT

from .city_secrets import CitySecrets, prepare_secrets

__all__ = ["Child", "busy_ports", "city_secrets", "main", "plan_children"]

ROOT = Path(__file__).resolve().parents[1]
SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
GRANTS = ROOT / "schema" / "grants.toml"
SECRETS = ROOT / ".cache" / "secrets"
AUDIT_STORE = ROOT / ".cache" / "audit"
"""The access log of ``make up``: every writer's chains, one file each."""
PORTAL = ROOT / "portal"
SSO_REALM = f"http://127.0.0.1:{SSO_PORT}/realms/pontianak"

#: The OPD subgraphs of the city graph, in start order (dukcapil owns the wilayah).
LOOPBACK = "127.0.0.1"
READY_TIMEOUT = 120.0  # a first start seeds the SQL registries at full scale
STOP_GRACE = 5.0
RESTART_PAUSE_MAX = 30.0
"""The longest pause before an OPD process that keeps stopping is started again (s)."""
RESTART_RESET = 60.0
"""Seconds an OPD process must run for its next restart to come after 1 s again."""


@dataclass(frozen=True, slots=True)
class Child:
    """One process to run, and the URL that answers once it is ready."""

    name: str
    argv: tuple[str, ...]
    ready_url: str
    role: str
    """``simulator``, ``subgraph`` or ``gateway``: what the URL printed for it means."""
    url: str
    env: tuple[tuple[str, str], ...] = ()
    """Environment variables set for this child on top of the launcher's own."""


def city_secrets(
    folder: Path = SECRETS,
    grants: Path = GRANTS,
    audit_store: Path = AUDIT_STORE,
    registry: Path = REGISTRY,
) -> CitySecrets:
    """The development secrets of the city's processes (the OPDs of ``registry``), made
    where missing; the access log goes to ``audit_store``."""
    opds = city_opds(registry)
    return prepare_secrets(
        folder,
        {opd.name: importlib.import_module(f"{opd.package}.serve").SECRETS for opd in opds},
        grants,
        jwks_url=f"{SSO_REALM}/protocol/openid-connect/certs",
        issuer=SSO_REALM,
        audience="simpul-gateway",
        audit_store=audit_store,
    )


def plan_children(
    host: str,
    port: int,
    config: str | None,
    secrets: CitySecrets,
    subgraphs_toml: Path = REGISTRY,
) -> list[Child]:
    """The processes ``make up`` runs, in start order, from ``schema/subgraphs.toml``."""
    python = sys.executable
    sso = f"http://{LOOPBACK}:{SSO_PORT}"
    simulators: list[Child] = [
        Child(
            name="sso",
            argv=(
                python,
                "-m",
                "subgraphs.sso.serve",
                "--port",
                str(SSO_PORT),
                "--clients",
                str(secrets.sso_clients),
            ),
            ready_url=f"{sso}/health",
            role="simulator",
            url=sso,
        )
    ]
    subgraphs: list[Child] = []
    for opd in city_opds(subgraphs_toml):
        module = f"{opd.package}.serve"
        simulator = f"http://{LOOPBACK}:{opd.simulator_port}"
        opd_env = tuple(secrets.opd_env[opd.name].items())
        simulators.append(
            Child(
                name=f"{opd.name}-legacy",
                argv=(python, "-m", module, "simulator", "--port", str(opd.simulator_port)),
                ready_url=f"{simulator}/health",
                role="simulator",
                url=simulator,
                env=opd_env,
            )
        )
        subgraphs.append(
            Child(
                name=opd.name,
                argv=(
                    python,
                    "-m",
                    module,
                    "subgraph",
                    "--port",
                    str(opd.subgraph_port),
                    "--simulator",
                    simulator,
                ),
                ready_url=f"http://{LOOPBACK}:{opd.subgraph_port}/health",
                role="subgraph",
                url=opd.url,
                # each OPD's spans under its own name, once OTEL_EXPORTER_OTLP_ENDPOINT is set
                env=(
                    *opd_env,
                    *secrets.audit_env[opd.name].items(),
                    ("OTEL_SERVICE_NAME", f"simpul-{opd.name}"),
                ),
            )
        )
    gateway_argv = [python, "-m", "simpul.cli", "gateway", "--supergraph", str(SUPERGRAPH)]
    gateway_argv += ["--host", host, "--port", str(port)]
    if config:
        gateway_argv += ["--config", config]
    url_host = f"[{host}]" if ":" in host else host
    gateway = Child(
        name="gateway",
        argv=tuple(gateway_argv),
        ready_url=f"http://{url_host}:{port}/ready",
        role="gateway",
        url=f"http://{url_host}:{port}/graphql",
        env=(
            ("SIMPUL_PORTAL", os.environ.get("SIMPUL_PORTAL", str(PORTAL))),
            *secrets.gateway_env.items(),
        ),
    )
    return [*simulators, *subgraphs, gateway]


class City:
    """The running children: start in order, relay output, restart an OPD's that stops,
    stop all."""

    def __init__(self, children: Sequence[Child], *, restart: bool = True) -> None:
        self.children = {child.name: child for child in children}
        self.restart = restart
        self.processes: dict[str, asyncio.subprocess.Process] = {}
        self._relays: list[asyncio.Task[None]] = []
        self._started: dict[str, float] = {}
        self._restarts: dict[str, int] = {}

    async def start(self, batch: Sequence[Child]) -> None:
        """Start ``batch`` together and wait until each answers its ready URL."""
        for child in batch:
            await self._spawn(child)
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
            await asyncio.gather(*(self._wait_ready(client, child) for child in batch))

    async def _spawn(self, child: Child) -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_exec(
            *child.argv,
            cwd=ROOT,
            env={**os.environ, **dict(child.env)} if child.env else None,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop children in order
        )
        self.processes[child.name] = process
        self._started[child.name] = time.monotonic()
        assert process.stdout is not None
        self._relays.append(asyncio.create_task(_relay(child.name, process.stdout)))
        return process

    async def _wait_ready(self, client: httpx.AsyncClient, child: Child) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        process = self.processes[child.name]
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise StartFailed(f"{child.name} exited with status {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(child.ready_url)).status_code == 200:
                    return
            await asyncio.sleep(0.2)
        raise StartFailed(f"{child.name} did not become ready within {READY_TIMEOUT:.0f} s")

    async def watch(self) -> int:
        """Wait until the gateway stops; restart an OPD's process (its subgraph or its
        simulator) that stops on its own, after a pause that doubles from 1 s up to
        :data:`RESTART_PAUSE_MAX` while it keeps stopping (back to 1 s once it has run
        :data:`RESTART_RESET` seconds)."""
        waits = {
            asyncio.create_task(process.wait()): name for name, process in self.processes.items()
        }
        try:
            while waits:
                done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    name = waits.pop(task)
                    status = task.result()
                    if name == "gateway":
                        print(f"city: gateway stopped (status {status})", flush=True)
                        return 1
                    if not self.restart:
                        print(f"city: {name} stopped (status {status})", flush=True)
                        continue
                    pause = self._pause(name)
                    print(
                        f"city: {name} stopped (status {status}); restarting it in {pause:g} s",
                        flush=True,
                    )
                    waits[asyncio.create_task(self._restart(name, pause))] = name
            return 1
        finally:
            for pending in waits:
                pending.cancel()
            await asyncio.gather(*waits, return_exceptions=True)

    def _pause(self, name: str) -> float:
        if time.monotonic() - self._started.get(name, 0.0) >= RESTART_RESET:
            self._restarts[name] = 0
        count = self._restarts.get(name, 0)
        self._restarts[name] = count + 1
        return float(min(RESTART_PAUSE_MAX, 2**count))

    async def _restart(self, name: str, pause: float) -> int:
        """Start ``name`` again after ``pause`` seconds; its exit status once it stops."""
        await asyncio.sleep(pause)
        child = self.children[name]
        process = await self._spawn(child)
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
            try:
                await self._wait_ready(client, child)
                print(f"city: {name} restarted", flush=True)
            except StartFailed as error:
                print(f"city: {error}", flush=True)
        return await process.wait()

    async def stop(self) -> None:
        """Stop every child still running: SIGTERM, then SIGKILL after a grace period."""
        running = [p for p in self.processes.values() if p.returncode is None]
        for process in reversed(running):
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(asyncio.gather(*(p.wait() for p in running)), timeout=STOP_GRACE)
        except TimeoutError:
            for process in running:
                if process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
            await asyncio.gather(*(p.wait() for p in running))
        for relay in self._relays:
            relay.cancel()


class StartFailed(Exception):
    """A child exited or never became ready while the city was starting."""


async def _relay(name: str, stream: asyncio.StreamReader) -> None:
    prefix = f"[{name}] "
    while line := await stream.readline():
        sys.stdout.write(prefix + line.decode(errors="replace"))
        sys.stdout.flush()


def _announce(children: Sequence[Child]) -> str:
    gateway = next(c for c in children if c.role == "gateway")
    base = gateway.url.removesuffix("/graphql")
    lines = ["Simpul: the city graph of Kota Pontianak is running.", ""]
    lines.append(f"  gateway     {gateway.url}  (open it in a browser to explore)")
    if dict(gateway.env).get("SIMPUL_PORTAL"):
        lines.append(f"  portal      {base}/portal/  (the city dashboard)")
    lines.append(f"  health      {base}/health  {base}/ready")
    lines.append(f"  sso         {SSO_REALM}  (tokens for client applications)")
    lines.append("")
    lines.append(f"  {'OPD':<10}  {'subgraph':<32}  legacy system (simulated)")
    simulators = {c.name.removesuffix("-legacy"): c.url for c in children if c.role == "simulator"}
    for child in children:
        if child.role == "subgraph":
            lines.append(f"  {child.name:<10}  {child.url:<32}  {simulators[child.name]}")
    lines.append("")
    lines.append(f"  client credentials for development: {SECRETS.relative_to(ROOT)}/")
    lines.append("  (docs/frontend.md shows how to get a token and call protected fields)")
    lines += ["", "Press Ctrl-C to stop."]
    return "\n".join(lines)


async def _run(children: Sequence[Child], restart: bool = True) -> int:
    city = City(children, restart=restart)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)

    async def life() -> int:
        for role in ("simulator", "subgraph", "gateway"):
            await city.start([c for c in children if c.role == role])
        print(_announce(children), flush=True)
        return await city.watch()

    runner = asyncio.create_task(life())
    stopper = asyncio.create_task(stopping.wait())
    status = 0
    try:
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if runner.done():
            status = runner.result()
        else:
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
    except StartFailed as error:
        print(f"city: {error}", file=sys.stderr, flush=True)
        status = 1
    finally:
        stopper.cancel()
        print("city: stopping...", flush=True)
        await city.stop()
        print("city: stopped.", flush=True)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the city until interrupted; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m simpul.city", description=__doc__)
    parser.add_argument("--host", default=LOOPBACK, help="gateway address (127.0.0.1)")
    parser.add_argument("--port", type=int, default=4000, help="gateway port (4000)")
    parser.add_argument("--config", help="gateway configuration file (simpul gateway --config)")
    parser.add_argument(
        "--no-restart",
        action="store_true",
        help="leave an OPD process that stops stopped (to see the graph answer without it)",
    )
    args = parser.parse_args(argv)
    try:
        children = plan_children(args.host, args.port, args.config, city_secrets())
    except (SourceError, GrantsError) as error:
        print(f"city: {error}", file=sys.stderr)
        return 1
    busy = busy_ports(children)
    if busy:
        # another city's processes would answer our readiness checks: refuse, don't mix
        listed = ", ".join(map(str, busy))
        print(f"city: port {listed} already in use (is make up running?)", file=sys.stderr)
        return 1
    return asyncio.run(_run(children, restart=not args.no_restart))


def busy_ports(children: Sequence[Child]) -> list[int]:
    """The ports of ``children``'s ready URLs on which something already listens."""
    busy = []
    for child in children:
        address = urlsplit(child.ready_url)
        assert address.hostname is not None and address.port is not None
        with socket.socket(socket.AF_INET6 if ":" in address.hostname else socket.AF_INET) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((address.hostname, address.port)) == 0:
                busy.append(address.port)
    return busy


if __name__ == "__main__":
    sys.exit(main())
