"""The day the OPD tests seed their simulators on.

The simulators date their data from the day they are seeded (:mod:`subgraphs.reference.clock`);
the tests pass this one, so that their years and figures hold on any day they run: budget
years 2024 to 2026 with realisation through October 2026, permits from 2022, complaints
from 2024, population as of 30 June 2026, Dapodik's 2026/2027 ganjil semester.
"""

from __future__ import annotations

from datetime import date

__all__ = ["TODAY"]

TODAY = date(2026, 11, 2)
