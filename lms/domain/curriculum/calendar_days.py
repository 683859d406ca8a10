"""Working days: counting days of the programme across weekends and holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def is_working_day(
    day: dt.date, days_off: Collection[str] = ("sat", "sun"), holidays: Collection[dt.date] = ()
) -> bool:
    """Whether people train on this date."""
    return WEEKDAYS[day.weekday()] not in days_off and day not in holidays


def working_days_before(
    day: dt.date, n: int, days_off: Collection[str] = ("sat", "sun"), holidays: Collection[dt.date] = ()
) -> dt.date:
    """The working day that lies n working days before `day` (day itself if it is one and n=0)."""
    current = day
    while not is_working_day(current, days_off, holidays):
        current -= dt.timedelta(days=1)
    counted = 0
    while counted < n:
        current -= dt.timedelta(days=1)
        if is_working_day(current, days_off, holidays):
            counted += 1
    return current
