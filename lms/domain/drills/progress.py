"""The drill's daily goal and streak, for the agent's Today page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lms.db import read_rows
from lms.domain.curriculum.calendar_days import is_working_day
from lms.domain.curriculum.programme import Schedule
from lms.models import DrillReview, User

#: Cards a day the drill asks for.
DAILY_GOAL = 20
#: How far back a streak is counted.
STREAK_WINDOW = 120


@dataclass(frozen=True)
class DrillProgress:
    """Cards drilled today against the goal, and the streak of days drilled."""

    done_today: int
    goal: int
    streak: int

    @property
    def goal_met(self) -> bool:
        return self.done_today >= self.goal


#: The agent's drill reviews since a day (`since`), as the streak counts them.
DRILL_TIMES = select(DrillReview.at).where(
    DrillReview.user_id == bindparam("user_id"),
    DrillReview.source == "drill",
    DrillReview.at >= bindparam("since", type_=DrillReview.at.type),
)


def streak_since(today: dt.date) -> dt.datetime:
    """The start of the window a streak is counted in (`DRILL_TIMES`' `since`)."""
    return dt.datetime.combine(today - dt.timedelta(days=STREAK_WINDOW), dt.time(), tzinfo=dt.UTC)


def drill_progress(
    session: Session, user: User, today: dt.date, schedule: Schedule | None = None
) -> DrillProgress:
    """Today's count and the streak in one query (`progress_from_times`)."""
    times = read_rows(session, DRILL_TIMES, {"user_id": user.id, "since": streak_since(today)}).scalars()
    return progress_from_times(times.all(), today, schedule)


def progress_from_times(
    times: Iterable[dt.datetime], today: dt.date, schedule: Schedule | None = None
) -> DrillProgress:
    """Today's count and the streak from the drill reviews since `streak_since(today)`: consecutive
    days with a review, ending today (or yesterday, while today is still open); a day off never
    breaks a streak."""
    days: dict[dt.date, int] = {}
    for at in times:
        days[at.date()] = days.get(at.date(), 0) + 1
    streak, day = 0, today
    if today not in days:
        day -= dt.timedelta(days=1)
    while day >= today - dt.timedelta(days=STREAK_WINDOW):
        if day in days:
            streak += 1
        elif schedule is None or is_working_day(day, schedule.days_off, schedule.holidays):
            break
        day -= dt.timedelta(days=1)
    return DrillProgress(days.get(today, 0), DAILY_GOAL, streak)
