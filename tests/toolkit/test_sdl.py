"""SDL export: the function, and the command that writes or checks a schema file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from subgraphs.toolkit import subgraph_sdl
from subgraphs.toolkit.export_sdl import main
from tests.toolkit.example import dapodik

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = "tests.toolkit.example:dapodik"


def test_the_sdl_is_what_service_answers() -> None:
    sdl = subgraph_sdl(dapodik)
    result = dapodik.execute_sync("{ _service { sdl } }")
    assert result.data is not None
    assert sdl == result.data["_service"]["sdl"].rstrip("\n") + "\n"
    assert 'type Sekolah @key(fields: "npsn")' in sdl


def test_export_writes_then_checks(tmp_path: Path) -> None:
    out = tmp_path / "schema" / "dapodik.graphql"
    assert main(["--check", REFERENCE, str(out)]) == 1
    assert main([REFERENCE, str(out)]) == 0
    assert out.read_text(encoding="utf-8") == subgraph_sdl(dapodik)
    assert main(["--check", REFERENCE, str(out)]) == 0
    out.write_text(subgraph_sdl(dapodik).replace("nama", "name"), encoding="utf-8")
    assert main(["--check", REFERENCE, str(out)]) == 1


@pytest.mark.parametrize(
    "reference",
    ["tests.toolkit.example", "tests.toolkit.example:tidak_ada", "tests.toolkit.example:npsn_list"],
)
def test_export_refuses_what_is_not_a_schema(
    reference: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([reference, str(tmp_path / "x.graphql")])
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_export_runs_as_a_module(tmp_path: Path) -> None:
    out = tmp_path / "dapodik.graphql"
    subprocess.run(
        [sys.executable, "-m", "subgraphs.toolkit.export_sdl", REFERENCE, str(out)],
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    assert out.read_text(encoding="utf-8") == subgraph_sdl(dapodik)
