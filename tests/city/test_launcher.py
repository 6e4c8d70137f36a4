"""``make up`` refuses to start next to another city rather than mixing with its processes."""

from __future__ import annotations

import socket

import pytest

from subgraphs import city


def test_a_busy_port_is_refused_before_anything_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        assert city.main(["--port", str(port)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("city: port ") and str(port) in error
    assert "already in use (is make up running?)" in error


def test_the_children_are_planned_in_start_order() -> None:
    children = city.plan_children("127.0.0.1", 4000, None)
    roles = [child.role for child in children]
    assert roles == ["simulator"] * 6 + ["subgraph"] * 6 + ["gateway"]
    assert [c.name for c in children if c.role == "subgraph"] == list(city.CITY_OPDS)
    assert children[-1].ready_url == "http://127.0.0.1:4000/ready"
