"""Promotion periods (双十一, 618 …): `lead_days` before a period's yearly start, everyone live gets
its preparation course or quiz (`[[promotions]]` in program.toml), once per period and year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.assignments.automatic import assign_once, claimed
from lms.domain.certification.validity import validity_of
from lms.domain.curriculum.overview import get_programme
from lms.models import Certificate, Course, Quiz, User
from lms.models.certification import GO_LIVE


def next_start(period: dict[str, Any], today: dt.date) -> dt.date | None:
    """The period's next start on or after today (this year's or next year's)."""
    try:
        month, day = (int(x) for x in str(period["starts"]).split("-"))
        start = dt.date(today.year, month, day)
        return start if start >= today else dt.date(today.year + 1, month, day)
    except (KeyError, ValueError):
        return None


def assign_promotion_prep(session: Session, now: dt.datetime) -> int:
    """Assign each period's preparation to everyone live once its lead time has begun; returns how many."""
    programme = get_programme(session)
    periods = list(programme.spec.get("promotions") or []) if programme else []
    today = now.date()
    live: list[int] | None = None
    assigned = 0
    for period in periods:
        start = next_start(period, today)
        if start is None or (start - today).days > int(period.get("lead_days", 14)):
            continue
        if live is None:
            live = list(
                session.scalars(
                    select(Certificate.user_id)
                    .join(User, User.id == Certificate.user_id)
                    .where(Certificate.kind == GO_LIVE, validity_of(session).live(now), User.active.is_(True))
                    .order_by(Certificate.user_id)
                )
            )
        course = (
            session.scalars(select(Course).where(Course.slug == period["course"])).one_or_none()
            if period.get("course")
            else None
        )
        quiz = (
            session.scalars(select(Quiz).where(Quiz.slug == period["quiz"])).one_or_none()
            if period.get("quiz")
            else None
        )
        if course is None and quiz is None:
            continue
        keys = {f"calendar:{period['slug']}:{start.year}:{uid}": uid for uid in live}
        done = claimed(session, keys)
        name = period.get("name") or period["slug"]
        english = period.get("name_en") or period["slug"]
        for key, uid in keys.items():
            if key in done:
                continue
            made = assign_once(
                session,
                key,
                uid,
                trigger="calendar",
                course=course,
                quiz=quiz,
                due_on=max(today, start - dt.timedelta(days=1)),
                reason=f"{name}（{start.isoformat()} 开始）备战：请在活动前完成。"
                f" / Prepare for {english} (starts {start.isoformat()}).",
                now=now,
                evidence={
                    "period": period["slug"],
                    "starts": start.isoformat(),
                    "lead_days": period.get("lead_days"),
                },
            )
            assigned += made is not None
    return assigned
