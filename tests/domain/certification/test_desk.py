"""The trainer's desk from certification: the bulk go-live rule agrees with the per-learner one,
"ready for sign-off" follows it, "behind" is the matrix's rule, expiry waits for validity periods."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.certification import golive
from lms.domain.certification.cohort_matrix import cohort_matrix
from lms.domain.certification.desk import (
    EXPIRY_WINDOW_DAYS,
    behind_schedule,
    expiring_certificates,
    ready_for_signoff,
    validity_days,
)
from lms.domain.curriculum.programme import Schedule, load_schedule
from lms.models import Attempt, Certificate, Lesson, LessonCompletion, Programme, Quiz, User
from lms.models.certification import GO_LIVE
from tests.domain.certification.test_golive import NOW, _complete_everything, programme  # noqa: F401
from tests.factories import CohortFactory, UserFactory


def _attempt(db: Session, user: User, slug: str, *, passed: bool, number: int = 1) -> None:
    quiz = db.scalars(select(Quiz).where(Quiz.slug == slug)).one()
    db.add(
        Attempt(
            user_id=user.id,
            quiz_id=quiz.id,
            number=number,
            status="graded",
            started_at=NOW,
            submitted_at=NOW,
            graded_at=NOW,
            passed=passed,
            percent=100.0 if passed else 20.0,
        )
    )


def test_the_bulk_rule_is_the_per_learner_rule(db: Session, programme: Schedule) -> None:  # noqa: F811
    cohort = CohortFactory()
    db.flush()
    nothing, done, signed, half = (UserFactory(cohort_id=cohort.id) for _ in range(4))
    db.commit()
    _complete_everything(db, done, signoff=False)
    _complete_everything(db, signed, signoff=True)
    _attempt(db, half, "warehouse-week-exam", passed=False)
    _attempt(db, half, "platform-rules-exam", passed=True)
    for lesson in db.scalars(select(Lesson).where(Lesson.active.is_(True)).limit(7)):
        db.add(LessonCompletion(user_id=half.id, lesson_id=lesson.id, course_version="1.0"))
    db.commit()
    rules = golive.go_live_rules(db)
    assert rules is not None
    bulk = golive.requirements_of(db, rules, select(User.id).where(User.cohort_id == cohort.id))
    assert set(bulk) == {nothing.id, done.id, signed.id, half.id}
    for user in (nothing, done, signed, half):
        single = golive.go_live_requirements(db, user)
        assert [(r.key, r.met, r.detail, r.params) for r in bulk[user.id]] == [
            (r.key, r.met, r.detail, r.params) for r in single
        ]
    assert [golive.only_signoff_missing(bulk[u.id]) for u in (nothing, done, signed, half)] == [
        False,
        True,
        False,
        False,
    ]
    details = {r.key: r.detail for r in bulk[half.id]}
    assert details["warehouse-week-exam"] == "not passed yet" and details["platform-rules-exam"] == "passed"


def test_ready_for_signoff_lists_only_what_the_sign_off_would_complete(
    db: Session,
    programme: Schedule,  # noqa: F811
) -> None:
    mine, other = (
        CohortFactory(start_date=dt.date(2026, 10, 1)),
        CohortFactory(start_date=dt.date(2026, 11, 2)),
    )
    elsewhere = CohortFactory()
    db.flush()
    ready_b = UserFactory(cohort_id=mine.id, display_name="B ready")
    ready_a = UserFactory(cohort_id=mine.id, display_name="A ready")
    ready_later = UserFactory(cohort_id=other.id, display_name="C ready, later cohort")
    signed = UserFactory(cohort_id=mine.id)
    missing_one = UserFactory(cohort_id=mine.id)
    gone = UserFactory(cohort_id=mine.id, active=False)
    not_mine = UserFactory(cohort_id=elsewhere.id)
    db.commit()
    for user in (ready_b, ready_a, ready_later, missing_one, gone, not_mine):
        _complete_everything(db, user, signoff=False)
    _complete_everything(db, signed, signoff=True)
    db.execute(
        Attempt.__table__.delete().where(
            Attempt.user_id == missing_one.id,
            Attempt.quiz_id == db.scalar(select(Quiz.id).where(Quiz.slug == "go-live-final-exam")),
        )
    )
    db.commit()
    rules = golive.go_live_rules(db)
    found = ready_for_signoff(db, rules, [mine.id, other.id], limit=2)
    assert found is not None and found.count == 3 and found.more == 1
    assert [u.display_name for u in found.first] == ["A ready", "B ready"]  # oldest cohort first, then name
    everyone = ready_for_signoff(db, rules, [mine.id, other.id])
    assert everyone is not None and [u.id for u in everyone.first] == [ready_a.id, ready_b.id, ready_later.id]
    # A programme without a sign-off requirement has nobody waiting for one.
    row = db.scalars(select(Programme)).one()
    row.spec = {**row.spec, "go_live": {**row.spec["go_live"], "trainer_signoff": False}}
    db.commit()
    assert ready_for_signoff(db, golive.go_live_rules(db), [mine.id]) is None
    assert ready_for_signoff(db, None, [mine.id]) is None


def test_behind_is_the_cohort_matrix_rule_for_every_cohort_at_once(
    db: Session,
    programme: Schedule,  # noqa: F811
) -> None:
    today = dt.date(2026, 11, 24)
    late, early = CohortFactory(start_date=dt.date(2026, 10, 1)), CohortFactory(start_date=today)
    db.flush()
    users = [UserFactory(cohort_id=late.id) for _ in range(3)] + [UserFactory(cohort_id=early.id)]
    db.commit()
    _complete_everything(db, users[0], signoff=True)  # live: never "behind"
    _complete_everything(db, users[1], signoff=False)  # done, waiting for the sign-off: not behind
    schedule = load_schedule(db)
    rules = golive.go_live_rules(db, schedule)
    behind = behind_schedule(db, schedule, rules, [late, early], today)
    from_matrix = {
        row.user.id
        for cohort in (late, early)
        for row in cohort_matrix(db, cohort, schedule, today).rows
        if row.behind and not row.live
    }
    assert {r.user.id for g in behind.cohorts for r in g.rows} == from_matrix == {users[2].id}
    assert behind.count == 1 and behind.cohorts[0].cohort.id == late.id and behind.cohorts[0].day > 15
    assert behind_schedule(db, None, None, [late], today).count == 0


def test_expiring_certificates_wait_for_validity_periods(
    db: Session,
    programme: Schedule,  # noqa: F811
) -> None:
    cohort = CohortFactory()
    db.flush()
    soon, fresh, expired, revoked, lapsed, long_gone = (UserFactory(cohort_id=cohort.id) for _ in range(6))
    db.flush()
    issued = {soon: 350, fresh: 10, expired: 400, revoked: 350, lapsed: 100, long_gone: 500}
    for user, days_ago in issued.items():
        db.add(
            Certificate(
                user_id=user.id,
                kind=GO_LIVE,
                code=f"c{user.id}",
                issued_at=NOW - dt.timedelta(days=days_ago),
                revoked_at=NOW if user is revoked else None,
                # a "what changed" refresher missed: the certificate ended two days ago
                lapses_at=NOW - dt.timedelta(days=2) if user is lapsed else None,
            )
        )
    row = db.scalars(select(Programme)).one()
    without = {k: v for k, v in row.spec["go_live"].items() if k != "valid_days"}
    row.spec = {**row.spec, "go_live": without}
    db.commit()
    assert expiring_certificates(db, load_schedule(db), [cohort.id], NOW) is None  # no validity period
    row.spec = {**row.spec, "go_live": {**without, "valid_days": 365}}
    db.commit()
    found = expiring_certificates(db, load_schedule(db), [cohort.id], NOW)
    assert found is not None and found.valid_days == 365 and found.soon.count == 1
    cert = found.soon.first[0]
    assert cert.user_id == soon.id and found.ends(cert) == NOW + dt.timedelta(days=15)
    assert EXPIRY_WINDOW_DAYS > 15
    # Ended and never revoked, the longest ended first: by age or by a missed refresher. A revoked
    # certificate is not "expired", and a valid one is in neither list.
    assert found.ended.count == 3
    assert [c.user_id for c in found.ended.first] == [long_gone.id, expired.id, lapsed.id]
    assert [found.ends(c) for c in found.ended.first] == [
        NOW - dt.timedelta(days=135),
        NOW - dt.timedelta(days=35),
        NOW - dt.timedelta(days=2),
    ]
    assert found.ended.count == len(found.ended.first)  # fits the shortlist
    assert [validity_days(v) for v in ({}, {"valid_days": 0}, {"valid_days": True}, {"valid_days": 30})] == [
        None,
        None,
        None,
        30,
    ]
