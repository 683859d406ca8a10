"""Quiz statistics: summary, histogram, facility, discrimination, flags and option counts by hand."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.specs import QuestionSpec
from lms.domain.authoring.question_import import import_questions
from lms.domain.authoring.quiz_statistics import QuizStatistics, quiz_statistics, quizzes_with_attempts
from lms.domain.learning import attempts as engine
from lms.models import Quiz
from tests.factories import UserFactory

T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
SLUG = "stats-check"


def _choices(*pairs: tuple[str, float]) -> dict[str, Any]:
    return {"choices": [{"text": text, "weight": weight} for text, weight in pairs]}


SPECS = [
    QuestionSpec(
        "flow",
        "single",
        "Who holds the money after payment?",
        1.0,
        (),
        "",
        _choices(("Alipay", 100.0), ("Store", 0.0), ("Courier", 0.0)),
    ),
    QuestionSpec(
        "extras",
        "multiple",
        "Which are free gifts?",
        1.0,
        (),
        "",
        _choices(("Dust bag", 50.0), ("Care card", 50.0), ("Second bag", -100.0)),
    ),
    QuestionSpec(
        "hours",
        "numeric",
        "Dispute window in hours?",
        1.0,
        (),
        "",
        {"answers": [{"value": 72, "tolerance": 0, "weight": 100.0}]},
    ),
    QuestionSpec("greet", "single", "How do we greet?", 1.0, (), "", _choices(("亲", 100.0), ("Hey", 0.0))),
]

# One row per learner: flow, extras, hours (None: left blank), greet → percent of 4 points.
ANSWERS: list[tuple[int, list[int], int | None, int]] = [
    (0, [0, 1], 48, 0),  # 1 + 1 + 0 + 1 = 3    → 75
    (1, [0], 24, 0),  # 0 + .5 + 0 + 1 = 1.5   → 37.5
    (0, [0, 2], 0, 0),  # 1 + 0 (50-100 → 0) + 0 + 1 = 2 → 50
    (2, [], 1, 0),  # 0 + 0 + 0 + 1 = 1      → 25
    (0, [1], 10, 0),  # 1 + .5 + 0 + 1 = 2.5   → 62.5
    (0, [0, 1], None, 0),  # 1 + 1 + 0 + 1 = 3 → 75
]
FLOW = [1, 0, 1, 0, 1, 1]
EXTRAS = [1, 0.5, 0, 0, 0.5, 1]
TOTALS = [3, 1.5, 2, 1, 2.5, 3]


def make_quiz(db: Session, specs: list[QuestionSpec] = SPECS, slug: str = SLUG) -> Quiz:
    import_questions(db, slug, specs)
    quiz = db.scalars(select(Quiz).where(Quiz.slug == slug)).one()
    quiz.published, quiz.pass_percent = True, 50
    db.commit()
    return quiz


def take(db: Session, quiz: Quiz, flow: int, extras: list[int], hours: int | None, greet: int) -> None:
    """One learner's graded attempt with these answers."""
    attempt = engine.start_attempt(db, UserFactory(), quiz, T0)
    engine.save_response(db, attempt, "flow", {"choice": flow}, T0)
    engine.save_response(db, attempt, "extras", {"choices": extras}, T0)
    if hours is not None:
        engine.save_response(db, attempt, "hours", {"value": hours}, T0)
    engine.save_response(db, attempt, "greet", {"choice": greet}, T0)
    engine.submit_attempt(db, attempt, T0 + dt.timedelta(minutes=5))
    db.commit()
    assert attempt.status == "graded"


@pytest.fixture
def report(db: Session) -> QuizStatistics:
    quiz = make_quiz(db)
    for answers in ANSWERS:
        take(db, quiz, *answers)
    # Not counted: an attempt still in progress, and an attempt at another quiz.
    open_attempt = engine.start_attempt(db, UserFactory(), quiz, T0)
    engine.save_response(db, open_attempt, "flow", {"choice": 1}, T0)
    other = make_quiz(db, SPECS[:1], slug="other-quiz")
    attempt = engine.start_attempt(db, UserFactory(), other, T0)
    engine.save_response(db, attempt, "flow", {"choice": 2}, T0)
    engine.submit_attempt(db, attempt, T0)
    db.commit()
    return quiz_statistics(db, quiz)


def test_summary_over_graded_attempts(report: QuizStatistics) -> None:
    # Percents 75, 37.5, 50, 25, 62.5, 75; pass mark 50.
    assert report.attempts == 6
    assert report.mean == pytest.approx(325 / 6)
    assert report.median == pytest.approx((50 + 62.5) / 2)
    assert report.pass_rate == pytest.approx(100 * 4 / 6)
    assert report.histogram == [0, 0, 1, 1, 0, 1, 1, 2, 0, 0]


