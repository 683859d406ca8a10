"""Expiring and expired certificates on every page that shows one; why each automatic assignment exists."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.db import utcnow
from lms.domain.accounts.tokens import create_token
from lms.domain.assignments.automatic import assign_once
from lms.domain.curriculum.sync import sync_content
from lms.jobs import run_jobs
from lms.models import Assignment, Course, GoLiveSignoff, Notification, User
from tests.factories import CohortFactory, UserFactory, certified_agent


@pytest.fixture
def loaded(db: Session) -> None:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    db.commit()


def test_an_expired_certificate_is_not_live_anywhere(
    app: Flask, client: FlaskClient, db: Session, loaded, login_as
) -> None:
    cohort = CohortFactory()
    db.flush()
    expired, old = certified_agent(db, 366, cohort_id=cohort.id)
    expiring, soon = certified_agent(db, 350, cohort_id=cohort.id)
    seat_bot = UserFactory(roles=["admin"])
    db.flush()
    _t, token = create_token(db, seat_bot, "seat allocation", "staff")
    db.commit()
    api = app.test_client()

    def status(user: User) -> dict[str, object]:
        return api.get(f"/api/v1/users/{user.id}/status", headers={"Authorization": f"Bearer {token}"}).json

    gone = status(expired)
    assert (
        gone["certified_live"] is False and gone["certificate_status"] == "expired" and gone["tier"] is None
    )
    near = status(expiring)
    assert near["certified_live"] is True and near["certificate_status"] == "expiring"
    assert str(near["certificate_expires_at"]).startswith(
        (soon.issued_at + dt.timedelta(days=365)).date().isoformat()
    )
    assert "Expired certificate" in api.get(f"/verify/{old.code}").get_data(as_text=True)
    verify = api.get(f"/verify/{soon.code}").get_data(as_text=True)
    assert "Valid certificate" in verify and "expiring" in verify and "Valid until" in verify
    login_as("trainer")
    matrix = client.get(f"/author/cohorts/{cohort.id}").get_data(as_text=True)
    assert "cert-expired" in matrix and "cert-expiring" in matrix
    # The learner's Today page and certificate page.
    learner = app.test_client()
    learner.post("/login", data={"username": expiring.username, "password": "correct-horse-battery"})
    today = learner.get("/learn/").get_data(as_text=True)
    assert "Your go-live certificate expires on" in today
    assert "valid until" in learner.get(f"/certificates/{soon.code}").get_data(as_text=True)


def test_a_certificate_holder_without_a_sign_off_is_offered_none(
    client: FlaskClient, db: Session, loaded, login_as
) -> None:
    """A certificate issued while the programme asked for no sign-off (here: expired) leaves nothing to
    sign off: the learner page offers no form, and a sign-off posted anyway is refused and stores
    nothing."""
    expired, _old = certified_agent(db, 366, display_name="<b>周敏</b> Zhou Min")
    login_as("trainer")
    page = client.get(f"/author/cohorts/learners/{expired.id}").get_data(as_text=True)
    assert "cert-expired" in page
    assert f"/author/cohorts/learners/{expired.id}/signoff" not in page and "Sign off for go-live" not in page
    answer = client.post(
        f"/author/cohorts/learners/{expired.id}/signoff", data={"comment": "ok"}, follow_redirects=True
    )
    refusal = answer.get_data(as_text=True)
    assert "&lt;b&gt;周敏&lt;/b&gt; Zhou Min already holds a go-live certificate" in refusal
    assert "<b>周敏" not in refusal  # the name is shown as text
    assert db.scalars(select(GoLiveSignoff).where(GoLiveSignoff.user_id == expired.id)).first() is None


def test_an_expired_certificate_says_when_it_ended_not_valid_until(
    app: Flask, client: FlaskClient, db: Session, loaded, login_as
) -> None:
    """A list line of an expired certificate gives the day it ended; only a live one says "valid
    until"; a revoked one gives neither."""
    expired, old = certified_agent(db, 366)
    live, cert = certified_agent(db, 10)
    revoked, gone = certified_agent(db, 10)
    gone.revoked_at, gone.revoke_reason = gone.issued_at + dt.timedelta(days=1), "shared the account"
    db.commit()
    ended = format_date((old.issued_at + dt.timedelta(days=365)).date(), locale="en")
    until = format_date((cert.issued_at + dt.timedelta(days=365)).date(), locale="en")

    login_as("trainer")
    staff = client.get(f"/author/cohorts/learners/{expired.id}").get_data(as_text=True)
    assert f"ended {ended}" in staff and "valid until" not in staff
    assert f"valid until {until}" in client.get(f"/author/cohorts/learners/{live.id}").get_data(as_text=True)
    assert "valid until" not in client.get(f"/author/cohorts/learners/{revoked.id}").get_data(as_text=True)

    agent = app.test_client()
    agent.post("/login", data={"username": expired.username, "password": "correct-horse-battery"})
    mine = agent.get("/learn/certificates").get_data(as_text=True)
    assert f"ended {ended}" in mine and "valid until" not in mine


