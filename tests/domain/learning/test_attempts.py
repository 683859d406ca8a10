"""The quiz engine: server-owned clock, limits, idempotent submits, grading methods, races."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from lms.content.specs import QuestionSpec
from lms.domain.authoring.question_import import import_questions
from lms.domain.errors import Conflict, DomainError
from lms.domain.learning import attempts as engine
from lms.models import Attempt, AuditEvent, Quiz, User
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def make_quiz(db: Session, **settings: object) -> Quiz:
    specs = [
        QuestionSpec(
            "state",
            "single",
            "Money after payment?",
            1.0,
            ("order-flow",),
            "Alipay holds it.",
            {
                "choices": [
                    {"text": "Alipay", "weight": 100.0, "feedback": "Right"},
                    {"text": "Store", "weight": 0.0},
                ]
            },
        ),
        QuestionSpec(
            "hours",
            "numeric",
            "Dispute window in hours?",
            1.0,
            ("disputes",),
            "",
            {"answers": [{"value": 72, "tolerance": 0, "weight": 100.0}]},
        ),
        QuestionSpec("essay", "essay", "Explain patina.", 2.0, ("care",), "", {"rubric": "Mentions ageing"}),
    ]
    import_questions(db, "engine-test", specs)
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "engine-test")).one()
    quiz.published = True
    quiz.pass_percent = 50
    for key, value in settings.items():
        setattr(quiz, key, value)
    db.commit()
    return quiz


def test_start_save_submit_and_grade(db: Session) -> None:
    user = UserFactory()
    quiz = make_quiz(db, time_limit_minutes=10)
    attempt = engine.start_attempt(db, user, quiz, T0, seed=1)
    db.commit()
    assert attempt.deadline == T0 + dt.timedelta(minutes=10)
    assert [i.question_key for i in attempt.items] == ["state", "hours", "essay"]
    engine.save_response(db, attempt, "state", {"choice": 0}, T0 + dt.timedelta(minutes=1))
    engine.save_response(db, attempt, "hours", {"value": 48}, T0 + dt.timedelta(minutes=2))
    engine.save_response(
        db, attempt, "essay", {"text": "Leather darkens with use."}, T0 + dt.timedelta(minutes=3)
    )
    engine.submit_attempt(db, attempt, T0 + dt.timedelta(minutes=4))
    db.commit()
    assert (attempt.score, attempt.max_score) == (1.0, 4.0)
    assert attempt.status == "submitted" and attempt.passed is None  # the essay waits for a trainer
    essay = next(i for i in attempt.items if i.question_key == "essay")
    trainer = UserFactory(roles=["trainer"])
    engine.grade_manually(db, essay, 2, "Good", trainer, T0 + dt.timedelta(hours=1))
    db.commit()
    assert attempt.status == "graded" and attempt.percent == 75.0 and attempt.passed is True
    actions = db.scalars(select(AuditEvent.action)).all()
    assert {"attempt.start", "attempt.grade", "attempt.grade_manual"} <= set(actions)


def test_a_submit_writes_every_grading_in_one_update_as_loaded(db: Session, count_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    quiz = make_quiz(db)
    attempt = engine.start_attempt(db, user, quiz, T0, seed=1)
    engine.save_response(db, attempt, "state", {"choice": 0}, T0 + dt.timedelta(minutes=1))
    engine.save_response(db, attempt, "essay", {"text": "It darkens."}, T0 + dt.timedelta(minutes=2))
    db.commit()
    with count_queries() as counter:
        engine.submit_attempt(db, attempt, T0 + dt.timedelta(minutes=3))
        db.flush()
    item_updates = [s for s in counter.statements if s.startswith("UPDATE attempt_items")]
    assert len(item_updates) == 1, item_updates  # one executemany for the three items
    # The attempt's row is written once (submitted at and the grade together, not the time first
    # because the rule book's read flushed it), and its status read again once: on PostgreSQL by the
    # statement that takes the attempt's lock.
    attempt_updates = [s for s in counter.statements if s.startswith("UPDATE attempts")]
    assert len(attempt_updates) == 1 and "submitted_at" in attempt_updates[0], attempt_updates
    status_reads = [s for s in counter.statements if s.startswith("SELECT attempts.status")]
    assert len(status_reads) == 1, status_reads
    assert ("FOR UPDATE" in status_reads[0]) == (db.get_bind().dialect.name == "postgresql")
    db.commit()
    loaded = {i.question_key: (i.score, i.max_score, i.feedback, i.needs_review) for i in attempt.items}
    db.expire_all()
    stored = {
        i.question_key: (i.score, i.max_score, i.feedback, i.needs_review)
        for i in db.get(Attempt, attempt.id).items  # type: ignore[union-attr]
    }
    assert loaded == stored
    assert stored["state"] == (1.0, 1.0, ["Right"], False)  # right, with the choice's feedback
    assert stored["hours"] == (0.0, 1.0, [], False)  # not answered: nothing to review
    assert stored["essay"][3] is True  # waits for a trainer
    assert db.get(Attempt, attempt.id).status == "submitted"  # type: ignore[union-attr]


def test_a_start_writes_its_items_in_one_statement_and_reads_nothing_back(db: Session, count_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    quiz = make_quiz(db)
    db.commit()
    with count_queries() as counter:
        attempt = engine.start_attempt(db, user, quiz, T0, seed=1)
    touching_items = [s for s in counter.statements if "attempt_items" in s]
    assert len(touching_items) == 1 and touching_items[0].startswith("INSERT"), touching_items
    assert "RETURNING" in touching_items[0]
    with count_queries() as after:
        shown = [(i.position, i.question_key, i.version.type, i.max_score) for i in attempt.items]
    assert after.count == 0, after.statements  # the versions were read with the quiz
    assert shown == [(0, "state", "single", 1.0), (1, "hours", "numeric", 1.0), (2, "essay", "essay", 2.0)]
    db.commit()
    db.expire_all()
    stored = db.get(Attempt, attempt.id)
    assert stored is not None
    assert [(i.id, i.position, i.display) for i in stored.items] == [
        (i.id, i.position, i.display) for i in attempt.items
    ]


def test_answers_after_the_deadline_are_refused_and_the_attempt_closes(db: Session) -> None:
    user = UserFactory()
    quiz = make_quiz(db, time_limit_minutes=5)
    attempt = engine.start_attempt(db, user, quiz, T0)
    engine.save_response(
        db, attempt, "state", {"choice": 0}, T0 + dt.timedelta(minutes=5, seconds=3)
    )  # grace
    db.commit()
    with pytest.raises(Conflict, match="Time is up"):
        engine.save_response(db, attempt, "hours", {"value": 72}, T0 + dt.timedelta(minutes=6))
    db.commit()
    assert attempt.status != "in_progress" and attempt.score == 1.0
    assert attempt.submitted_at == T0 + dt.timedelta(minutes=5) + engine.GRACE


def test_saving_into_a_submitted_attempt_is_refused(db: Session) -> None:
    user = UserFactory()
    quiz = make_quiz(db)
    attempt = engine.start_attempt(db, user, quiz, T0)
    engine.submit_attempt(db, attempt, T0)
    db.commit()
    with pytest.raises(Conflict, match="has been submitted"):
        engine.save_response(db, attempt, "state", {"choice": 0}, T0)


def test_bad_responses_are_refused_naming_the_field(db: Session) -> None:
    user = UserFactory()
    attempt = engine.start_attempt(db, user, make_quiz(db), T0)
    with pytest.raises(engine.ResponseInvalid) as err:
        engine.save_response(db, attempt, "state", {"choice": 9}, T0)
    assert err.value.field == "choice"


def test_cooldown_and_max_attempts_hold(db: Session) -> None:
    user = UserFactory()
    quiz = make_quiz(db, max_attempts=2, cooldown_minutes=30)
    first = engine.start_attempt(db, user, quiz, T0)
    engine.submit_attempt(db, first, T0 + dt.timedelta(minutes=1))
    db.commit()
    with pytest.raises(Conflict, match="another attempt at"):
        engine.start_attempt(db, user, quiz, T0 + dt.timedelta(minutes=10))
    second = engine.start_attempt(db, user, quiz, T0 + dt.timedelta(minutes=31))
    engine.submit_attempt(db, second, T0 + dt.timedelta(minutes=32))
    db.commit()
    with pytest.raises(Conflict, match="used all 2 attempts"):
        engine.start_attempt(db, user, quiz, T0 + dt.timedelta(hours=5))


@pytest.mark.parametrize(
    ("method", "expected"), [("highest", 100.0), ("last", 75.0), ("first", 0.0), ("mean", 58.33)]
)
def test_grading_methods(db: Session, method: str, expected: float) -> None:
    user = UserFactory()
    quiz = make_quiz(db, grading=method)
    # three attempts scoring 0 %, 100 % and 75 % (the essay graded by hand each time)
    for choice, hours, essay_points in ((1, 48, 0), (0, 72, 2), (0, 72, 1)):
        attempt = engine.start_attempt(db, user, quiz, T0)
        engine.save_response(db, attempt, "state", {"choice": choice}, T0)
        engine.save_response(db, attempt, "hours", {"value": hours}, T0)
        engine.submit_attempt(db, attempt, T0)
        essay = next(i for i in attempt.items if i.question_key == "essay")
        engine.grade_manually(db, essay, essay_points, "", user, T0)
        db.commit()
    attempts = engine.user_attempts(db, user, quiz)
    assert [a.percent for a in attempts] == [0.0, 100.0, 75.0]
    assert engine.quiz_grade(quiz, attempts) == expected


def test_resuming_returns_the_attempt_in_progress(db: Session) -> None:
    user = UserFactory()
    quiz = make_quiz(db)
    first = engine.start_attempt(db, user, quiz, T0)
    db.commit()
    assert engine.start_attempt(db, user, quiz, T0).id == first.id


def test_overdue_attempts_are_closed_by_the_job(db: Session) -> None:
    user = UserFactory()
    quiz = make_quiz(db, time_limit_minutes=1)
    engine.start_attempt(db, user, quiz, T0)
    db.commit()
    assert engine.close_overdue_attempts(db, T0 + dt.timedelta(minutes=5)) == 1
    db.commit()
    assert db.scalar(select(func.count()).select_from(Attempt).where(Attempt.status == "in_progress")) == 0


def test_ten_parallel_submits_grade_once(app, db: Session) -> None:
    user = UserFactory()
    quiz = make_quiz(db)
    attempt = engine.start_attempt(db, user, quiz, T0)
    engine.save_response(db, attempt, "state", {"choice": 0}, T0)
    db.commit()
    attempt_id = attempt.id

    def submit(session: Session) -> None:
        engine.submit_attempt(session, session.get(Attempt, attempt_id), T0 + dt.timedelta(minutes=1))

    assert run_in_parallel(app, 10, submit) == []
    db.expire_all()
    grades = db.scalars(select(AuditEvent).where(AuditEvent.action == "attempt.grade")).all()
    assert len(grades) == 1
    assert db.get(Attempt, attempt_id).score == 1.0


def test_parallel_starts_never_exceed_the_limits(app, db: Session) -> None:
    user = UserFactory()
    quiz = make_quiz(db, max_attempts=1)
    user_id, quiz_id = user.id, quiz.id

    def start(session: Session) -> None:
        engine.start_attempt(session, session.get(User, user_id), session.get(Quiz, quiz_id), T0)

    errors = run_in_parallel(app, 8, start)
    assert all(isinstance(e, Conflict) for e in errors), errors
    assert db.scalar(select(func.count()).select_from(Attempt)) == 1


def test_the_quiz_pages_read_carries_this_learners_attempts_oldest_first(db: Session) -> None:
    quiz = make_quiz(db, cooldown_minutes=0)
    agent, other = UserFactory(), UserFactory()
    db.flush()
    first = engine.start_attempt(db, agent, quiz, T0)
    engine.submit_attempt(db, first, T0 + dt.timedelta(minutes=1))
    second = engine.start_attempt(db, agent, quiz, T0 + dt.timedelta(minutes=2))
    engine.start_attempt(db, other, quiz, T0)
    db.commit()
    page = engine.quiz_for_page(db, quiz.slug, agent)
    assert [a.id for a in page.attempts] == [first.id, second.id]  # only theirs, oldest first
    assert page.active == 3  # counted once, not once per attempt
    assert page.attempts == engine.user_attempts(db, agent, quiz)
    given = engine.quiz_status(db, agent, quiz, T0, all_attempts=page.attempts)
    read = engine.quiz_status(db, agent, quiz, T0)
    assert given == read
    assert given.open_attempt is second
    assert engine.quiz_for_page(db, quiz.slug, UserFactory()).attempts == []


def test_the_quiz_pages_read_carries_this_learners_recertification_start(db: Session) -> None:
    from lms.models import Assignment

    quiz = make_quiz(db)
    agent, other = UserFactory(), UserFactory()
    db.flush()
    assigned = T0 - dt.timedelta(days=3)

    def given(user: User, **more: object) -> Assignment:
        return Assignment(
            user_id=user.id, quiz_id=quiz.id, due_on=T0.date(), source="trainer", assigned_at=assigned, **more
        )

    # the agent's open recertification; the other's is closed, or not a recertification: no cycle
    db.add_all([given(agent, trigger="recert"), given(other, trigger="recert", closed_at=T0), given(other)])
    db.commit()
    page = engine.quiz_for_page(db, quiz.slug, agent)
    found, cycle_from = page.quiz, page.cycle_from
    assert (found.id, page.active, page.attempts) == (quiz.id, 3, [])
    assert cycle_from == assigned == engine.recert_cycle_start(db, agent.id, quiz.id)
    assert engine.quiz_for_page(db, quiz.slug, other).cycle_from is None
    assert engine.recert_cycle_start(db, other.id, quiz.id) is None
    # the status counts only the cycle's attempts whether it reads the start itself or is given it
    given = engine.quiz_status(db, agent, quiz, T0, cycle_from=cycle_from)
    read = engine.quiz_status(db, agent, quiz, T0)
    assert given.cycle_from == read.cycle_from == assigned


def finish_one(db: Session, user: User, quiz: Quiz, at: dt.datetime) -> int:
    """One attempt started at `at` and submitted a minute later; its number."""
    attempt = engine.start_attempt(db, user, quiz, at)
    engine.submit_attempt(db, attempt, at + dt.timedelta(minutes=1))
    db.commit()
    return attempt.number


def finish_attempts(db: Session, user: User, quiz: Quiz, count: int) -> None:
    """`count` attempts, started an hour apart from T0, each submitted a minute after its start."""
    for n in range(count):
        finish_one(db, user, quiz, T0 + dt.timedelta(hours=n))


def test_a_recertification_gives_the_learner_fresh_attempts_to_start(db: Session) -> None:
    from lms.models import Assignment

    user = UserFactory()
    quiz = make_quiz(db, max_attempts=2, cooldown_minutes=30)
    finish_attempts(db, user, quiz, 2)
    with pytest.raises(Conflict, match="used all 2 attempts"):
        engine.start_attempt(db, user, quiz, T0 + dt.timedelta(days=1))
    cycle = T0 + dt.timedelta(days=200)
    db.add(
        Assignment(
            user_id=user.id,
            quiz_id=quiz.id,
            due_on=cycle.date(),
            source="trainer",
            assigned_at=cycle,
            trigger="recert",
        )
    )
    db.commit()
    # the cycle's limit and cooldown count only its own attempts; numbers go on from the last one
    assert finish_one(db, user, quiz, cycle + dt.timedelta(minutes=1)) == 3
    with pytest.raises(Conflict, match="another attempt at"):
        engine.start_attempt(db, user, quiz, cycle + dt.timedelta(minutes=10))
    assert finish_one(db, user, quiz, cycle + dt.timedelta(minutes=40)) == 4
    with pytest.raises(Conflict, match="used all 2 attempts"):
        engine.start_attempt(db, user, quiz, cycle + dt.timedelta(hours=5))


def test_starting_reads_none_of_the_earlier_attempts(db: Session, count_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    quiz = make_quiz(db, max_attempts=0, time_limit_minutes=10)
    finish_attempts(db, user, quiz, 30)
    db.expunge_all()
    quiz = db.get(Quiz, quiz.id)  # type: ignore[assignment]
    user = db.get(User, user.id)  # type: ignore[assignment]
    newcomer = UserFactory()
    db.commit()
    later = T0 + dt.timedelta(days=3)
    with count_queries() as first:
        engine.start_attempt(db, newcomer, quiz, later)
    db.commit()
    db.expunge_all()
    quiz = db.get(Quiz, quiz.id)  # type: ignore[assignment]
    user = db.get(User, user.id)  # type: ignore[assignment]
    loaded: list[int] = []

    def note_load(attempt: Attempt, _context: object) -> None:
        loaded.append(attempt.id)

    event.listen(Attempt, "load", note_load)
    try:
        with count_queries() as thirty_first:
            open_one = engine.start_attempt(db, user, quiz, later)
    finally:
        event.remove(Attempt, "load", note_load)
    db.commit()
    assert open_one.number == 31
    assert loaded == [], f"{len(loaded)} earlier attempts were read"
    assert thirty_first.count == first.count, (first.statements, thirty_first.statements)
    # an attempt left open past its time is closed on the next start, and a new one begins
    db.expunge_all()
    quiz = db.get(Quiz, quiz.id)  # type: ignore[assignment]
    user = db.get(User, user.id)  # type: ignore[assignment]
    again = engine.start_attempt(db, user, quiz, later + dt.timedelta(hours=1))
    db.commit()
    assert again.number == 32
    closed = db.get(Attempt, open_one.id)
    assert closed is not None and closed.status == "graded"  # nothing answered: nothing to review
    assert closed.submitted_at == later + dt.timedelta(minutes=10) + engine.GRACE


def test_a_started_attempt_holds_its_items_and_their_versions(db: Session, count_queries) -> None:
    quiz = make_quiz(db, shuffle=True)
    user = UserFactory()
    db.commit()
    with count_queries() as counted:
        attempt = engine.start_attempt(db, user, quiz, T0, seed=3)
    # the summary, the drawable questions, the attempt and its items (each one INSERT … RETURNING,
    # inside a savepoint); the audit row is written with the transaction
    inserts = [s for s in counted.statements if s.lstrip().startswith("INSERT")]
    assert len(inserts) == 2, counted.statements
    with count_queries() as counted:
        shown = [
            (i.position, i.question_key, i.version.type, i.version.text, i.max_score) for i in attempt.items
        ]
        assert attempt.quiz is quiz and attempt.user is user
    assert counted.count == 0  # all in the session already
    assert shown == [
        (0, "state", "single", "Money after payment?", 1.0),
        (1, "hours", "numeric", "Dispute window in hours?", 1.0),
        (2, "essay", "essay", "Explain patina.", 2.0),
    ]
    assert all(
        i.response is None and i.response_version == 0 and i.needs_review is False for i in attempt.items
    )
    db.commit()
    db.expunge_all()
    again = db.get(Attempt, attempt.id)
    assert [(i.position, i.question_key, i.display) for i in again.items] == [
        (i.position, i.question_key, i.display) for i in attempt.items
    ]
    assert again.number == 1 and again.status == "in_progress" and again.seed == 3


def test_a_start_draws_from_tagged_pools_in_pool_order(db: Session) -> None:
    quiz = make_quiz(db, draw=[{"tags": ["care"], "count": 1}, {"tags": ["order-flow"], "count": 1}])
    attempt = engine.start_attempt(db, UserFactory(), quiz, T0, seed=1)
    assert [i.question_key for i in attempt.items] == ["essay", "state"]
    assert [i.position for i in attempt.items] == [0, 1]


def test_the_same_seed_draws_the_same_questions(db: Session) -> None:
    quiz = make_quiz(db, draw=[{"tags": [], "count": 2}])  # any two of the three
    drawn = [
        [i.question_key for i in engine.start_attempt(db, UserFactory(), quiz, T0, seed=seed).items]
        for seed in (5, 5, 6)
    ]
    assert drawn[0] == drawn[1] and len(set(drawn[0])) == 2
    assert set(drawn[0]) <= {"state", "hours", "essay"} and set(drawn[2]) <= {"state", "hours", "essay"}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"draw": [{"tags": ["disputes"], "count": 2}]}, "pools are too small"),
        ({}, "no questions yet"),
    ],
)
def test_a_start_that_cannot_draw_writes_nothing(
    db: Session, settings: dict[str, object], message: str
) -> None:
    quiz = make_quiz(db, **settings)
    if not settings:
        for question in quiz.questions:
            question.active = False
        db.commit()
    user = UserFactory()
    db.commit()
    with pytest.raises(DomainError, match=message):
        engine.start_attempt(db, user, quiz, T0, seed=1)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == user.id)) == 0
