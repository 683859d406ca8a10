"""The QC dashboard's numbers: scores by agent and month, failing topics this month, agents not checked."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
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


def scores_by_agent(session: Session, today: dt.date) -> tuple[list[str], list[AgentSeries]]:
    """Monthly averages of the last six months, per agent checked in that time (two queries)."""
    first = month_start(today, MONTHS_SHOWN - 1)
    months = [month_start(today, back).strftime("%Y-%m") for back in range(MONTHS_SHOWN - 1, -1, -1)]
    rows = session.execute(
        select(SpotCheck.agent_id, SpotCheck.checked_on, SpotCheck.percent).where(
            SpotCheck.checked_on >= first
        )
    ).all()
    sums: dict[int, dict[str, list[float]]] = {}
    for agent_id, day, percent in rows:
        sums.setdefault(agent_id, {}).setdefault(day.strftime("%Y-%m"), []).append(float(percent))
    agents = {u.id: u for u in session.scalars(select(User).where(User.id.in_(list(sums))))} if sums else {}
    series = [
        AgentSeries(
            agents[agent_id],
            [round(sum(v) / len(v), 1) if (v := by_month.get(m)) else None for m in months],
        )
        for agent_id, by_month in sums.items()
        if agent_id in agents
    ]
    series.sort(key=lambda s: s.agent.display_name)
    return months, series


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


def not_checked_for(session: Session, today: dt.date, days: int) -> list[Unchecked]:
    """Live agents with no spot check in the last `days` days, longest-unchecked first (one query)."""
    return [Unchecked(user, day) for user, day in session.execute(unchecked_agents(today, days)).tuples()]


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
