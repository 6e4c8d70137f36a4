"""The benchmark runs Simpul on the fastest CPython 3.11+ of the machine, and says so."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

import pytest

from bench import interpreter
from bench.interpreter import choose, identify, probe, simpul_interpreter
from bench.peers import SIMPUL, gateways


def test_the_venvs_interpreter_is_identified_and_probed() -> None:
    found = identify(interpreter.VENV_PYTHON)
    assert found is not None
    path, version = found
    assert path == Path(os.path.realpath(interpreter.VENV_PYTHON))
    assert version == platform.python_version()
    seconds = probe(interpreter.VENV_PYTHON)
    assert seconds is not None and 0 < seconds < 5


def test_what_is_no_python_is_not_a_candidate() -> None:
    assert identify(Path("/bin/true")) is None
    assert identify(Path("/nonexistent/python3")) is None
    assert probe(Path("/bin/false")) is None


def test_the_fastest_distinct_interpreter_comes_first() -> None:
    real = {
        Path("/shim/python3"): (Path("/opt/slow/python3.11"), "3.11.7"),
        Path("/opt/slow/python3.11"): (Path("/opt/slow/python3.11"), "3.11.7"),
        Path("/usr/bin/python3"): (Path("/usr/bin/python3.11"), "3.11.2"),
        Path("/usr/bin/python3.10"): None,  # too old, or no venv module
        Path("/usr/bin/python3.12"): (Path("/usr/bin/python3.12"), "3.12.1"),
    }
    # the machine drifts: each is timed in turn, and its best time is kept
    times = {
        Path("/opt/slow/python3.11"): [3.9, 3.7, 3.8],
        Path("/usr/bin/python3.11"): [3.0, 2.8, 2.9],
        Path("/usr/bin/python3.12"): [None, None, None],  # the probe fails
    }
    order: list[Path] = []

    def timed(path: Path) -> float | None:
        order.append(path)
        return times[path][sum(1 for p in order if p == path) - 1]

    ranked = choose(real, real.get, timed)
    assert [(p.path, p.version, p.seconds) for p in ranked] == [
        (Path("/usr/bin/python3.11"), "3.11.2", 2.8),
        (Path("/opt/slow/python3.11"), "3.11.7", 3.7),
    ]
    # a shim and the interpreter it runs are probed once, in turns
    slow, fast, newer = (
        Path(f"{d}/python3.{m}") for d, m in (("/opt/slow", 11), ("/usr/bin", 11), ("/usr/bin", 12))
    )
    assert order == [slow, fast, newer] * 3


def test_bench_python_venv_keeps_the_project_venvs(tmp_path: Path) -> None:
    chosen = simpul_interpreter({"BENCH_PYTHON": "venv"}, tmp_path / "log")
    assert chosen.simpul == SIMPUL
    assert "the project venv's" in chosen.note


def test_a_bench_python_that_is_no_python_is_said_and_the_venvs_runs(tmp_path: Path) -> None:
    chosen = simpul_interpreter({"BENCH_PYTHON": "/bin/true"}, tmp_path / "log")
    assert chosen.simpul == SIMPUL
    assert "BENCH_PYTHON=/bin/true is no CPython 3.11+" in chosen.note


def test_the_venv_of_the_fastest_is_made_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interpreter, "VENVS", tmp_path)
    made: list[list[str]] = []
    packages = ["orjson==3.10.0\n"]

    def run(step: list[str], **_: object) -> object:
        made.append(step)
        if "--clear" in step:  # what `python -m venv` and `pip install -e` leave
            home = Path(step[-1])
            (home / "bin").mkdir(parents=True, exist_ok=True)
            (home / "bin" / "simpul").touch()
        return type("Done", (), {"returncode": 0, "stdout": packages[-1]})()

    monkeypatch.setattr(interpreter.subprocess, "run", run)
    python = Path("/usr/bin/python3.11")
    first = interpreter.venv_for(python, "3.11.2", tmp_path / "log")
    assert first is not None and first.name == "simpul" and first.parent.parent.parent == tmp_path
    freeze, venv, install = made
    assert freeze[0] == str(interpreter.VENV_PYTHON) and freeze[2:4] == ["pip", "freeze"]
    assert venv[:3] == [str(python), "-m", "venv"]
    # the project venv's versions, the checkout's code
    assert install[1:3] == ["install", "--quiet"] and install[-2:] == ["-e", str(interpreter.ROOT)]
    assert Path(install[install.index("-c") + 1]).read_text() == "orjson==3.10.0\n"
    assert interpreter.venv_for(python, "3.11.2", tmp_path / "log") == first
    # kept while pyproject.toml and the project venv's packages are the same
    assert len(made) == 4 and made[3] == freeze
    packages.append("orjson==3.10.1\n")
    assert interpreter.venv_for(python, "3.11.2", tmp_path / "log") == first
    assert len(made) == 7 and made[5][:3] == venv[:3]


def test_simpul_is_run_by_the_command_given() -> None:
    command = Path("/cache/python/3.11.2-abc/bin/simpul")
    runs, _ = gateways({"simpul"}, None, simpul_command=command)
    assert runs and all(run.argv[0] == str(command) for run in runs)


def test_the_module_prints_the_candidates_fastest_first() -> None:
    done = subprocess.run(
        [str(interpreter.VENV_PYTHON), "-m", "bench.interpreter"],
        cwd=interpreter.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.splitlines()
    times = [float(line.split()[0]) for line in lines]
    assert times == sorted(times) and all(t > 0 for t in times)
    venvs = os.path.realpath(interpreter.VENV_PYTHON)
    assert any(line.endswith(venvs) for line in lines), done.stdout
