"""The simulators' "today": the real date, or the one ``SIMPUL_TODAY`` pins.

Every simulated legacy system dates its data from this one day, the way the real system
would (the last completed semester, complaints up to yesterday, this year's budget), so
the dashboards look current on any day and the same day always gives the same data.
``SIMPUL_TODAY=2027-03-15`` pins it for a demo or a test run.

Only the edges read it (a simulator or installer starting); the seeds take the day as an
argument.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

__all__ = ["ENVIRONMENT", "ClockError", "today"]

ENVIRONMENT = "SIMPUL_TODAY"
"""The variable that pins the simulators' today, as an ISO date (``2027-03-15``)."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII)


class ClockError(ValueError):
    """``SIMPUL_TODAY`` holds something other than an ISO date."""


def today(environ: Mapping[str, str] | None = None) -> dt.date:
    """The date in ``SIMPUL_TODAY`` when it is set (``environ`` instead of the process's
    environment, for tests), else the real date.

    Raises :class:`ClockError` when the variable is set to anything but a calendar date
    written ``YYYY-MM-DD``: a mistyped pin must not quietly fall back to the real date.
    """
    value = (os.environ if environ is None else environ).get(ENVIRONMENT, "").strip()
    if not value:
        return dt.date.today()
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # the right shape, but no such day (2027-02-30)
    raise ClockError(f"{ENVIRONMENT} must be a date written YYYY-MM-DD, e.g. 2027-03-15: {value!r}")
