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
from lms.domain.drills.feeds import exam_reviews, qc_lapses
from lms.domain.learning.grading import GradedItem, graded_items
from lms.domain.tiers.ladder import maybe_promote
from lms.domain.tiers.renewal import maybe_renew_tier
from lms.domain.xapi import outbox as xapi
from lms.models import Attempt, Lesson, PracticeRun, SpotCheck, User


def _attempt_graded(
    session: Session,
    *,
    attempt: Attempt,
    now: dt.datetime,
    graded: list[GradedItem] | None = None,
    **_: Any,
) -> None:
    """The attempt goes to the xAPI outbox; a fully right question on a script-library entry reviews
    its drill card; a pass may complete go-live, and a passed tier exam may complete a tier.
    `graded`: its items as graded (read from its loaded items when the publisher did not say)."""
    xapi.attempt_graded(session, attempt, now)
    exam_reviews(session, attempt, graded if graded is not None else graded_items(attempt), now)
    if not attempt.passed:
        return
    maybe_recertify(session, attempt, now)
    maybe_issue_go_live(session, attempt.user, now)
    if any(g.startswith("tier:") for g in attempt.quiz.gates):
        maybe_renew_tier(session, attempt, now)
        maybe_promote(session, attempt.user, now)


def _practice_run_finished(session: Session, *, run: PracticeRun, now: dt.datetime, **_: Any) -> None:
    """A medal may be the last go-live requirement, or complete a tier that asks for it."""
    if run.medal is None:
        return
    maybe_issue_go_live(session, run.user, now)
    maybe_promote(session, run.user, now)


def _lesson_done(session: Session, *, user: User, lesson: Lesson, now: dt.datetime, **_: Any) -> None:
    """The lesson goes to the xAPI outbox; a required lesson may be the last go-live requirement."""
    xapi.lesson_completed(session, user, lesson, now)
    maybe_issue_go_live(session, user, now)


def _spot_check_recorded(
    session: Session, *, check: SpotCheck, agent: User, now: dt.datetime, **_: Any
) -> None:
    """A failed item sets back the agent's drill cards on its topics; a good check may complete the
    next tier's requirements."""
    qc_lapses(session, check, agent, now)
    maybe_promote(session, agent, now)


def _drill_reviewed(session: Session, *, user: User, now: dt.datetime, **_: Any) -> None:
    """A drilled card or a typing run may be the last go-live requirement."""
    maybe_issue_go_live(session, user, now)


def _kpi_month_imported(session: Session, *, users: list[User], now: dt.datetime, **_: Any) -> None:
    """A KPI month may complete a tier for any agent in the file."""
    for user in users:
        maybe_promote(session, user, now)


def subscribe() -> None:
    """Connect every reaction (strong references; connecting twice changes nothing)."""
    events.attempt_graded.connect(_attempt_graded, weak=False)
    events.lesson_done.connect(_lesson_done, weak=False)
    events.practice_run_finished.connect(_practice_run_finished, weak=False)
    events.spot_check_recorded.connect(_spot_check_recorded, weak=False)
    events.kpi_month_imported.connect(_kpi_month_imported, weak=False)
    events.drill_reviewed.connect(_drill_reviewed, weak=False)
