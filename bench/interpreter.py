"""The CPython the benchmark runs Simpul's gateway on.

A deployment runs the Docker image's CPython (``python:3.11-slim``, built with profile-guided
and link-time optimisation), and so do most distributions' packages; an interpreter built
by hand often is not (pyenv builds without them unless told), and runs Simpul's
pure-Python work a tenth to a quarter slower. The benchmark measures the gateway as it is
shipped: of the CPython 3.11+ interpreters on the machine (the project venv's, the
``python3`` and ``python3.1x`` on ``PATH`` and in ``/usr/bin``), it runs Simpul on the one
fastest on a short pure-Python probe, from a venv of its own under ``.cache/bench/python``
holding the working tree installed editable (the code measured is the checkout's) with
the project venv's versions of every package.
``BENCH_PYTHON`` names the interpreter instead; ``BENCH_PYTHON=venv`` keeps the project
venv's. The report says which ran and how the candidates compared.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.peers import SIMPUL

__all__ = ["Interpreter", "Probed", "choose", "simpul_interpreter"]

ROOT = Path(__file__).resolve().parents[1]
VENVS = ROOT / ".cache" / "bench" / "python"
VENV_PYTHON = SIMPUL.with_name("python")
"""The project venv's interpreter: the one running the benchmark."""

PROBE = """
import time
rows = [{"id": str(i), "name": "n" * 20, "reviews": [{"id": str(j), "body": "b" * 50}
        for j in range(3)]} for i in range(200)]
best = None
for _ in range(25):
    started = time.perf_counter()
    for _ in range(20):
        shaped = [{"id": r["id"], "name": r.get("name"), "reviews": [{"id": v["id"],
                  "body": v.get("body")} for v in r["reviews"]]} for r in rows]
    elapsed = time.perf_counter() - started
    best = elapsed if best is None else min(best, elapsed)
print(best)
"""
"""What a gateway does most: reading dicts, building dicts and lists (best of 25 tries)."""

_IDENTIFY = (
    "import os, sys, venv, ensurepip; "
    "print('%d.%d.%d' % sys.version_info[:3], os.path.realpath(sys.executable))"
)


@dataclass(frozen=True)
class Probed:
    """One candidate interpreter and its best probe time."""

    path: Path
    version: str
    seconds: float


@dataclass(frozen=True)
class Interpreter:
    """The interpreter Simpul runs on in the benchmark, and why."""

    simpul: Path
    """Its ``simpul`` command."""
    python: Path
    version: str
    note: str
    """For the report: which interpreter, and how the candidates compared."""


def candidates(environ: Mapping[str, str]) -> list[Path]:
    """Every command that may run a CPython 3.11+ here, the venv's first (several may run
    the same interpreter: :func:`choose` tells)."""
    names = ["python3", *(f"python3.{minor}" for minor in range(11, 16))]
    found = [VENV_PYTHON]
    for name in names:
        on_path = shutil.which(name, path=environ.get("PATH"))
        found += [Path(on_path)] if on_path else []
        found.append(Path("/usr/bin") / name)
    return [path for path in dict.fromkeys(found) if path.exists()]


def identify(python: Path) -> tuple[Path, str] | None:
    """The interpreter ``python`` runs (a shim or a venv's link leads to it) and its
    version, if it is a CPython 3.11+ that can make venvs; else ``None``."""
    try:
        done = subprocess.run(
            [str(python), "-c", _IDENTIFY], capture_output=True, text=True, timeout=30
        )
        version, executable = done.stdout.split(maxsplit=1)
        major_minor = tuple(map(int, version.split(".")[:2]))
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    if done.returncode != 0 or major_minor < (3, 11):
        return None
    return Path(executable.strip()), version


def probe(python: Path) -> float | None:
    """``python``'s best time on :data:`PROBE`, in seconds (``None`` if it failed)."""
    try:
        done = subprocess.run(
            [str(python), "-c", PROBE], capture_output=True, text=True, timeout=120
        )
        return float(done.stdout.strip()) if done.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None


