"""Every command of README.md and docs/*.md runs as written.

Each fenced ``sh`` block (and ``bash``, ``console``, ``shell``, and a block with no language,
which could hold a command too) is classified in :data:`BLOCKS` by its file and one of its
lines; a block missing from the table fails :func:`test_every_block_is_classified`, so a new
command cannot escape. The classes, and how each is checked:

- :class:`Run`: ``bash -euo pipefail -c BLOCK`` in the repository, exit status 0, and a
  GraphQL answer printed must have ``data`` and no ``errors``. ``simpul`` is the venv's, as
  for a reader with the venv activated; the test's own ``SIMPUL_*`` variables are removed,
  so that only the block's count. A block may have placeholders filled (``<opd>``: a real
  OPD; ``/etc/simpul``: a folder of the test's), the only change made to its text; a line
  that serves (a gateway, a subgraph) is started, waited for until it answers, and stopped
  with Ctrl-C (it must exit 0) once the block's other lines have run. A block that needs the
  city gets ``make up``'s launcher with its gateway on 4000 as the docs say
  (``tests/support/city.py``), started once for the module: run the module under
  ``flock /tmp/simpul-city.lock``.
- :class:`DryMake`: ``make`` lines start the suite itself (``make test``), the city for
  good (``make up``) or run for minutes (``make bench``): ``make -n`` shows each target's
  recipe, and each variable a line sets is read by the Python package the recipe runs.
- :class:`Synopsis`: the README's synopsis of commands, with placeholders for arguments:
  ``tests/cli/test_readme_synopsis.py`` checks each line's command and options.
- :class:`Docker`: no Docker daemon runs where these tests run (``docker info`` cannot reach
  one), so the image is not built. What is checked instead: the files the Dockerfile copies
  exist, the run line's ports, mounts and ``-e`` variables are ones the image's command and
  the gateway use, and that command, run on this machine with the run line's variables and
  mounted files, serves until Ctrl-C.
- :class:`Prelude`: run first, in the same shell, by the block that uses what it sets.
- :class:`NotCommands`: output, a diagram or a file tree.

The frontend guide's GraphQL examples (``graphql`` blocks of docs/frontend.md) are run
against the same city, with the variables the guide gives them (:data:`GUIDE_VARIABLES`),
as the application it names where one is needed; each must be answered whole.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.config import GatewayConfig, render_toml
from tests.support.city import RunningCity, running_city, sso_token
from tests.support.docs import DOCS, ROOT, Fenced, fenced_blocks

COMMAND_LANGUAGES = ("sh", "bash", "console", "shell", "")
CITY_ENV = {"SIMPUL_EXPOSE_QUERY_PLAN": "true"}
"""``make up``'s environment, as docs/operators.md starts the city for its query-plan example
(only answers to requests asking for their plan change)."""
NIK = "6171010101900001"
"""A resident of the city's registry (docs/frontend.md verifies her)."""
SERVE_TIMEOUT = 120.0  # four gateway workers load the city's supergraph side by side
RUN_TIMEOUT = 120.0


def command_blocks() -> list[Fenced]:
    """The blocks of README.md and docs/*.md that may hold commands, in reading order."""
    files = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    return [b for path in files for b in fenced_blocks(path) if b.lang in COMMAND_LANGUAGES]


def free_ports(count: int) -> list[int]:
    """``count`` different ports nothing listens on now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def shell_env() -> dict[str, str]:
    """The environment of a reader in the repository with the venv activated."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def logical_lines(text: str) -> list[str]:
    """The block's command lines: continuations joined, blank lines left out."""
    lines: list[str] = []
    pending = ""
    for line in text.splitlines():
        pending += line
        if pending.endswith("\\"):
            pending += "\n"
            continue
        if pending.strip():
            lines.append(pending)
        pending = ""
    if pending.strip():
        lines.append(pending)
    return lines


def words(line: str) -> list[str]:
    """A command line's words as bash splits them, its comment left out."""
    return shlex.split(line.replace("\\\n", " "), comments=True)


