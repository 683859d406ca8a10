"""A KPI dip assigns a refresher: an agent whose monthly score stays below the programme's threshold
for N consecutive months gets the course of their weakest metric (`[signals.kpi]`), once per dip,
with the months and the metric points as evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.assignments.automatic import assign_once
from lms.domain.curriculum.overview import get_programme
from lms.domain.kpi.scores import AgentMonth, month_scores
from lms.models import Course, KpiRecord


def _previous(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def _weakest(months: list[AgentMonth]) -> tuple[str | None, dict[str, float]]:
    """The metric with the fewest points on average over the months (and every metric's average)."""
    totals: dict[str, list[float]] = {}
    for month in months:
        for _store, score, _weight in month.stores:
            for metric, points in score.metrics.items():
                totals.setdefault(metric, []).append(points or 0.0)
    averages = {m: round(sum(v) / len(v), 1) for m, v in totals.items() if v}
    return (min(averages, key=lambda m: (averages[m], m)) if averages else None), averages


def assign_kpi_refreshers(session: Session, now: dt.datetime) -> int:
    """Assign the weakest metric's course to each agent in a dip (once per dip); returns how many."""
    programme = get_programme(session)
    rules: dict[str, Any] = ((programme.spec.get("signals") or {}).get("kpi") or {}) if programme else {}
    if not rules or not rules.get("refreshers"):
        return 0
    below, needed = float(rules["below"]), int(rules.get("months", 2))
    latest = session.scalar(select(func.max(KpiRecord.month)))
    if latest is None:
        return 0
    # Walk back month by month from the latest import while anyone is still below the threshold.
    month, history = latest, []
    low: set[int] | None = None
    streak: dict[int, list[AgentMonth]] = {}
    for _ in range(24):
        scores = {
            m.user.id: m for m in month_scores(session, month, sorted(low) if low is not None else None)
        }
        below_now = {uid for uid, m in scores.items() if m.score < below}
        low = below_now if low is None else low & below_now
        for uid in low:
            streak.setdefault(uid, []).append(scores[uid])
        history.append(month)
        # Keep walking only for those still in the dip (to find where each dip began).
        if not low:
            break
        month = _previous(month)
    assigned = 0
    courses = {c.slug: c for c in session.scalars(select(Course).where(Course.published.is_(True)))}
    for uid, months in streak.items():
        if len(months) < needed or not months[0].user.active or months[0].month != latest:
            continue
        # A dip is named by the month it began: it assigns once however long it lasts.
        began = months[-1].month if len(months) < 24 else "long"
        metric, averages = _weakest(months[:needed])
        course = courses.get(str(rules["refreshers"].get(metric, ""))) if metric else None
        if course is None:
            continue
        evidence = {
            "months": {m.month: round(m.score, 1) for m in months[:needed]},
            "below": below,
            "weakest_metric": metric,
            "metric_points": averages,
        }
        done = assign_once(
            session,
            f"kpi:{uid}:{began}",
            uid,
            trigger="kpi",
            course=course,
            due_on=now.date() + dt.timedelta(days=int(rules.get("due_days", 14))),
            reason=f"KPI 连续 {needed} 个月低于 {below:g} 分（最弱指标：{metric}），请复习本课程。"
            f" / KPI below {below:g} for {needed} months in a row; weakest metric: {metric}.",
            now=now,
            evidence=evidence,
        )
        assigned += done is not None
    return assigned
