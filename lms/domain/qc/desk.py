"""The QC desk: live agents not spot-checked lately, this week's checks, the topics failing most."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from lms.domain.accounts.desk import SHORTLIST, Shortlist
from lms.domain.qc.dashboard import Unchecked, failing_topics, unchecked_agents
from lms.models import SpotCheck, User

#: The desk's default for "not checked for N days" (a month: every live agent checked monthly).
NOT_CHECKED_DAYS = 30


def not_checked(
    session: Session, today: dt.date, days: int, limit: int = SHORTLIST, offset: int = 0
) -> Shortlist[Unchecked]:
    """Live agents with no spot check in the last `days` days, never-checked first (two queries):
    how many, and `limit` of them from `offset`."""
    stmt = unchecked_agents(today, days)
    count = int(session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    first = (
        [Unchecked(user, day) for user, day in session.execute(stmt.offset(offset).limit(limit)).tuples()]
        if count > offset
        else []
    )
    return Shortlist(count, first)


def week_start(now: dt.datetime) -> dt.datetime:
    """Monday 00:00 (UTC) of `now`'s week."""
    monday = now.date() - dt.timedelta(days=now.weekday())
    return dt.datetime.combine(monday, dt.time.min, tzinfo=dt.UTC)


@dataclass
class WeekChecks:
    """Spot checks recorded since Monday: how many, how many by the reader, the latest few."""

    count: int
    mine: int
    latest: list[SpotCheck]


def checks_this_week(session: Session, checker: User, now: dt.datetime, limit: int = SHORTLIST) -> WeekChecks:
    """The team's spot checks recorded this week, and the reader's share of them (two queries)."""
    since = week_start(now)
    total, mine = session.execute(
        select(func.count(), func.count().filter(SpotCheck.checker_id == checker.id)).where(
            SpotCheck.created_at >= since
        )
    ).one()
    latest = (
        list(
            session.scalars(
                select(SpotCheck)
                .where(SpotCheck.created_at >= since)
                .options(joinedload(SpotCheck.agent).lazyload(User.role_rows))
                .order_by(SpotCheck.created_at.desc(), SpotCheck.id.desc())
                .limit(limit)
            )
        )
        if total
        else []
    )
    return WeekChecks(int(total), int(mine or 0), latest)


def top_failing_topics(
    session: Session, today: dt.date, limit: int = SHORTLIST
) -> Shortlist[tuple[str, int]]:
    """This month's failing topics (the dashboard's rule), most failed first: how many topics, the top few."""
    topics = failing_topics(session, today)
    return Shortlist(len(topics), topics[:limit])
