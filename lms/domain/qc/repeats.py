"""Repeated QC failures on one topic: a spot check's failed topics are suggestions; `failures` of them
on the same topic within `within_days` (`[signals.qc]`) become an assignment of the topic's course when
`auto_assign` is on — once per run of failures (failures after that escalation count afresh)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.assignments.automatic import assign_once
from lms.domain.curriculum.overview import get_programme
from lms.models import AutoClaim, Course, SpotCheck, SpotCheckResult, User


def escalate_repeated_failures(session: Session, now: dt.datetime) -> int:
    """Assign the course of each topic an agent failed often enough lately; returns how many."""
    programme = get_programme(session)
    rules: dict[str, Any] = ((programme.spec.get("signals") or {}).get("qc") or {}) if programme else {}
    if not rules or not rules.get("auto_assign"):
        return 0
    since = now.date() - dt.timedelta(days=int(rules["within_days"]))
    failing: dict[tuple[int, str], list[tuple[dt.date, int]]] = {}
    for agent_id, check_id, checked_on, topics in session.execute(
        select(SpotCheck.agent_id, SpotCheck.id, SpotCheck.checked_on, SpotCheckResult.topics)
        .join(SpotCheckResult, SpotCheckResult.spot_check_id == SpotCheck.id)
        .join(User, User.id == SpotCheck.agent_id)
        .where(SpotCheckResult.outcome == "fail", SpotCheck.checked_on >= since, User.active.is_(True))
    ):
        for topic in topics or []:
            entry = failing.setdefault((agent_id, topic), [])
            if (checked_on, check_id) not in entry:
                entry.append((checked_on, check_id))
    if not failing:
        return 0
    # Failures up to an earlier escalation of the same topic are spent.
    spent: dict[str, dt.datetime] = dict(
        session.execute(
            select(AutoClaim.key, func.max(AutoClaim.at))
            .where(AutoClaim.key.like("qc:%"))
            .group_by(AutoClaim.key)
        )
        .tuples()
        .all()
    )
    last: dict[tuple[int, str], dt.date] = {}
    for key, at in spent.items():
        _qc, agent, topic, _first = key.split(":", 3)
        pair = (int(agent), topic)
        last[pair] = max(last.get(pair, at.date()), at.date())
    courses = list(session.scalars(select(Course).where(Course.published.is_(True)).order_by(Course.slug)))
    assigned = 0
    for (agent_id, topic), checks in sorted(failing.items()):
        fresh = sorted(c for c in checks if (agent_id, topic) not in last or c[0] > last[(agent_id, topic)])
        if len(fresh) < int(rules["failures"]):
            continue
        course = next((c for c in courses if topic in (c.topics or [])), None)
        if course is None:
            continue
        done = assign_once(
            session,
            f"qc:{agent_id}:{topic}:{fresh[0][1]}",
            agent_id,
            trigger="qc_repeat",
            course=course,
            due_on=now.date() + dt.timedelta(days=int(rules.get("due_days", 7))),
            reason=f"质检在 {rules['within_days']} 天内 {len(fresh)} 次未通过“{topic}”。"
            f" / QC: {len(fresh)} failed spot checks on “{topic}” within {rules['within_days']} days.",
            now=now,
            evidence={
                "topic": topic,
                "spot_checks": [check_id for _on, check_id in fresh],
                "dates": [on.isoformat() for on, _id in fresh],
            },
        )
        assigned += done is not None
    return assigned
