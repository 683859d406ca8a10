"""The trainer's desk from learning: the grading queue's size and age, exams failed lately."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.learning import attempts as engine
from lms.domain.learning.desk import failed_exams, grading_queue
from lms.models import Attempt, Quiz, User
from tests.domain.learning.test_attempts import T0, make_quiz
from tests.factories import UserFactory


def test_the_grading_queue_counts_and_dates_its_oldest_answer(db: Session) -> None:
    assert grading_queue(db).waiting.count == 0 and grading_queue(db).oldest is None
    quiz = make_quiz(db)
    for hours, name in ((5, "late"), (30, "early")):
        learner = UserFactory(display_name=name)
        attempt = engine.start_attempt(db, learner, quiz, T0 - dt.timedelta(hours=hours))
        engine.save_response(db, attempt, "essay", {"text": "Leather darkens."}, T0)
        engine.submit_attempt(db, attempt, T0 - dt.timedelta(hours=hours))
    open_one = engine.start_attempt(db, UserFactory(), quiz, T0)  # in progress: not waiting for anyone
    db.commit()
    queue = grading_queue(db, limit=1)
    assert queue.waiting.count == 2 and queue.waiting.more == 1
    assert queue.waiting.first[0].attempt.user.display_name == "early"
    assert queue.oldest == T0 - dt.timedelta(hours=30) and open_one.status == "in_progress"


def _graded(db: Session, user: User, quiz: Quiz, number: int, passed: bool, at: dt.datetime) -> Attempt:
    attempt = Attempt(
        user_id=user.id,
        quiz_id=quiz.id,
        number=number,
        status="graded",
        started_at=at,
        submitted_at=at,
        graded_at=at,
        passed=passed,
        percent=90.0 if passed else 30.0,
    )
    db.add(attempt)
    db.flush()
    return attempt


def test_failed_exams_are_recent_gating_failures_not_passed_since(db: Session) -> None:
    exam = make_quiz(db, gates=["go-live"])
    exam.slug = "an-exam"
    db.commit()
    check = make_quiz(db)  # no gates: a practice check, not an exam
    mine = [UserFactory(display_name=f"L{i}") for i in range(5)]
    stranger = UserFactory()
    db.flush()
    yesterday, last_week = T0 - dt.timedelta(days=1), T0 - dt.timedelta(days=7)
    newest = _graded(db, mine[0], exam, 1, False, T0 - dt.timedelta(hours=1))
    older = _graded(db, mine[1], exam, 1, False, yesterday)
    _graded(db, mine[2], exam, 1, False, yesterday)
    _graded(db, mine[2], exam, 2, True, T0)  # passed since
    _graded(db, mine[3], exam, 1, False, last_week)  # too long ago
    _graded(db, mine[4], check, 1, False, yesterday)  # not an exam
    _graded(db, stranger, exam, 1, False, yesterday)  # not in scope
    db.commit()
    who = select(User.id).where(User.id.in_([u.id for u in mine]))
    found = failed_exams(db, who, T0)
    assert found.count == 2 and [a.id for a in found.first] == [newest.id, older.id]
    assert db.scalar(select(Quiz.gates).where(Quiz.id == check.id)) == []


def test_the_grading_queue_is_read_through_its_partial_index(db: Session) -> None:
    """The queue's condition is written as the index's (migration 0021), so the database reads only
    the waiting answers instead of every answer ever given (on SQLite `needs_review IS 1`, on
    PostgreSQL `needs_review IS true`: `== True` would render differently and scan them all)."""
    from sqlalchemy import func, text

    from lms.domain.learning.desk import waiting_answers

    stmt = select(func.count()).select_from(waiting_answers().order_by(None).subquery())
    bind = db.get_bind()
    sql = str(stmt.compile(bind, compile_kwargs={"literal_binds": True}))
    if bind.dialect.name == "sqlite":
        plan = " ".join(str(row[-1]) for row in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    else:
        db.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny test table: ask whether it can
        plan = " ".join(row[0] for row in db.execute(text(f"EXPLAIN {sql}")))
    db.rollback()
    assert "ix_attempt_items_waiting" in plan, plan
