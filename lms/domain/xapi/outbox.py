"""Recording statements into the outbox, inside the learner's transaction; only when xAPI is on.

The app turns xAPI on by putting the learners' homePage into its sessions' `info` (`enable`), so a
session of an app without an endpoint records nothing and the reactions cost nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, sessionmaker

from lms.domain.xapi import statements
from lms.models import Attempt, Certificate, Lesson, User, XapiStatement

INFO_KEY = "xapi_home"


def enable(*factories: sessionmaker[Session], home: str) -> None:
    """Make every session these factories open record xAPI statements for learners of `home`."""
    for factory in factories:
        factory.configure(info={INFO_KEY: home})


def _home(session: Session) -> str | None:
    home = session.info.get(INFO_KEY)
    return home if isinstance(home, str) and home else None


def _record(session: Session, kind: str, user_id: int | None, statement: dict[str, Any]) -> None:
    """Add one statement unless it is there already (its id is stable); never fails the learner."""
    sid = statement["id"]
    if session.scalar(select(XapiStatement.id).where(XapiStatement.statement_id == sid)) is not None:
        return
    try:
        with session.begin_nested():
            session.add(XapiStatement(statement_id=sid, kind=kind, user_id=user_id, statement=statement))
    except IntegrityError:
        pass  # recorded by a parallel request a moment ago


def lesson_completed(session: Session, user: User, lesson: Lesson, now: dt.datetime) -> None:
    """A learner finished a lesson."""
    home = _home(session)
    if home:
        _record(session, "lesson-completed", user.id, statements.lesson_completed(home, user, lesson, now))


def attempt_graded(session: Session, attempt: Attempt, now: dt.datetime) -> None:
    """A graded attempt: each question answered (result, response, duration), then passed or failed."""
    home = _home(session)
    if not home or attempt.passed is None:
        return
    for item in sorted(attempt.items, key=lambda i: i.position):
        _record(session, "answered", attempt.user_id, statements.question_answered(home, attempt, item))
    kind = "passed" if attempt.passed else "failed"
    _record(session, kind, attempt.user_id, statements.quiz_graded(home, attempt, now))


def certificate_earned(session: Session, certificate: Certificate | None) -> None:
    """A certificate was issued (recording the same one again changes nothing)."""
    home = _home(session)
    if home and certificate is not None and certificate.revoked_at is None:
        _record(
            session,
            "certificate-earned",
            certificate.user_id,
            statements.certificate_earned(home, certificate),
        )


@dataclass(frozen=True)
class OutboxSummary:
    """How the outbox stands: sent, waiting (never tried), failing (tried and waiting to retry)."""

    sent: int
    waiting: int
    failing: int


def summary(session: Session) -> OutboxSummary:
    """Counts in one query."""
    sent = func.count(XapiStatement.sent_at)
    failing = func.sum(case((and_(XapiStatement.sent_at.is_(None), XapiStatement.tries > 0), 1), else_=0))
    total = func.count(XapiStatement.id)
    row = session.execute(select(sent, failing, total)).one()
    return OutboxSummary(
        int(row[0] or 0), int(row[2] or 0) - int(row[0] or 0) - int(row[1] or 0), int(row[1] or 0)
    )


def latest(session: Session, failing_only: bool = False, limit: int = 100) -> list[XapiStatement]:
    """The newest statements (or only those failing), with their learners, newest first."""
    query = (
        select(XapiStatement)
        .options(joinedload(XapiStatement.user))
        .order_by(XapiStatement.id.desc())
        .limit(limit)
    )
    if failing_only:
        query = query.where(XapiStatement.sent_at.is_(None), XapiStatement.tries > 0)
    return list(session.scalars(query))
