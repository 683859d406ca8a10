"""Validity and recertification with a frozen clock: valid → expiring (reminders once each) →
renewed before the end (the old one valid meanwhile), and in a second case → expired."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain import events
from lms.domain.certification.recertification import history_of
from lms.domain.certification.validity import (
    EXPIRED,
    EXPIRING,
    VALID,
    Validity,
    is_certified_live,
    status_of,
)
from lms.domain.curriculum.sync import sync_content
from lms.domain.learning.attempts import quiz_status
from lms.jobs import run_jobs
from lms.models import Assignment, Attempt, Certificate, CertificateHistory, Notification, Quiz, User
from lms.models.learning import GRADED
from tests.factories import UserFactory

T0 = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


@pytest.fixture
def synced(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()


def _certified(db: Session) -> tuple[User, Certificate]:
    user = UserFactory()
    db.flush()
    cert = Certificate(
        user_id=user.id, kind="go-live", code=secrets.token_urlsafe(12), issued_at=T0, evidence={}
    )
    db.add(cert)
    db.commit()
    return user, cert


def _jobs(app: Flask, db: Session, now: dt.datetime) -> None:
    run_jobs(db, app.config["LMS"], now)
    db.commit()


def _expiry_notices(db: Session, user: User) -> list[str]:
    return sorted(
        db.scalars(
            select(Notification.kind).where(Notification.user_id == user.id, Notification.kind.like("cert_%"))
        )
    )


def _attempt(db: Session, user: User, quiz: Quiz, number: int, at: dt.datetime, passed: bool) -> Attempt:
    attempt = Attempt(
        user_id=user.id,
        quiz_id=quiz.id,
        number=number,
        status=GRADED,
        started_at=at,
        submitted_at=at + dt.timedelta(minutes=20),
        graded_at=at + dt.timedelta(minutes=20),
        score=9 if passed else 3,
        max_score=10,
        percent=90 if passed else 30,
        passed=passed,
    )
    db.add(attempt)
    db.flush()
    return attempt


def test_the_status_follows_the_period_and_the_window() -> None:
    rules = Validity(valid_days=365, expiring_days=30)
    cert = Certificate(issued_at=T0, revoked_at=None, lapses_at=None)
    assert rules.status(cert, day(300)) == VALID
    assert rules.status(cert, day(335)) == EXPIRING
    assert rules.status(cert, day(365)) == EXPIRED
    assert Validity().status(cert, day(5000)) == VALID  # no period: never expires
    cert.lapses_at = day(10)
    assert rules.status(cert, day(9)) == EXPIRING and rules.status(cert, day(10)) == EXPIRED
    cert.revoked_at = day(1)
    assert rules.status(cert, day(2)) == "revoked"


def test_valid_then_expiring_with_reminders_once_then_renewed_before_the_end(
    app: Flask, db: Session, synced: None
) -> None:
    user, cert = _certified(db)
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "go-live-final-exam")).one()
    quiz.max_attempts = 2
    # The first cycle: a failed and a passed attempt, long ago.
    _attempt(db, user, quiz, 1, T0 - dt.timedelta(days=3), passed=False)
    _attempt(db, user, quiz, 2, T0 - dt.timedelta(days=2), passed=True)
    db.commit()

    _jobs(app, db, day(300))
    assert status_of(db, cert, day(300)).state == VALID
    assert _expiry_notices(db, user) == [] and db.scalar(select(func.count()).select_from(Assignment)) == 0

    _jobs(app, db, day(336))  # 29 days left
    _jobs(app, db, day(336.1))  # again: nothing new
    assert status_of(db, cert, day(336)).state == EXPIRING
    assert _expiry_notices(db, user) == ["cert_expiry_30"]
    recert = db.scalars(select(Assignment)).one()
    assert (recert.trigger, recert.quiz_id, recert.source) == ("recert", quiz.id, "trainer")
    assert recert.reason and recert.evidence and recert.evidence["certificate"] == cert.code

    # The recertification starts fresh: two attempts again, no grade carried over.
    status = quiz_status(db, user, quiz, day(337))
    assert status.attempts == [] and status.attempts_left == 2 and status.grade_percent is None
    assert status.can_start

    _jobs(app, db, day(359))  # 6 days left
    _jobs(app, db, day(359.5))
    assert _expiry_notices(db, user) == ["cert_expiry_30", "cert_expiry_7"]
    assert is_certified_live(db, user, day(359))  # the old certificate is still valid meanwhile

    old_code = cert.code
    failed = _attempt(db, user, quiz, 3, day(360), passed=False)
    events.publish(events.attempt_graded, db, attempt=failed, now=day(360))
    db.commit()
    assert db.get(Certificate, cert.id).cycle == 1  # a failure renews nothing
    passed = _attempt(db, user, quiz, 4, day(361), passed=True)
    from lms.domain.assignments.assigning import close_for_attempt

    close_for_attempt(db, passed, day(361))
    events.publish(events.attempt_graded, db, attempt=passed, now=day(361))
    db.commit()
    db.refresh(cert)
    assert cert.cycle == 2 and cert.code != old_code and cert.issued_at == day(361)
    assert cert.live_since == T0 and cert.content_version and cert.content_version["courses"]
    assert status_of(db, cert, day(366)).state == VALID  # past the old end: renewed
    assert [h.code for h in history_of(db, cert)] == [old_code]
    assert db.get(Assignment, recert.id).closed_how == "completed"
    assert "cert_renewed" in _expiry_notices(db, user)
    # Passing it again renews nothing more.
    events.publish(events.attempt_graded, db, attempt=passed, now=day(362))
    db.commit()
    assert db.get(Certificate, cert.id).cycle == 2
    assert db.scalar(select(func.count()).select_from(CertificateHistory)) == 1


def test_without_recertification_the_certificate_expires(app: Flask, db: Session, synced: None) -> None:
    user, cert = _certified(db)
    for n in (336, 359, 364.5):
        _jobs(app, db, day(n))
    assert _expiry_notices(db, user) == ["cert_expiry_1", "cert_expiry_30", "cert_expiry_7"]
    assert is_certified_live(db, user, day(364.9))
    assert status_of(db, cert, day(365)).state == EXPIRED
    assert not is_certified_live(db, user, day(365))


def test_a_certificate_records_the_content_it_was_earned_on(db: Session, synced: None) -> None:
    from lms.domain.certification.content_version import snapshot
    from lms.domain.certification.golive import go_live_rules

    rules = go_live_rules(db)
    assert rules is not None
    snap = snapshot(db, rules)
    assert set(snap["courses"]) == set(rules.course_slugs)
    assert snap["lessons"] and snap["questions"] and snap["faq"] and snap["rulebook"]["version"] == 1


def test_parallel_job_runs_assign_and_remind_once(app: Flask, db: Session, synced: None) -> None:
    from tests.concurrency import run_in_parallel

    user, _cert = _certified(db)
    errors = run_in_parallel(app, 4, lambda s: run_jobs(s, app.config["LMS"], day(336)))
    assert errors == []
    assert db.scalar(select(func.count()).select_from(Assignment).where(Assignment.trigger == "recert")) == 1
    assert _expiry_notices(db, user) == ["cert_expiry_30"]


def test_expiry_reminders_are_emailed_when_mail_is_configured(db: Session, synced: None) -> None:
    from lms.domain.certification.validity import expiry_reminders

    user, _cert = _certified(db)
    user.email = "agent@example.com"
    db.commit()
    assert expiry_reminders(db, day(358), mail_enabled=True) == 1
    assert expiry_reminders(db, day(358), mail_enabled=True) == 0
    db.commit()
    notice = db.scalars(select(Notification).where(Notification.user_id == user.id)).one()
    assert (notice.kind, notice.email_status) == ("cert_expiry_7", "pending")  # a late run sends the nearest


def test_the_live_audience_leaves_out_expired_certificates(db: Session, synced: None) -> None:
    from lms.domain.assignments.assigning import audience_ids

    fresh = UserFactory()
    old = UserFactory()
    db.flush()
    now = dt.datetime.now(dt.UTC)
    for user, days in ((fresh, 10), (old, 400)):
        db.add(Certificate(user_id=user.id, kind="go-live", code=secrets.token_urlsafe(12), issued_at=now - dt.timedelta(days=days), evidence={}))
    db.commit()
    assert audience_ids(db, "live", None) == [fresh.id]