def bash(script: str, env: Mapping[str, str], stdin: str = "") -> str:
    """Run ``script`` as a reader pastes it into bash; its output (exit status 0 asserted)."""
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(env),
        cwd=ROOT,
        timeout=RUN_TIMEOUT,
    )
    assert done.returncode == 0, f"exit status {done.returncode}:\n{script}\n{done.stderr}"
    return done.stdout


@contextmanager
def serving(
    argv: list[str], env: Mapping[str, str], ready: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server, wait until ``ready`` answers 200, and on exit stop it with Ctrl-C
    (SIGINT to its process group, as a terminal sends it), asserting it exits 0."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the server and its workers only
        )
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT
        while True:
            assert process.poll() is None, f"{argv} exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"{ready} never answered:\n{log.read_text()}"
            try:
                if httpx.get(ready, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        try:
            status = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise AssertionError(f"{argv} did not stop on Ctrl-C:\n{log.read_text()}") from None
    assert status == 0, f"{argv} exited {status} on Ctrl-C:\n{log.read_text()}"


def graphql_answers(output: str) -> list[dict[str, Any]]:
    """The GraphQL answers a block printed (JSON with ``data`` or ``errors``; other JSON,
    like a ``/health`` answer, is passed over): at least one, each with ``data`` and no
    ``errors``."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while output[at:].strip():
        at += len(output[at:]) - len(output[at:].lstrip())
        value, at = decoder.raw_decode(output, at)
        values.append(value)
    answers = [v for v in values if isinstance(v, dict) and ("data" in v or "errors" in v)]
    assert answers, f"no GraphQL answer in {output!r}"
    for answer in answers:
        assert "errors" not in answer and answer.get("data") is not None, answer
    return answers


@dataclass(frozen=True)
class Here:
    """What a check is given: a folder of its own, and the city for a block that needs it."""

    tmp: Path
    city: Callable[[], RunningCity]


@dataclass(frozen=True)
class Run:
    """Run the block as written (see the module's docstring)."""

    why: str
    city: bool = False
    fill: Mapping[str, str] = field(default_factory=dict)
    """Text replaced before running; ``{tmp}``, ``{port}``, ``{port2}`` in a replacement
    are the test's folder and two free ports."""
    servers: Mapping[str, str] = field(default_factory=dict)
    """The start of each line that serves, and the URL that answers once it does."""
    before: str | None = None
    """A line of the :class:`Prelude` block of the same file run first in the same shell."""
    stdin: str = ""
    unchanged: tuple[str, ...] = ()
    """Files of the repository the block writes, which must come out as they were."""
    setup: Callable[[Mapping[str, str]], None] | None = None
    """Makes what the block takes as given (a configuration file), given the fills' values."""
    prints: str = ""
    """Text its output must have."""
    answers: Callable[[list[dict[str, Any]]], object] | None = None
    """What its GraphQL answers must satisfy, beyond data and no errors."""

    def check(self, block: Fenced, here: Here) -> None:
        if self.city:
            here.city()
        port, port2 = free_ports(2)
        values = {"tmp": str(here.tmp), "port": str(port), "port2": str(port2)}
        text = block.text
        if self.before is not None:
            text = find(block.doc, self.before).text + text
        for old, new in self.fill.items():
            text = text.replace(old, new.format(**values))
        if self.setup is not None:
            self.setup(values)
        kept = {name: (ROOT / name).read_bytes() for name in self.unchanged}
        try:
            output = self._run(text, values, here.tmp)
        finally:
            changed = [n for n, data in kept.items() if (ROOT / n).read_bytes() != data]
            for name in changed:
                (ROOT / name).write_bytes(kept[name])
        assert not changed, f"the block changed {changed}"
        assert self.prints in output, output
        # a block that asks the gateway or a subgraph prints answers
        if "/graphql" in text:
            answers = graphql_answers(output)
            assert self.answers is None or self.answers(answers), answers

    def _run(self, text: str, values: Mapping[str, str], tmp: Path) -> str:
        env = shell_env()
        if not self.servers:
            return bash(text, env, self.stdin)
        # A reader runs a server in a terminal of its own and the rest in another: each
        # server line keeps serving while the lines after it run, until the block's end.
        output: list[str] = []
        pending: list[str] = []
        with ExitStack() as servers:
            for number, line in enumerate(logical_lines(text)):
                ready = next((u for s, u in self.servers.items() if line.startswith(s)), None)
                if ready is None:
                    pending.append(line)
                    continue
                if pending:
                    output.append(bash("\n".join(pending), env, self.stdin))
                    pending = []
                argv = ["bash", "-euo", "pipefail", "-c", line]
                log = tmp / f"server-{number}.log"
                servers.enter_context(serving(argv, env, ready.format(**values), log))
            if pending:
                output.append(bash("\n".join(pending), env, self.stdin))
        return "".join(output)


@dataclass(frozen=True)
class DryMake:
    """``make -n`` each line (see the module's docstring)."""

    why: str

    def check(self, block: Fenced, here: Here) -> None:
        for line in logical_lines(block.text):
            argv = words(line)
            at = next(i for i, word in enumerate(argv) if not re.match(r"[A-Z_]+=", word))
            settings = dict(word.split("=", 1) for word in argv[:at])
            assert argv[at] == "make", line
            dry = bash(shlex.join(["make", "-n", *argv[at + 1 :]]), {**shell_env(), **settings})
            if not settings:
                continue
            packages = {p for p in re.findall(r" -m (\w+)", dry) if (ROOT / p).is_dir()}
            assert packages, f"{line}: its recipe runs no package of the repository:\n{dry}"
            sources = "".join(
                p.read_text(encoding="utf-8")
                for pkg in packages
                for p in (ROOT / pkg).rglob("*.py")
            )
            unread = [name for name in settings if f'"{name}"' not in sources]
            assert not unread, f"{line}: {sorted(packages)} read no {unread}"


@dataclass(frozen=True)
class Synopsis:
    """Placeholders for arguments: tests/cli/test_readme_synopsis.py checks each line."""

    why: str

    def check(self, block: Fenced, here: Here) -> None:
        from tests.cli.test_readme_synopsis import MAKE, SIMPUL

        # that test reads this very block: each of its lines is one of the block's
        lines = [line.split("  #", 1)[0].rstrip() for line in block.text.splitlines()]
        commands = [line for line in lines if line.startswith(("simpul ", "make "))]
        checked = [*SIMPUL, *MAKE]
        assert len(commands) == len(checked)
        assert all(any(c.startswith(line) for c in checked) for line in commands)


@dataclass(frozen=True)
class Docker:
    """What the block says of the image, checked without a Docker daemon (see the module's
    docstring)."""

    why: str

    def check(self, block: Fenced, here: Here) -> None:
        dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
        copied = [
            word
            for copy in re.findall(r"^COPY (?!--from)(.*)$", dockerfile, re.MULTILINE)
            for word in shlex.split(copy)[:-1]
            if not word.startswith("--")
        ]
        assert [path for path in copied if not (ROOT / path).exists()] == []
        build, run = logical_lines(block.text)
        assert build == "docker build -t simpul ."
        docker = words(run)
        assert docker[:3] == ["docker", "run", "--rm"] and docker[-1] == "simpul", docker
        options = list(zip(docker[3:-1:2], docker[4:-1:2], strict=True))
        assert {flag for flag, _ in options} == {"-p", "-v", "-e"}, options
        published = [value for flag, value in options if flag == "-p"]
        variables = dict(value.split("=", 1) for flag, value in options if flag == "-e")
        mounts = {  # in the container: on the host
            value.split(":")[1]: value.split(":")[0] for flag, value in options if flag == "-v"
        }
        read = set(re.findall(r"# env: (\w+)", render_toml(GatewayConfig())))
        assert set(variables) <= read, f"the gateway reads no {set(variables) - read}"
        found = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
        assert found is not None
        command: list[str] = json.loads(found.group(1))
        port = command[command.index("--port") + 1]
        assert published == [f"{port}:{port}"] and f"EXPOSE {port}" in dockerfile
        # each mount lands where the command or a variable reads a file
        assert set(mounts) <= {*command, *variables.values()}, mounts

        # The image's command on this machine: the mounted files in their places (the city's
        # supergraph as "yours", a key made as in "Starting"), on loopback and a free port.
        key = here.tmp / "call.key"
        bash(f"simpul keys generate --out {key}", shell_env())
        ours = {
            "/path/to/supergraph.graphql": str(ROOT / "schema" / "supergraph.graphql"),
            "/etc/simpul/call.key": str(key),
        }
        (free,) = free_ports(1)
        local = {inside: ours[outside] for inside, outside in mounts.items()}
        local.update({"0.0.0.0": "127.0.0.1", port: str(free)})
        found = re.search(r"^ENV (.*)$", dockerfile, re.MULTILINE)
        assert found is not None
        image_env = dict(w.split("=", 1) for w in shlex.split(found.group(1)))
        env = {**shell_env(), **{k: v for k, v in image_env.items() if k != "PATH"}}
        env.update({name: local.get(value, value) for name, value in variables.items()})
        base = f"http://127.0.0.1:{free}"
        argv = [local.get(word, word) for word in command]
        with serving(argv, env, f"{base}/ready", here.tmp / "gateway.log"):
            assert httpx.get(f"{base}/health").json() == {"status": "pass"}


@dataclass(frozen=True)
class Deploy:
    """A deployment (a cluster, a Docker daemon) these tests do not have: the files the block
    names exist, and ``tests/deploy/`` checks them (schemas, and against the gateway)."""

    why: str

    def check(self, block: Fenced, here: Here) -> None:
        folder = ROOT
        for line in logical_lines(block.text):
            argv = words(line)
            if argv[:1] == ["cd"]:
                folder = ROOT / argv[1].split()[0]
            named = [argv[i + 1] for i, word in enumerate(argv[:-1]) if word == "-f"]
            assert all((folder / name).is_file() for name in named), named
            if "kubectl apply" in line:
                # every manifest but the secret's placeholders
                manifests = {p.name for p in folder.glob("*.yaml")}
                assert set(named) == manifests - {"secret.yaml"}, named


@dataclass(frozen=True)
class Prelude:
    """Sets what the block naming it in ``before`` uses; run by that one."""

    why: str


@dataclass(frozen=True)
class NotCommands:
    """Nothing to run."""

    why: str


Class = Run | DryMake | Synopsis | Docker | Deploy | Prelude | NotCommands


def _gateway_config(values: Mapping[str, str]) -> None:
    # docs/operators.md takes /etc/simpul/simpul.toml as given: the smallest that serves
    Path(values["tmp"], "simpul.toml").write_text(
        'supergraph = "schema/supergraph.graphql"\n'
        f"[server]\nport = {values['port2']}\n"
        f'[access]\ncall_key_file = "{values["tmp"]}/call.key"\n',
        encoding="utf-8",
    )


def _plans_both_opds(answers: list[Any]) -> bool:
    plan = answers[0]["extensions"]["queryPlan"]
    return all(f'service: "{opd}"' in plan for opd in ("dukcapil", "dikbud"))


BLOCKS: dict[tuple[str, str], Class] = {
    ("README.md", "make up"): DryMake("the suite's own entry points"),
    ("README.md", "make check"): Synopsis("the synopsis of commands"),
    ("README.md", "curl -s http://127.0.0.1:4000/graphql"): Run("a query to the city", city=True),
    ("docs/architecture.md", "POST /graphql"): NotCommands("a diagram"),
    ("docs/frontend.md", "SECRET=$(cat .cache/secrets/sso-dinsos-siks.secret)"): Prelude(
        "gets the token the next block sends"
    ),
    ("docs/frontend.md", "-H 'simpul-purpose: Verifikasi calon penerima bantuan sosial'"): Run(
        "the token's block, then a mutation with the token, in one shell",
        city=True,
        before="SECRET=$(cat .cache/secrets/sso-dinsos-siks.secret)",
        answers=lambda a: a[0]["data"]["verifikasiPenduduk"]["hasil"],
    ),
    ("docs/opd-teams.md", "SIMPUL_CALL_SIGNING=none"): Run(
        "<opd> filled with dinkes, whose exports the city's simulator writes",
        city=True,
        fill={"<opd>": "dinkes"},
        servers={"SIMPUL_CALL_SIGNING=none": "http://127.0.0.1:4019/health"},
        answers=lambda a: a[0]["data"]["daftarFasilitasKesehatan"],
    ),
    ("docs/opd-teams.md", ".venv/bin/simpul subgraph export-sdl"): Run(
        "<opd> filled with dinkes; its SDL file is current, so it stays as it is",
        fill={"<opd>": "dinkes"},
        unchanged=("schema/dinkes.graphql",),
    ),
    ("docs/opd-teams.md", "simpul check --subgraph dikbud="): Run("the repository's own SDL"),
    ("docs/operators.md", "SIMPUL_CALL_KEY_FILE=/etc/simpul/call.key simpul gateway"): Run(
        "/etc/simpul in a folder of the test's, with a simpul.toml that serves; each gateway "
        "on a free port, as the city's may hold 4000",
        fill={
            "/etc/simpul": "{tmp}",
            "--supergraph schema/supergraph.graphql": "--supergraph schema/supergraph.graphql "
            "--port {port}",
        },
        servers={
            "SIMPUL_CALL_KEY_FILE=": "http://127.0.0.1:{port}/ready",
            "simpul gateway --config": "http://127.0.0.1:{port2}/ready",
        },
        setup=_gateway_config,
    ),
    ("docs/operators.md", "simpul compose --config schema/subgraphs.toml -o /etc/simpul"): Run(
        "/etc/simpul in a folder of the test's", fill={"/etc/simpul": "{tmp}"}
    ),
    ("docs/operators.md", "simpul: supergraph.graphql: invalid supergraph"): NotCommands(
        "an error it prints"
    ),
    ("docs/operators.md", ".venv/bin/simpul documents manifest"): Run(
        "the manifest is current, so it stays as it is",
        unchanged=("portal/persisted-documents.json",),
    ),
    ("docs/operators.md", "simpul keys subgraph --key-file"): Run(
        "/etc/simpul in a folder of the test's", fill={"/etc/simpul": "{tmp}"}
    ),
    ("docs/operators.md", "simpul audit key subject --out"): Run(
        "/etc/simpul in a folder of the test's", fill={"/etc/simpul": "{tmp}"}
    ),
    ("docs/operators.md", "export SIMPUL_AUDIT_STORE=.cache/audit"): Run(
        "the city's record; a resident's NIK typed in",
        city=True,
        stdin=f"{NIK}\n",
        prints="the log is intact",
    ),
    ("docs/operators.md", "-H 'simpul-include-query-plan: true'"): Run(
        "the city started with the plan exposed (CITY_ENV)",
        city=True,
        answers=_plans_both_opds,
    ),
    ("docs/operators.md", "docker build -t simpul ."): Docker("needs a Docker daemon"),
    ("docs/operators.md", "kubectl create secret generic simpul-gateway"): Deploy(
        "needs a Kubernetes cluster"
    ),
    ("docs/operators.md", "docker compose -f deploy/compose.yaml up --build"): Deploy(
        "needs a Docker daemon"
    ),
    ("docs/performance.md", "make bench"): DryMake("up to about half an hour each"),
    ("docs/performance.md", "BENCH_SIMPUL_WORKERS=2 BENCH_GATEWAYS=simpul"): DryMake(
        "minutes each"
    ),
    ("docs/portal.md", "portal/"): NotCommands("a file tree"),
}


def _has_line(block: Fenced, start: str) -> bool:
    return any(line.strip().startswith(start) for line in block.text.splitlines())


def find(doc: str, line: str) -> Fenced:
    """The block of ``doc`` with a line starting with ``line``; exactly one must have it."""
    found = [b for b in command_blocks() if b.doc == doc and _has_line(b, line)]
    assert len(found) == 1, f"{len(found)} blocks of {doc} have a line starting {line!r}"
    return found[0]


def classes(block: Fenced) -> list[tuple[tuple[str, str], Class]]:
    """The entries of :data:`BLOCKS` the block matches: one, when the table is right."""
    return [
        (key, c) for key, c in BLOCKS.items() if key[0] == block.doc and _has_line(block, key[1])
    ]


def test_every_block_is_classified() -> None:
    for block in command_blocks():
        found = classes(block)
        assert len(found) == 1, (
            f"{block.doc}:{block.line}: the {block.lang or 'unlabelled'} block starting "
            f"{block.first_line!r} is in {len(found)} entries of BLOCKS in "
            f"tests/docs/test_commands.py; it must be in one, keyed by "
            f"({block.doc!r}, {block.first_line.split('  #')[0].strip()!r}) or another line "
            f"of it, saying how it is run (Run, DryMake, ...) or that it holds no command "
            f"(NotCommands)"
        )
    for doc, line in BLOCKS:
        find(doc, line)
    # a prelude runs only as the start of the block that needs it
    preludes = {key for key, c in BLOCKS.items() if isinstance(c, Prelude)}
    befores = {(d, c.before) for (d, _), c in BLOCKS.items() if isinstance(c, Run) and c.before}
    assert preludes == befores


@pytest.fixture(scope="module")
def city() -> Iterator[RunningCity]:
    with running_city(4000, CITY_ENV) as running:
        yield running


RUNNABLE = [
    pytest.param(block, found[0][1], id=":".join(found[0][0])[:72])
    for block in command_blocks()
    if len(found := classes(block)) == 1
    and isinstance(found[0][1], Run | DryMake | Synopsis | Docker | Deploy)
]


@pytest.mark.parametrize(("block", "how"), RUNNABLE)
def test_the_block_runs_as_written(
    block: Fenced,
    how: Run | DryMake | Synopsis | Docker | Deploy,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    def city() -> RunningCity:
        running: RunningCity = request.getfixturevalue("city")
        return running

    how.check(block, Here(tmp_path, city))


# The frontend guide's GraphQL examples, run against the city as a frontend would send them,
# with the variables the guide gives (or, where it names none, ones the city holds).
LAST_YEAR = datetime.date.today().year - 1
GUIDE_VARIABLES: dict[str, dict[str, Any]] = {
    "RiwayatPemrosesan": {"nik": NIK},
    "KelurahanRingkas": {"kode": "61.71.02.1001"},
    "ProfilBertahap": {"kode": "61.71.02.1001"},
    "RingkasanKelurahan": {"kode": "61.71.02.1001", "tahun": LAST_YEAR},
    "DaftarOpd": {"tahun": LAST_YEAR},
    "AnggaranOpd": {"kode": "1.02.0.00.0.00.01.0000", "tahun": LAST_YEAR},
    "Katalog": {},
}
DPO_HEADERS = {
    # docs/frontend.md, "Riwayat pemrosesan data pribadi": the DPO's application and purpose
    "simpul-purpose": "Pemenuhan hak subjek data pribadi",
    "simpul-officer": "197001012000011001",
}


def guide_queries() -> list[tuple[str, str]]:
    """(operation name, text) of every ``graphql`` block of docs/frontend.md."""
    found = []
    for block in fenced_blocks(DOCS / "frontend.md"):
        if block.lang == "graphql":
            name = re.search(r"^(?:query|mutation)\s+(\w+)", block.text, re.MULTILINE)
            assert name, block.text
            found.append((name.group(1), block.text))
    return found


def test_every_guide_query_has_its_variables() -> None:
    assert sorted(name for name, _ in guide_queries()) == sorted(GUIDE_VARIABLES)


@pytest.mark.parametrize(("name", "text"), guide_queries(), ids=lambda v: v[:30])
def test_the_guide_s_query_runs_against_the_city(name: str, text: str, city: RunningCity) -> None:
    headers = {"content-type": "application/json"}
    if name == "RiwayatPemrosesan":
        headers |= {"authorization": f"Bearer {sso_token('kominfo-pdp')}", **DPO_HEADERS}
    response = httpx.post(
        city.url,
        json={"query": text, "operationName": name, "variables": GUIDE_VARIABLES[name]},
        headers=headers,
        timeout=60,
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert body["data"] and all(value is not None for value in body["data"].values()), body
