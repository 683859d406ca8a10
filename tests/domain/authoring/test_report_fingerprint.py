"""The statistics report's fingerprint moves with every change to a quiz's graded attempts (kept by
database triggers, migration 0019) and with its questions, and with nothing else."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from lms.domain.authoring.quiz_statistics import report_fingerprint
from lms.domain.learning import attempts as engine
from lms.models import Attempt, Quiz, QuizGradings
from tests.domain.authoring.test_quiz_statistics import ANSWERS, SPECS, T0, make_quiz, take
from tests.factories import UserFactory


def _changes(db: Session, quiz: Quiz) -> int | None:
    return db.scalar(select(QuizGradings.changes).where(QuizGradings.quiz_id == quiz.id))


def test_each_grading_moves_it_and_nothing_else_does(db: Session, count_queries) -> None:
    quiz, other = make_quiz(db), make_quiz(db, SPECS[:1], slug="other-quiz")
    with count_queries() as counter:
        empty = report_fingerprint(db, quiz)
    assert counter.count == 1 and _changes(db, quiz) is None
    take(db, quiz, *ANSWERS[0])
    first = report_fingerprint(db, quiz)
    assert first != empty and _changes(db, quiz) == 1
    # Not moved: an attempt started and answered, and another quiz's grading.
    attempt = engine.start_attempt(db, UserFactory(), quiz, T0)
    engine.save_response(db, attempt, "flow", {"choice": 1}, T0)
    elsewhere = engine.start_attempt(db, UserFactory(), other, T0)
    engine.save_response(db, elsewhere, "flow", {"choice": 0}, T0)
    engine.submit_attempt(db, elsewhere, T0)
    db.commit()
    assert _changes(db, other) == 1
    assert report_fingerprint(db, quiz) == first
    # Moved: submitting (graded), a regrade written in bulk, a score changed, a deletion.
    engine.submit_attempt(db, attempt, T0)
    db.commit()
    second = report_fingerprint(db, quiz)
    assert second != first
    db.execute(update(Attempt).where(Attempt.id == attempt.id).values(graded_at=T0 + dt.timedelta(hours=1)))
    db.commit()
    third = report_fingerprint(db, quiz)
    assert third != second
    db.execute(update(Attempt).where(Attempt.id == attempt.id).values(percent=1.0))
    db.commit()
    fourth = report_fingerprint(db, quiz)
    assert fourth != third
    db.execute(delete(Attempt).where(Attempt.id == attempt.id))
    db.commit()
    assert report_fingerprint(db, quiz) != fourth
    assert _changes(db, quiz) == 5


def test_bulk_changes_deletions_and_a_deleted_quiz(db: Session) -> None:
    quiz = make_quiz(db)
    for answers in ANSWERS:
        take(db, quiz, *answers)
    before = _changes(db, quiz)
    db.execute(update(Attempt).where(Attempt.quiz_id == quiz.id).values(graded_at=T0))
    db.commit()
    assert _changes(db, quiz) == before + len(ANSWERS)  # type: ignore[operator]
    # A quiz deleted (its attempts first) takes its counter with it.
    for attempt in db.scalars(select(Attempt).where(Attempt.quiz_id == quiz.id)):
        db.delete(attempt)
    db.flush()
    assert _changes(db, quiz) == before + 2 * len(ANSWERS)  # type: ignore[operator]
    db.delete(quiz)
    db.commit()
    assert db.scalar(select(func.count()).select_from(QuizGradings)) == 0