def choose(
    pythons: Iterable[Path],
    identified: Callable[[Path], tuple[Path, str] | None] = identify,
    timed: Callable[[Path], float | None] = probe,
    rounds: int = 3,
) -> list[Probed]:
    """The distinct usable interpreters, fastest first: each probed ``rounds`` times in
    turn (the machine's speed drifts; taking turns lets each meet the same drift), its
    best kept."""
    usable: dict[Path, str] = {}
    for python in pythons:
        found = identified(python)
        if found is not None:
            usable.setdefault(*found)
    best: dict[Path, float] = {}
    for _ in range(rounds):
        for path in usable:
            seconds = timed(path)
            if seconds is not None:
                best[path] = min(seconds, best.get(path, seconds))
    ranked = [Probed(path, version, best[path]) for path, version in usable.items() if path in best]
    return sorted(ranked, key=lambda probed: probed.seconds)


def venv_for(python: Path, version: str, log: Path) -> Path | None:
    """A venv of ``python`` with the working tree installed editable and the project
    venv's versions of every package (made again when either changes); its ``simpul``
    command, or ``None`` if it could not be made (see ``log``)."""
    digest = hashlib.sha256(str(python.resolve()).encode()).hexdigest()[:8]
    home = VENVS / f"{version}-{digest}"
    frozen = subprocess.run(
        [str(VENV_PYTHON), "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    made_from = (ROOT / "pyproject.toml").read_text() + frozen
    wanted = hashlib.sha256(made_from.encode()).hexdigest()
    stamp = home / ".installed"
    simpul = home / "bin" / "simpul"
    if stamp.exists() and stamp.read_text() == wanted and simpul.exists():
        return simpul
    print(f"installing Simpul into a venv of {python} ({home}) ...", flush=True)
    constraints = VENVS / f"{home.name}.constraints.txt"
    constraints.parent.mkdir(parents=True, exist_ok=True)
    constraints.write_text(frozen)
    pip = [str(home / "bin" / "pip"), "install", "--quiet", "-c", str(constraints)]
    steps = [[str(python), "-m", "venv", "--clear", str(home)], [*pip, "-e", str(ROOT)]]
    with log.open("w") as output:
        for step in steps:
            done = subprocess.run(step, stdout=output, stderr=subprocess.STDOUT, check=False)
            if done.returncode != 0:
                return None
    stamp.write_text(wanted)
    return simpul


def simpul_interpreter(environ: Mapping[str, str], log: Path) -> Interpreter:
    """The interpreter to run Simpul on: ``BENCH_PYTHON``'s, else the fastest candidate."""
    own = platform.python_version()

    def venvs(why: str) -> Interpreter:
        return Interpreter(SIMPUL, VENV_PYTHON, own, f"CPython {own}, the project venv's{why}")

    wanted = environ.get("BENCH_PYTHON", "")
    if wanted == "venv":
        return venvs(" (BENCH_PYTHON=venv)")
    ranked = choose([Path(wanted)] if wanted else candidates(environ))
    if not ranked:
        return venvs(f": BENCH_PYTHON={wanted} is no CPython 3.11+" if wanted else "")
    compared = "; ".join(f"{p.path} CPython {p.version} {p.seconds * 1000:.1f} ms" for p in ranked)
    said = f"the probe's best of 3x25 runs: {compared}"
    fastest = ranked[0]
    if fastest.path == Path(os.path.realpath(VENV_PYTHON)):
        return venvs(f" ({said})")
    simpul = venv_for(fastest.path, fastest.version, log)
    if simpul is None:
        return venvs(f": a venv of {fastest.path} could not be made (see {log}); {said}")
    note = f"CPython {fastest.version} ({fastest.path}); {said}"
    return Interpreter(simpul, fastest.path, fastest.version, note)


def main() -> None:
    """Print the interpreters' probe times, fastest first (``python -m bench.interpreter``)."""
    for probed in choose(candidates(os.environ)):
        print(f"{probed.seconds * 1000:8.1f} ms  CPython {probed.version}  {probed.path}")


if __name__ == "__main__":
    main()
