"""The QC dashboard's numbers: scores by agent and month, failing topics this month, agents not checked."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, lazyload

from lms.models import Assignment, Certificate, Role, SpotCheck, SpotCheckResult, User, UserRole
from lms.models.certification import GO_LIVE

MONTHS_SHOWN = 6


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class AgentSeries:
    """One agent's average spot-check percent per month (None: not checked that month)."""

    agent: User
    values: list[float | None]


@dataclass
class ScoresByAgent:
    """One page of the agents checked in the last six months (by name), their monthly averages,
    and how many agents were checked in that time."""

    months: list[str]
    series: list[AgentSeries]
    total: int


def scores_by_agent(
    session: Session, today: dt.date, *, offset: int = 0, limit: int | None = None
) -> ScoresByAgent:
    """Monthly averages of the last six months, per agent checked in that time, by name: the agents
    from `offset`, at most `limit` of them (all when None). Averaged by the database, one row per
    agent (two queries: the count and the page), so a team of thousands reads one page's rows."""
    first = month_start(today, MONTHS_SHOWN - 1)
    starts = [month_start(today, back) for back in range(MONTHS_SHOWN - 1, -2, -1)]  # and next month's
    months = [start.strftime("%Y-%m") for start in starts[:-1]]
    averages = [
        func.avg(
            case((and_(SpotCheck.checked_on >= low, SpotCheck.checked_on < high), SpotCheck.percent))
        ).label(f"m{n}")
        for n, (low, high) in enumerate(zip(starts, starts[1:], strict=False))
    ]
    grouped = (
        select(SpotCheck.agent_id, *averages)
        .where(SpotCheck.checked_on >= first)
        .group_by(SpotCheck.agent_id)
        .subquery()
    )
    total = int(session.scalar(select(func.count()).select_from(grouped)) or 0)
    if not total:
        return ScoresByAgent(months, [], 0)
    stmt = (
        select(User, *[grouped.c[f"m{n}"] for n in range(MONTHS_SHOWN)])
        .join(grouped, grouped.c.agent_id == User.id)
        .options(lazyload(User.role_rows))
        .order_by(User.display_name, User.id)
        .offset(offset)
        .limit(limit)
    )
    series = [
        AgentSeries(agent, [None if v is None else round(float(v), 1) for v in values])
        for agent, *values in session.execute(stmt).tuples()
    ]
    return ScoresByAgent(months, series, total)


def failing_topics(session: Session, today: dt.date) -> list[tuple[str, int]]:
    """Topics of failed checklist items this month, most failed first (one query over this month's fails)."""
    topics: Counter[str] = Counter()
    for (item_topics,) in session.execute(
        select(SpotCheckResult.topics)
        .join(SpotCheck, SpotCheck.id == SpotCheckResult.spot_check_id)
        .where(SpotCheckResult.outcome == "fail", SpotCheck.checked_on >= month_start(today))
    ):
        topics.update(item_topics or [])
    return topics.most_common()


@dataclass
class Unchecked:
    """A live agent and the date of their last spot check (None: never)."""

    agent: User
    last: dt.date | None


def unchecked_agents(today: dt.date, days: int) -> Select[tuple[User, dt.date | None]]:
    """Live agents with no spot check in the last `days` days and their last check's date,
    never-checked first, then longest-unchecked."""
    last = (
        select(SpotCheck.agent_id, func.max(SpotCheck.checked_on).label("last"))
        .group_by(SpotCheck.agent_id)
        .subquery()
    )
    since = today - dt.timedelta(days=days)
    return (
        select(User, last.c.last)
        .join(UserRole, UserRole.user_id == User.id)
        .join(Certificate, Certificate.user_id == User.id)
        .outerjoin(last, last.c.agent_id == User.id)
        .where(
            UserRole.role == Role.LEARNER.value,
            User.active.is_(True),
            Certificate.kind == GO_LIVE,
            Certificate.revoked_at.is_(None),
            or_(last.c.last.is_(None), last.c.last < since),
        )
        .options(lazyload(User.role_rows))
        .order_by(last.c.last.is_not(None), last.c.last, User.display_name, User.id)
    )


def overdue_count(session: Session, today: dt.date) -> int:
    """Open assignments past their due date, team-wide."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.closed_at.is_(None), Assignment.due_on < today)
        )
        or 0
    )
