"""Assignments: bulk and once only (even in parallel), audiences, closing themselves on completion."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.domain.assignments import assigning
from lms.domain.errors import DomainError
from lms.domain.learning import attempts as engine
from lms.domain.learning.lessons import course_progress, mark_done
from lms.models import Assignment, AuditEvent, Certificate, Course, Notification, User, UserStore
from tests.concurrency import run_in_parallel
from tests.domain.learning.test_attempts import make_quiz
from tests.factories import CohortFactory, CourseFactory, LessonFactory, StoreFactory, UserFactory


@pytest.fixture
def qc(db: Session) -> User:
    user = UserFactory(roles=("qc",))
    db.commit()
    return user


def _course(db: Session, lessons: int = 2) -> Course:
    course = CourseFactory()
    for n in range(lessons):
        LessonFactory(course=course, slug=f"lesson-{n}", position=n)
    db.commit()
    return course


def _assign(db: Session, actor: User | None, ids, **kw):  # type: ignore[no-untyped-def]
    now = kw.pop("now", utcnow())
    kw.setdefault("due_on", now.date() + dt.timedelta(days=7))
    kw.setdefault("reason", "Spot check: argued with a customer about a late parcel")
    kw.setdefault("source", "qc")
    return assigning.assign(db, actor, ids, now=now, **kw)


def test_bulk_assignment_skips_people_who_have_it_open(db: Session, qc: User) -> None:
    course = _course(db)
    people = [UserFactory() for _ in range(4)]
    db.commit()
    first = _assign(db, qc, [p.id for p in people[:2]], course=course)
    assert (first.count, first.skipped) == (2, 0)
    second = _assign(db, qc, [p.id for p in people], course=course)
    assert (second.count, second.skipped) == (2, 2)
    db.commit()
    assert db.scalar(select(func.count()).select_from(Assignment)) == 4
    assert (
        db.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "assigned")) == 4
    )
    assert (
        db.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "assignment.create")
        )
        == 2
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_on": dt.date(2000, 1, 1)}, "due_on"),
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 501}, "reason"),
    ],
)
def test_bad_input_is_refused_whole(db: Session, qc: User, change, field: str) -> None:
    course = _course(db)
    agent = UserFactory()
    with pytest.raises(DomainError) as err:
        _assign(db, qc, [agent.id], course=course, **change)
    assert err.value.field == field
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Assignment)) == 0


def test_learners_cannot_assign_and_work_is_one_course_or_one_quiz(db: Session) -> None:
    learner = UserFactory()
    course = _course(db)
    with pytest.raises(DomainError, match="Only trainers"):
        _assign(db, learner, [learner.id], course=course)
    with pytest.raises(DomainError, match="one course, quiz or practice chat"):
        _assign(db, UserFactory(roles=("trainer",)), [learner.id])


def test_parallel_bulk_runs_never_duplicate(app: Flask, db: Session, qc: User) -> None:
    course = _course(db)
    ids = [UserFactory().id for _ in range(12)]
    db.commit()
    qc_id, course_id = qc.id, course.id

    def work(session: Session) -> None:
        actor = session.get(User, qc_id)
        _assign(session, actor, ids, course=session.get(Course, course_id))

    errors = run_in_parallel(app, 4, work)
    assert errors == []
    assert db.scalar(select(func.count()).select_from(Assignment)) == 12
    assert db.scalar(select(func.count()).select_from(Notification)) == 12


def test_audiences(db: Session) -> None:
    cohort = CohortFactory()
    store = StoreFactory()
    in_cohort = UserFactory(cohort_id=cohort.id)
    in_store = UserFactory()
    live = UserFactory()
    UserFactory(inactive=True, cohort_id=cohort.id)  # never assigned
    UserFactory(roles=("trainer",), cohort_id=cohort.id)  # not a learner
    db.add(UserStore(user_id=in_store.id, store_id=store.id, is_main=True))
    db.add(Certificate(user_id=live.id, kind="go-live", code="live-1"))
    db.commit()
    assert assigning.audience_ids(db, "cohort", cohort.id) == [in_cohort.id]
    assert assigning.audience_ids(db, "store", store.id) == [in_store.id]
    assert assigning.audience_ids(db, "live", None) == [live.id]
    assert assigning.audience_ids(db, "agent", in_store.id) == [in_store.id]
    with pytest.raises(DomainError):
        assigning.audience_ids(db, "everyone-ever", None)


def test_passing_the_quiz_closes_it_with_the_attempt(db: Session, qc: User) -> None:
    quiz = make_quiz(db)
    agent = UserFactory()
    db.commit()
    _assign(db, qc, [agent.id], quiz=quiz)
    db.commit()
    now = utcnow()
    attempt = engine.start_attempt(db, agent, quiz, now)
    engine.save_response(db, attempt, "state", {"choice": 0}, now)
    engine.save_response(db, attempt, "hours", {"value": 72}, now)
    engine.submit_attempt(db, attempt, now)
    db.commit()
    assignment = db.scalars(select(Assignment)).one()
    if attempt.passed:
        assert assignment.closed_how == "completed" and assignment.closed_by_attempt_id == attempt.id
    else:  # the essay waits for a trainer: closed once graded and passed
        assert assignment.closed_at is None
        essay = next(i for i in attempt.items if i.question_key == "essay")
        engine.grade_manually(db, essay, 2.0, "Good", UserFactory(roles=("trainer",)), utcnow())
        db.commit()
        db.refresh(assignment)
        assert assignment.closed_how == "completed" and assignment.closed_by_attempt_id == attempt.id
    assert assigning.open_count(db, agent.id) == 0


def test_a_refresher_course_asks_for_every_lesson_again(db: Session, qc: User) -> None:
    course = _course(db, lessons=2)
    agent = UserFactory()
    db.commit()
    lessons = [lesson for lesson in course.lessons]
    for lesson in lessons:
        mark_done(db, agent, lesson)
    db.commit()
    assert all(s.done for s in course_progress(db, agent, course).lessons)
    _assign(db, qc, [agent.id], course=course)
    db.commit()
    assert not any(s.done for s in course_progress(db, agent, course).lessons)  # read them again
    mark_done(db, agent, lessons[0])
    db.commit()
    assert assigning.open_count(db, agent.id) == 1
    mark_done(db, agent, lessons[1])
    db.commit()
    assert assigning.open_count(db, agent.id) == 0
    closed = db.scalars(select(Assignment)).one()
    assert closed.closed_how == "completed"


def test_the_kept_open_count_follows_assigning_and_closing_in_the_same_transaction(
    app: Flask, db: Session, qc: User
) -> None:
    """The badge's count is read once per transaction (or comes with the signed-in user's row, as
    here); work given or closed later in that transaction counts at once, not after the commit."""
    first, second = _course(db), CourseFactory(slug="second-course")
    agent = UserFactory()
    db.commit()
    work = app.extensions["lms.db"].session()  # a request's session: one transaction until commit
    try:
        actor = work.get(User, qc.id)
        assigning.remember_open_count(work, agent.id, 0)
        given = _assign(work, actor, [agent.id], course=first)
        assert assigning.open_count(work, agent.id) == 1
        opened = work.get(Assignment, given.created[0])
        _assign(work, actor, [agent.id], course=work.get(Course, second.id))
        assert assigning.open_count(work, agent.id) == 2
        assert assigning.open_count(work, agent.id) == 2  # kept now (the first one flushed the audit row)
        opened.closed_at, opened.closed_how = utcnow(), "completed"  # not flushed yet
        assert assigning.open_count(work, agent.id) == 1
        work.commit()
        assert assigning.open_count(work, agent.id) == 1
    finally:
        work.close()


def test_withdrawing_and_the_team_list(db: Session, qc: User) -> None:
    course = _course(db)
    late, ok = UserFactory(), UserFactory()
    db.commit()
    now = utcnow()
    _assign(
        db,
        qc,
        [late.id],
        course=course,
        now=now - dt.timedelta(days=10),
        due_on=now.date() - dt.timedelta(days=2),
    )
    _assign(db, qc, [ok.id], course=course)
    db.commit()
    overdue = assigning.team_assignments(db, today=now.date(), overdue_only=True)
    assert [a.user_id for a in overdue] == [late.id]
    assigning.cancel(db, qc, overdue[0].id, now)
    db.commit()
    assert assigning.team_assignments(db, today=now.date(), overdue_only=True) == []
    assert len(assigning.team_assignments(db, today=now.date())) == 1
