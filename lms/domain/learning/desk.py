"""The trainer's desk, from learning: the grading queue (how many, since when) and the exams failed lately."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased, joinedload

from lms.domain.accounts.desk import SHORTLIST, Shortlist, shortlist
from lms.models import Attempt, AttemptItem, Quiz, User
from lms.models.learning import GRADED, IN_PROGRESS

#: "Failed lately" looks this far back: yesterday's failures on a Monday morning, not last month's.
FAILED_EXAM_DAYS = 2


def waiting_answers() -> Select[tuple[AttemptItem]]:
    """Answers waiting for a trainer's grade, oldest submission first (the grading queue's order)."""
    return (
        select(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(AttemptItem.needs_review.is_(True), Attempt.status != IN_PROGRESS)
        .order_by(Attempt.submitted_at, AttemptItem.id)
    )


@dataclass
class GradingQueue:
    """The queue's size, the oldest waiting answer's submission time, and the first few answers."""

    waiting: Shortlist[AttemptItem]

    @property
    def oldest(self) -> dt.datetime | None:
        """When the answer waiting longest was submitted."""
        return self.waiting.first[0].attempt.submitted_at if self.waiting.first else None


def grading_queue(session: Session, limit: int = SHORTLIST) -> GradingQueue:
    """The whole team's grading queue (two queries): trainers share it, as on the queue page."""
    stmt = waiting_answers().options(
        joinedload(AttemptItem.attempt).joinedload(Attempt.user).lazyload(User.role_rows),
        joinedload(AttemptItem.attempt).joinedload(Attempt.quiz),
    )
    return GradingQueue(shortlist(session, stmt, limit))


def exam_ids(session: Session) -> list[int]:
    """The quizzes that gate something (go-live or a tier): the exams (one query over the quizzes)."""
    return [quiz_id for quiz_id, gates in session.execute(select(Quiz.id, Quiz.gates)).tuples() if gates]


def failed_exams(
    session: Session, who: Select[tuple[int]], now: dt.datetime, limit: int = SHORTLIST
) -> Shortlist[Attempt]:
    """Exams that people in `who` failed in the last two days and have not passed since, newest first."""
    later_pass = aliased(Attempt)
    stmt = (
        select(Attempt)
        .where(
            Attempt.user_id.in_(who),
            Attempt.quiz_id.in_(exam_ids(session)),
            Attempt.status == GRADED,
            Attempt.passed.is_(False),
            Attempt.graded_at >= now - dt.timedelta(days=FAILED_EXAM_DAYS),
            ~select(later_pass.id)
            .where(
                later_pass.user_id == Attempt.user_id,
                later_pass.quiz_id == Attempt.quiz_id,
                later_pass.status == GRADED,
                later_pass.passed.is_(True),
                later_pass.number > Attempt.number,
            )
            .exists(),
        )
        .options(joinedload(Attempt.user).lazyload(User.role_rows), joinedload(Attempt.quiz))
        .order_by(Attempt.graded_at.desc(), Attempt.id.desc())
    )
    return shortlist(session, stmt, limit)
