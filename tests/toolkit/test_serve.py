"""The OPD packages' common command line serves the app and port asked for."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

from subgraphs.toolkit import serve

SIMULATOR, SUBGRAPH = Starlette(), Starlette()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str, int]]:
    calls: list[tuple[Any, str, int]] = []

    async def record(app: Any, host: str, port: int) -> None:
        calls.append((app, host, port))

    monkeypatch.setattr(serve, "serve_app", record)
    return calls


def run(argv: list[str], urls: list[str | None]) -> None:
    def subgraph(url: str | None) -> Starlette:
        urls.append(url)
        return SUBGRAPH

    serve.command_line(
        "python -m subgraphs.x.serve",
        simulator_app=lambda: SIMULATOR,
        subgraph_app=subgraph,
        simulator_port=4101,
        subgraph_port=4011,
        argv=argv,
    )


def test_simulator_on_its_default_port(served: list[tuple[Any, str, int]]) -> None:
    run(["simulator"], [])
    assert served == [(SIMULATOR, "127.0.0.1", 4101)]


def test_subgraph_with_its_simulator_url_and_port(served: list[tuple[Any, str, int]]) -> None:
    urls: list[str | None] = []
    run(["subgraph", "--port", "5011", "--simulator", "http://127.0.0.1:5101"], urls)
    assert served == [(SUBGRAPH, "127.0.0.1", 5011)]
    assert urls == ["http://127.0.0.1:5101"]


def test_anything_else_is_a_usage_error(served: list[tuple[Any, str, int]]) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["gateway"], [])
    assert exited.value.code == 2 and served == []
