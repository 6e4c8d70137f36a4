"""The simulators' today: the real date unless SIMPUL_TODAY pins one, never a silent
fallback from a mistyped pin."""

from __future__ import annotations

from datetime import date

import pytest

from subgraphs.reference import clock


def test_the_pinned_day_or_the_real_one() -> None:
    assert clock.today({"SIMPUL_TODAY": "2027-03-15"}) == date(2027, 3, 15)
    assert clock.today({"SIMPUL_TODAY": " 2027-03-15 "}) == date(2027, 3, 15)
    assert clock.today({}) == date.today()
    assert clock.today({"SIMPUL_TODAY": ""}) == date.today()


def test_the_process_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIMPUL_TODAY", "2028-02-29")
    assert clock.today() == date(2028, 2, 29)


@pytest.mark.parametrize("value", ["15-03-2027", "2027-3-15", "20270315", "2027-02-30", "kemarin"])
def test_a_mistyped_pin_is_refused(value: str) -> None:
    with pytest.raises(clock.ClockError, match="SIMPUL_TODAY must be a date written YYYY-MM-DD"):
        clock.today({"SIMPUL_TODAY": value})
