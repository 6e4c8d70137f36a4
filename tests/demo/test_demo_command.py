"""``python -m simpul.demo`` refuses cleanly when it cannot serve."""

from __future__ import annotations

import pytest

from gateway.server.embedded import bind_socket
from simpul import demo


def test_invalid_supergraph(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main(["--supergraph", "/nonexistent.graphql"]) == 1
    assert "cannot read /nonexistent.graphql" in capsys.readouterr().err


def test_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    with bind_socket("127.0.0.1", 0) as busy:
        busy.listen()
        port = busy.getsockname()[1]
        assert demo.main(["--port", str(port)]) == 1
    # The gateway's port, or a subgraph's if a demo already runs on this machine.
    assert "demo: cannot listen on 127.0.0.1:" in capsys.readouterr().err
