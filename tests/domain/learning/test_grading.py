"""Grading from rows: every item scored and written with one UPDATE, items already loaded kept in step,
the attempt's totals, and what the reactions to a grading are told."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from lms.domain.learning import attempts as engine
from lms.domain.learning.grading import GradedItem, grade_items, graded_items, totals
from lms.models import Attempt, AttemptItem
from lms.models.learning import GRADED, SUBMITTED
from tests.domain.learning.test_attempts import T0, make_quiz
from tests.factories import UserFactory


def _answered(db: Session) -> Attempt:
    """An attempt with the single-choice question right, the numeric one wrong, the essay written."""
    quiz = make_quiz(db)
    attempt = engine.start_attempt(db, UserFactory(), quiz, T0, seed=1)
    engine.save_response(db, attempt, "state", {"choice": 0}, T0)
    engine.save_response(db, attempt, "hours", {"value": 48}, T0)
    engine.save_response(db, attempt, "essay", {"text": "皮面会慢慢变深，这是正常的包浆。"}, T0)
    db.commit()
    return attempt


def test_items_are_graded_from_rows_and_written(app, db: Session, count_queries) -> None:
    attempt = _answered(db)
    attempt_id = attempt.id
    db.expunge_all()  # nothing of the attempt loaded: grading reads rows only
    attempt = db.get(Attempt, attempt_id)
    with count_queries() as counted:
        graded = grade_items(db, attempt, None)
    assert counted.count == 2, counted.statements  # one SELECT of the rows, one UPDATE of them all
    assert "items" not in attempt.__dict__  # no item was loaded as an object
    assert graded == [
        GradedItem("state", 1.0, 1.0, False, ("order-flow",)),
        GradedItem("hours", 0.0, 1.0, False, ("disputes",)),
        GradedItem("essay", 0.0, 2.0, True, ("care",)),
    ]
    db.commit()
    db.expunge_all()
    rows = db.execute(
        select(AttemptItem.question_key, AttemptItem.score, AttemptItem.needs_review, AttemptItem.feedback)
        .where(AttemptItem.attempt_id == attempt_id)
        .order_by(AttemptItem.position)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("state", 1.0, False, ["Right"]),
        ("hours", 0.0, False, []),
        ("essay", 0.0, True, []),
    ]


def test_loaded_items_take_the_written_gradings(app, db: Session) -> None:
    attempt = _answered(db)
    loaded = list(attempt.items)  # a page showed them
    grade_items(db, attempt, None)
    assert [(i.score, i.max_score, i.needs_review) for i in loaded] == [
        (1.0, 1.0, False),
        (0.0, 1.0, False),
        (0.0, 2.0, True),
    ]
    assert loaded[0].feedback == ["Right"]
    assert not any(inspect(i).modified for i in loaded)  # as written: nothing left to flush


def test_an_unsaved_answer_is_graded_as_it_stands(app, db: Session) -> None:
    attempt = _answered(db)
    hours = next(i for i in attempt.items if i.question_key == "hours")
    hours.response = {"value": 72}  # changed on the object, not yet flushed
    graded = grade_items(db, attempt, None)
    assert graded[1].score == 1.0  # flushed before the rows were read


def test_totals_pass_fail_and_waiting_for_a_person() -> None:
    now = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
    right = GradedItem("a", 3.0, 4.0, False, ())
    wrong = GradedItem("b", 0.0, 1.0, False, ())
    essay = GradedItem("c", 0.0, 2.0, True, ())
    assert totals([right, wrong], 60, now) == {
        "score": 3.0,
        "max_score": 5.0,
        "percent": 60.0,
        "status": GRADED,
        "graded_at": now,
        "passed": True,
    }
    assert totals([right, wrong], 61, now)["passed"] is False
    waiting = totals([right, essay], 10, now)
    assert waiting["status"] == SUBMITTED and waiting["passed"] is None and "graded_at" not in waiting
    assert totals([], 80, now) == {
        "score": 0,
        "max_score": 0,
        "percent": 0.0,
        "status": GRADED,
        "graded_at": now,
        "passed": False,
    }


def test_graded_items_from_loaded_items_match_the_rows(app, db: Session) -> None:
    attempt = _answered(db)
    from_rows = grade_items(db, attempt, None)
    assert graded_items(attempt) == from_rows


def test_a_submit_through_the_engine_publishes_what_it_graded(app, db: Session) -> None:
    from lms.domain import events

    attempt = _answered(db)
    heard: list[list[GradedItem]] = []

    def listen(_session: Session, **facts: object) -> None:
        heard.append(facts["graded"])  # type: ignore[arg-type]

    events.attempt_graded.connect(listen)
    try:
        engine.submit_attempt(db, attempt, T0 + dt.timedelta(minutes=5))
    finally:
        events.attempt_graded.disconnect(listen)
    assert [[g.question_key for g in graded] for graded in heard] == [["state", "hours", "essay"]]
    assert (attempt.score, attempt.max_score, attempt.status) == (1.0, 4.0, SUBMITTED)
    assert not inspect(attempt).modified  # written with its own UPDATE