def test_facility_answered_and_flags(report: QuizStatistics) -> None:
    by_key = {q.key: q for q in report.questions}
    assert [q.key for q in report.questions] == ["flow", "extras", "hours", "greet"]
    assert by_key["flow"].text == "Who holds the money after payment?"
    assert by_key["flow"].facility == pytest.approx(100 * 4 / 6)
    assert by_key["extras"].facility == pytest.approx(50.0)
    assert by_key["hours"].facility == 0 and by_key["greet"].facility == 100
    assert {k: (q.attempts, q.answered) for k, q in by_key.items()} == {
        "flow": (6, 6),
        "extras": (6, 6),  # an empty selection is an answer
        "hours": (6, 5),  # one left blank
        "greet": (6, 6),
    }
    assert [k for k, q in by_key.items() if q.nobody_right] == ["hours"]
    assert [k for k, q in by_key.items() if q.everyone_right] == ["greet"]


def test_discrimination_is_the_correlation_with_the_rest_of_the_test(report: QuizStatistics) -> None:
    by_key = {q.key: q for q in report.questions}
    for key, scores in (("flow", FLOW), ("extras", EXTRAS)):
        rest = [t - s for t, s in zip(TOTALS, scores, strict=True)]  # marks on the other questions
        expected = 100 * statistics.correlation(scores, rest)
        assert by_key[key].discrimination == pytest.approx(expected)
    assert by_key["flow"].discrimination == pytest.approx(100 * 3**0.5 / 4)  # by hand: r = √3 / 4
    # Nobody or everybody right: the score never varies, so nothing to correlate.
    assert by_key["hours"].discrimination is None and by_key["greet"].discrimination is None


def test_option_counts(report: QuizStatistics) -> None:
    by_key = {q.key: q for q in report.questions}
    flow = by_key["flow"].options
    assert [(o.text, o.count, o.right) for o in flow] == [
        ("Alipay", 4, True),
        ("Store", 1, False),
        ("Courier", 1, False),
    ]
    assert [(o.count, o.right) for o in by_key["extras"].options] == [(4, True), (3, True), (1, False)]
    assert [o.count for o in by_key["greet"].options] == [6, 0]
    assert by_key["hours"].options == []


def test_flags_need_five_attempts(db: Session) -> None:
    quiz = make_quiz(db)
    for answers in ANSWERS[:4]:
        take(db, quiz, *answers)
    report = quiz_statistics(db, quiz)
    hours = next(q for q in report.questions if q.key == "hours")
    assert hours.facility == 0 and not hours.nobody_right
    assert report.median == pytest.approx((37.5 + 50) / 2)


def test_a_quiz_without_graded_attempts(db: Session) -> None:
    quiz = make_quiz(db)
    report = quiz_statistics(db, quiz)
    assert (report.attempts, report.mean, report.median, report.pass_rate) == (0, None, None, None)
    assert report.histogram == [0] * 10
    assert [(q.key, q.attempts, q.facility) for q in report.questions] == [
        ("flow", 0, None),
        ("extras", 0, None),
        ("hours", 0, None),
        ("greet", 0, None),
    ]


def test_an_odd_count_takes_the_middle_percent(db: Session) -> None:
    quiz = make_quiz(db)
    for answers in ANSWERS[:3]:  # 75, 37.5, 50
        take(db, quiz, *answers)
    assert quiz_statistics(db, quiz).median == 50


def test_the_index_counts_graded_attempts_per_quiz(db: Session, report: QuizStatistics) -> None:
    make_quiz(db, SPECS[:1], slug="untouched")
    rows = {r.slug: r for r in quizzes_with_attempts(db)}
    assert (rows[SLUG].attempts, rows["other-quiz"].attempts, rows["untouched"].attempts) == (6, 1, 0)
    assert rows[SLUG].mean == pytest.approx(325 / 6) and rows["untouched"].mean is None


def test_the_report_costs_a_fixed_number_of_queries(db: Session, count_queries, report) -> None:
    quiz = db.scalars(select(Quiz).where(Quiz.slug == SLUG)).one()
    with count_queries() as few:
        quiz_statistics(db, quiz)
    for answers in ANSWERS * 2:
        take(db, quiz, *answers)
    with count_queries() as more:
        quiz_statistics(db, quiz)
    with count_queries() as again:
        quiz_statistics(db, quiz)
    # Nothing graded since: the questions, the blocks' fingerprints, the saved sums, the median.
    # Graded since: the moved blocks' three sums, and saving them in one savepoint.
    assert few.count == again.count == 4 and more.count <= 10
