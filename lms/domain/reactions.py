"""Who reacts to what: the one place where a domain event meets the areas it concerns.

Each event has one receiver here, which calls the reacting areas in a fixed order (go-live is
decided before the tier ladder looks at it). `subscribe()` runs in `create_app`; it is idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from lms.domain import events
from lms.domain.certification.golive import maybe_issue_go_live
from lms.domain.certification.recertification import maybe_recertify
from lms.domain.tiers.ladder import maybe_promote
from lms.domain.tiers.renewal import maybe_renew_tier
from lms.models import Attempt, Lesson, SpotCheck, User


def _attempt_graded(session: Session, *, attempt: Attempt, now: dt.datetime, **_: Any) -> None:
    """A pass may complete go-live, and a passed tier exam may complete a tier."""
    if not attempt.passed:
        return
    maybe_recertify(session, attempt, now)
    maybe_issue_go_live(session, attempt.user, now)
    if any(g.startswith("tier:") for g in attempt.quiz.gates):
        maybe_renew_tier(session, attempt, now)
        maybe_promote(session, attempt.user, now)


def _lesson_done(session: Session, *, user: User, lesson: Lesson, now: dt.datetime, **_: Any) -> None:
    """A required lesson may be the last go-live requirement."""
    maybe_issue_go_live(session, user, now)


def _spot_check_recorded(
    session: Session, *, check: SpotCheck, agent: User, now: dt.datetime, **_: Any
) -> None:
    """A good check may complete the next tier's requirements."""
    maybe_promote(session, agent, now)


def _kpi_month_imported(session: Session, *, users: list[User], now: dt.datetime, **_: Any) -> None:
    """A KPI month may complete a tier for any agent in the file."""
    for user in users:
        maybe_promote(session, user, now)


def subscribe() -> None:
    """Connect every reaction (strong references; connecting twice changes nothing)."""
    events.attempt_graded.connect(_attempt_graded, weak=False)
    events.lesson_done.connect(_lesson_done, weak=False)
    events.spot_check_recorded.connect(_spot_check_recorded, weak=False)
    events.kpi_month_imported.connect(_kpi_month_imported, weak=False)