def test_staff_pages_say_why_each_automatic_assignment_exists(
    app: Flask, client: FlaskClient, db: Session, loaded, login_as
) -> None:
    agent, _cert = certified_agent(db, 340)  # 25 days left: recertification and a reminder
    run_jobs(db, app.config["LMS"], utcnow())
    db.commit()
    recert = db.scalars(select(Assignment).where(Assignment.trigger == "recert")).one()
    assert recert.user_id == agent.id
    assert db.scalars(select(Notification.kind).where(Notification.kind == "cert_expiry_30")).one()
    course = db.scalars(select(Course).where(Course.slug == "platform-rules")).one()
    assign_once(
        db,
        "qc:test",
        agent.id,
        trigger="qc_repeat",
        course=course,
        due_on=utcnow().date() + dt.timedelta(days=7),
        reason="QC: 3 failed spot checks on returns",
        now=utcnow(),
        evidence={"topic": "returns", "spot_checks": [1, 2, 3], "dates": ["2026-11-01"]},
    )
    db.commit()
    login_as("trainer", "qc")
    team = client.get("/assignments/?from=auto").get_data(as_text=True)
    assert "Recertification" in team and "the certificate ends" in team
    assert "Repeated QC failures" in team and "3 failed spot checks on “returns”" in team
    qc = client.get("/qc/").get_data(as_text=True)
    assert 'id="escalated"' in qc and "Repeated QC failures" in qc
    # Withdrawable like any other.
    page = client.post(f"/assignments/{recert.id}/cancel", follow_redirects=True)
    assert page.status_code == 200
    db.refresh(recert)
    assert recert.closed_how == "cancelled"


def test_a_refresher_of_rules_only_is_acknowledged_by_the_learner(app: Flask, db: Session, loaded) -> None:
    agent, _cert = certified_agent(db, 20)
    course = db.scalars(select(Course).where(Course.slug == "platform-rules")).one()
    made = assign_once(
        db,
        "changed:test",
        agent.id,
        trigger="changed",
        course=course,
        due_on=utcnow().date() + dt.timedelta(days=14),
        reason="What changed",
        now=utcnow(),
        items={"lessons": [], "questions": [], "rules": ["absolute-unique"], "entries": [], "courses": []},
    )
    db.commit()
    assert made is not None
    learner = app.test_client()
    learner.post("/login", data={"username": agent.username, "password": "correct-horse-battery"})
    page = learner.get("/learn/assignments").get_data(as_text=True)
    assert "Only what changed" in page and "absolute-unique" in page and "I have read the changes" in page
    learner.post(f"/learn/assignments/{made.id}/done")
    db.refresh(made)
    assert made.closed_how == "completed"


def test_the_why_column_and_the_changed_items_cost_no_query_per_row(
    app: Flask, client: FlaskClient, db: Session, loaded, login_as, count_queries
) -> None:
    from lms.models import Lesson

    course = db.scalars(select(Course).where(Course.slug == "platform-rules")).one()
    lessons = db.scalars(select(Lesson.id).where(Lesson.course_id == course.id)).all()

    def add(n: int, start: int) -> User:
        learner = None
        for i in range(start, start + n):
            agent, _cert = certified_agent(db, 20)
            learner = learner or agent
            assign_once(
                db,
                f"changed:many:{i}",
                agent.id,
                trigger="changed",
                course=course,
                due_on=utcnow().date() + dt.timedelta(days=14),
                reason="What changed",
                now=utcnow(),
                items={
                    "lessons": list(lessons[:3]),
                    "questions": [],
                    "rules": ["absolute-unique"],
                    "entries": [],
                    "courses": [],
                },
            )
        db.commit()
        assert learner is not None
        return learner

    add(2, 0)
    login_as("trainer")
    with count_queries() as few:
        assert client.get("/assignments/?from=auto").status_code == 200
    add(20, 100)
    with count_queries() as many:
        page = client.get("/assignments/?from=auto")
    assert page.status_code == 200 and page.get_data(as_text=True).count("badge-auto") == 22
    assert many.count == few.count, many.statements


def test_the_recertification_cycle_on_the_quiz_page_and_earlier_cycles_on_my_certificates(
    app: Flask, db: Session, loaded
) -> None:
    from lms.models import Attempt, CertificateHistory, Quiz
    from lms.models.learning import GRADED

    agent, cert = certified_agent(db, 340)
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "go-live-final-exam")).one()
    earlier = utcnow() - dt.timedelta(days=345)
    db.add(
        Attempt(
            user_id=agent.id,
            quiz_id=quiz.id,
            number=1,
            status=GRADED,
            started_at=earlier,
            submitted_at=earlier,
            score=9,
            max_score=10,
            percent=90,
            passed=True,
        )
    )
    db.add(
        CertificateHistory(
            certificate_id=cert.id,
            user_id=agent.id,
            kind="go-live",
            code="earlier-cycle-code",
            cycle=1,
            issued_at=earlier - dt.timedelta(days=365),
            renewed_at=earlier,
            evidence={},
        )
    )
    db.commit()
    run_jobs(db, app.config["LMS"], utcnow())
    db.commit()
    learner = app.test_client()
    learner.post("/login", data={"username": agent.username, "password": "correct-horse-battery"})
    page = learner.get(f"/learn/quizzes/{quiz.slug}").get_data(as_text=True)
    assert "Recertification: attempts since" in page and "Start attempt 2" in page
    assert "Your attempts" not in page  # the earlier cycle's attempt counts for nothing here
    mine = learner.get("/learn/certificates").get_data(as_text=True)
    assert "Earlier cycles" in mine and "earlier-cycle-code" in mine
