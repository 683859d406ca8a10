"""Today page, cohort matrix and CSV, sign-off and revocation, certificates, verification, the status API."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
import segno
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.db import utcnow
from lms.domain.accounts.tokens import create_token
from lms.domain.certification import golive
from lms.domain.curriculum.calendar_days import working_days_before
from lms.domain.curriculum.programme import load_schedule
from lms.domain.curriculum.sync import sync_content
from lms.models import Certificate, User
from tests.domain.certification.test_golive import _complete_everything
from tests.factories import CohortFactory, StoreFactory, UserFactory, add_store


@pytest.fixture
def loaded(db: Session) -> None:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    db.commit()


def test_today_page_shows_the_day_the_lists_and_the_checklist(
    client: FlaskClient, db: Session, loaded
) -> None:
    schedule = load_schedule(db)
    start = working_days_before(dt.date.today(), 5, schedule.days_off, schedule.holidays)
    trainer = UserFactory(display_name="<b>陈</b>老师")
    cohort = CohortFactory(start_date=start, name="十二月班")
    db.flush()
    newhire = UserFactory(username="newhire", cohort_id=cohort.id)
    db.commit()
    client.post("/login", data={"username": "newhire", "password": "correct-horse-battery"})
    page = client.get("/learn/").get_data(as_text=True)
    assert "No store yet" in page
    assert "You are in the cohort “十二月班”" in page and "Your trainer is" not in page  # none yet
    cohort.trainer_id = trainer.id
    db.commit()
    page = client.get("/learn/").get_data(as_text=True)
    assert "Your trainer is &lt;b&gt;陈&lt;/b&gt;老师." in page  # the name, escaped
    add_store(db, newhire, StoreFactory(name="皮具旗舰店"))
    add_store(db, newhire, StoreFactory(name="<i>箱包</i>专营店"), main=True)
    db.commit()
    page = client.get("/learn/").get_data(as_text=True)
    stores = page[page.index("Your stores") : page.index("</section>", page.index("Your stores"))]
    assert stores.index("皮具旗舰店") < stores.index("&lt;i&gt;箱包&lt;/i&gt;专营店")  # in their order
    assert stores.count("main store") == 1 and '专营店 <span class="badge">main store' in stores
    assert "Day 6 of 15" in page  # five working days done: today is day 6 (weekends and holidays too)
    assert (
        "Left over from earlier days" in page and "Go-live checklist" in page and "Trainer sign-off" in page
    )
    ics = client.get("/learn/programme.ics")
    assert ics.mimetype == "text/calendar"
    text = ics.get_data(as_text=True)
    assert text.count("BEGIN:VEVENT") == 15 and "Onboarding day 15 of 15" in text


def test_a_learner_with_no_start_date_is_not_on_day_1_every_day(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    """No cohort and no hiring date: no day is counted (counting from today made every day day 1,
    with day 1's work due again each morning); the courses are listed and open to read."""
    agent = login_as("learner", hired_on=None, locale="zh_Hans")
    page = client.get("/learn/").get_data(as_text=True)
    assert "您还没有加入批次" in page and "您的培训还没有开始日期" in page
    assert "第1天，共15天" not in page and "今天没有安排。" not in page
    assert "programme.ics" not in page  # no dates to put in a calendar
    assert "现在练习" in page  # the FAQ drill still counts from today, as the drill page does
    assert "/learn/courses/warehouse-week" in page  # the courses, listed
    assert client.get("/learn/courses/warehouse-week").status_code == 200  # and open
    # A live agent with no start date is past onboarding: the courses, without "waiting for a cohort".
    db.add(Certificate(user_id=agent.id, kind="go-live", code="live-agent", issued_at=utcnow(), evidence={}))
    db.commit()
    page = client.get("/learn/").get_data(as_text=True)
    assert "新人入职培训" in page and "下面的课程随时可以回来复习。" in page
    assert "您的培训还没有开始日期" not in page and "/learn/courses/warehouse-week" in page


def test_matrix_csv_and_signoff(client: FlaskClient, login_as, db: Session, loaded) -> None:
    cohort = CohortFactory(start_date=dt.date.today() - dt.timedelta(days=30))
    db.flush()
    evil = UserFactory(display_name='=HYPERLINK("http://evil")', cohort_id=cohort.id)
    ready = UserFactory(display_name="李娜 Li Na", cohort_id=cohort.id)
    tagged = UserFactory(display_name="<b>Zhou</b> & co", cohort_id=cohort.id)
    db.commit()
    _complete_everything(db, ready, signoff=False)
    trainer = login_as("trainer")
    page = client.get(f"/author/cohorts/{cohort.id}?sort=behind").get_data(as_text=True)
    assert "李娜 Li Na" in page and "behind" in page
    # Rows are built as text in Python: names are escaped, each links to its learner, the behind
    # learners are marked and the one who finished everything is not.
    assert "&lt;b&gt;Zhou&lt;/b&gt; &amp; co" in page and "<b>Zhou" not in page
    row_of = {
        name: re.search(
            rf'<tr class="([a-z]*)"><td><a href="/author/cohorts/learners/{uid}">{name}</a>', page
        )
        for name, uid in (("李娜 Li Na", ready.id), ("&lt;b&gt;Zhou&lt;/b&gt; &amp; co", tagged.id))
    }
    assert row_of["李娜 Li Na"] and row_of["李娜 Li Na"].group(1) == ""
    assert row_of["&lt;b&gt;Zhou&lt;/b&gt; &amp; co"].group(1) == "behind"
    behind_only = client.get(f"/author/cohorts/{cohort.id}?show=behind").get_data(as_text=True)
    assert "&lt;b&gt;Zhou" in behind_only and "李娜 Li Na" not in behind_only
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/author/cohorts/{cohort.id}.csv").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    assert rows[0][:2] == ["username", "display_name"]
    assert any(r[1].startswith("'=HYPERLINK") for r in rows[1:])
    detail = client.get(f"/author/cohorts/learners/{ready.id}").get_data(as_text=True)
    assert "waiting for the trainer" in detail
    client.post(f"/author/cohorts/learners/{ready.id}/signoff", data={"comment": "Calm and exact."})
    db.expire_all()
    cert = db.scalars(select(Certificate).where(Certificate.user_id == ready.id)).one()
    assert cert.valid and trainer is not None and evil is not None


def test_certificate_pages_pdf_qr_and_public_verification(
    app: Flask, client: FlaskClient, db: Session, loaded
) -> None:
    user = UserFactory(username="wangfang", display_name="王芳 Wang Fang")
    db.commit()
    _complete_everything(db, user, signoff=True)
    cert = golive.certificate_of(db, user)
    client.post("/login", data={"username": "wangfang", "password": "correct-horse-battery"})
    assert cert.code in client.get("/learn/certificates").get_data(as_text=True)
    page = client.get(f"/certificates/{cert.code}").get_data(as_text=True)
    verify_url = f"http://localhost/verify/{cert.code}"
    assert "王芳 Wang Fang" in page and verify_url in page
    # the QR on the page is exactly the code of the verification URL
    expected_qr = segno.make(verify_url, error="m").svg_data_uri(scale=5, border=2)
    assert html.unescape(re.search(r'<img src="(data:image/svg\+xml[^"]+)"', page).group(1)) == expected_qr
    pdf = client.get(f"/certificates/{cert.code}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    anonymous = app.test_client()
    verified = anonymous.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "Valid certificate" in verified and "王芳 Wang Fang" in verified
    assert "wangfang" not in verified and "@" not in verified  # nothing else personal
    assert anonymous.get("/verify/not-a-real-code").status_code == 404
    other = UserFactory()
    db.commit()
    stranger = app.test_client()
    stranger.post("/login", data={"username": other.username, "password": "correct-horse-battery"})
    assert stranger.get(f"/certificates/{cert.code}").status_code == 404


def test_admin_revokes_and_the_status_api_follows(
    app: Flask, client: FlaskClient, login_as, db: Session, loaded
) -> None:
    agent = UserFactory(username="agent7")
    db.commit()
    _complete_everything(db, agent, signoff=True)
    seat_bot = UserFactory(roles=["admin"])
    learner = UserFactory()
    db.flush()
    _t, staff_token = create_token(db, seat_bot, "seat allocation", "staff")
    _t, learner_token = create_token(db, learner, "phone")
    db.commit()
    api = app.test_client()
    status = api.get(
        f"/api/v1/users/{agent.id}/status", headers={"Authorization": f"Bearer {staff_token}"}
    ).json
    assert status["certified_live"] is True and status["tier"] == "ordinary" and status["live_since"]
    assert (
        api.get(
            f"/api/v1/users/{agent.id}/status", headers={"Authorization": f"Bearer {learner_token}"}
        ).status_code
        == 403
    )
    login_as("admin")
    cert = golive.certificate_of(db, agent)
    client.post(f"/admin/certificates/{cert.id}/revoke", data={"reason": "Argued with a customer"})
    status = api.get(
        f"/api/v1/users/{agent.id}/status", headers={"Authorization": f"Bearer {staff_token}"}
    ).json
    assert status["certified_live"] is False
    assert "Revoked certificate" in app.test_client().get(f"/verify/{cert.code}").get_data(as_text=True)
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {learner_token}"}).json
    assert me["certificates"] == [] and me["tier"] is None


def test_today_and_matrix_query_counts_are_bounded(
    client: FlaskClient, login_as, db: Session, loaded, count_queries
) -> None:
    cohort = CohortFactory(start_date=dt.date.today() - dt.timedelta(days=10))
    db.flush()
    for _ in range(200):
        UserFactory(cohort_id=cohort.id)
    db.commit()
    login_as("trainer")
    with count_queries() as first_matrix:
        assert client.get(f"/author/cohorts/{cohort.id}").status_code == 200
    assert first_matrix.count <= 14, first_matrix.statements
    with count_queries() as matrix:
        assert client.get(f"/author/cohorts/{cohort.id}").status_code == 200
    # warm: the schedule and go-live rules are kept per process (one fingerprint read instead of the
    # programme, the gating quizzes, courses, lesson counts and practice chats)
    assert matrix.count <= 9, matrix.statements
    assert not any(s.startswith("SELECT change_counts") for s in matrix.statements), matrix.statements
    assert not any(s.startswith("SELECT programmes.id") for s in matrix.statements), matrix.statements
    learner = db.scalars(select(User).where(User.cohort_id == cohort.id)).first()
    other = client.application.test_client()
    other.post("/login", data={"username": learner.username, "password": "correct-horse-battery"})
    with count_queries() as first:
        assert other.get("/learn/").status_code == 200
    with count_queries() as today:
        assert other.get("/learn/").status_code == 200
    # the programme's plan and go-live rules are kept by the process: the first view reads them
    assert today.count < first.count <= 22, first.statements
    # constant: the same with 1 or 200 learners; the whole gate (quizzes, courses, practice chats,
    # FAQ drill, typing, the trainer's sign-off) with the learner's progress is one statement, the
    # learner's stores with the drill's reviews (its goal and streak) one more, and the signed-in
    # person's row brings the cohort, the certificate, the tier and the trainer (`reads_with_user`)
    assert today.count <= 3, today.statements
    # the curriculum's change counter (the kept plan's fingerprint) comes with the user's row
    assert not any(s.startswith("SELECT change_counts") for s in today.statements), today.statements
    assert sum("change_counts" in s for s in today.statements) == 1, today.statements
    assert not any(s.startswith("SELECT go_live_signoffs") for s in today.statements), today.statements
    # no open assignments (counted with the user's row): the list is not read
    assert not any(s.startswith("SELECT assignments.") for s in today.statements), today.statements
    # the learner's done lessons and graded attempts are one statement
    assert not any(s.startswith("SELECT lesson_completions") for s in today.statements), today.statements
    # two UNION ALLs: the go-live gate's figures with the lessons done and the graded attempts, and
    # the stores with the drill's reviews
    assert sum(" UNION ALL " in s for s in today.statements) == 2, today.statements
    assert sum("lesson_completions" in s for s in today.statements) == 1, today.statements
    # the nav badge's count comes with the signed-in user's row, not in a statement of its own
    assert not any(s.startswith("SELECT count(*)") for s in today.statements), today.statements
    # facts several areas need are read once: the certificate, the tier; the programme not at all
    # (its schedule, gate and tier ladder are the kept ones)
    assert not any(s.startswith("SELECT programmes.id") for s in today.statements), today.statements
    assert sum("JOIN certificates" in s or "FROM certificates" in s for s in today.statements) == 1, (
        today.statements
    )
    # ...and in the same statement: the certificate with the latest tier award, and the cohort with
    # its trainer (the programme's start date then needs no read of its own)
    assert sum("FROM tier_awards" in s and "JOIN certificates" in s for s in today.statements) == 1, (
        today.statements
    )
    assert [s for s in today.statements if "cohorts" in s] == [
        s for s in today.statements if "JOIN certificates" in s
    ], today.statements
    # ...which is the signed-in person's own statement (with their roles and the plan's counter)
    assert [s for s in today.statements if "JOIN certificates" in s] == [
        s for s in today.statements if "change_counts" in s
    ], today.statements
    # no attempt status is bound: SQLite would prepare the statement again on every execution
    assert not any(re.search(r"status (!?=) (\?|%\()", s) for s in today.statements), today.statements


def test_today_lists_open_assignments_and_reads_them_only_when_there_are_some(
    client: FlaskClient, login_as, db: Session, loaded, count_queries
) -> None:
    from lms.domain.assignments.assigning import assign
    from lms.models import Course

    learner = login_as("learner")
    assert client.get("/learn/").status_code == 200  # the process keeps the plan from here on
    with count_queries() as none_open:
        page = client.get("/learn/")
    assert page.status_code == 200 and 'class="card assignments-panel"' not in page.get_data(as_text=True)
    assert not any(s.startswith("SELECT assignments.") for s in none_open.statements)
    course = db.scalars(select(Course).where(Course.slug == "value-talk")).one()
    now = dt.datetime.now(dt.UTC)
    assign(
        db,
        None,
        [learner.id],
        course=course,
        due_on=now.date() + dt.timedelta(days=3),
        reason="Spot check: promised a refund the rules do not allow",
        source="qc",
        now=now,
    )
    db.commit()
    with count_queries() as one_open:
        html = client.get("/learn/").get_data(as_text=True)
    assert 'class="card assignments-panel"' in html
    assert "Spot check: promised a refund the rules do not allow" in html
    assert sum(s.startswith("SELECT assignments.") for s in one_open.statements) == 1
    # the list, and its courses (selectin; no quiz is assigned, so none is read)
    assert one_open.count == none_open.count + 2, one_open.statements


def test_work_ahead_can_be_switched_off(client: FlaskClient, db: Session, loaded) -> None:
    from lms.models import Programme

    programme = db.scalars(select(Programme)).one()
    programme.spec = {**programme.spec, "allow_work_ahead": False}
    cohort = CohortFactory(start_date=working_days_before(dt.date.today(), 0))
    db.flush()
    UserFactory(username="eager", cohort_id=cohort.id)
    db.commit()
    client.post("/login", data={"username": "eager", "password": "correct-horse-battery"})
    assert client.get("/learn/courses/warehouse-week/lessons/01-why-the-warehouse").status_code == 200
    later = client.get("/learn/courses/value-talk/lessons/01-price-versus-value")
    assert later.status_code == 302
    assert "opens on day 12" in client.get(later.headers["Location"]).get_data(as_text=True)


def test_verification_is_rate_limited(database_url: str, tmp_path, db: Session) -> None:
    from lms import create_app
    from tests.conftest import make_config

    config = make_config(database_url, tmp_path)
    config.extra = {"ratelimit": True}
    app = create_app(config)
    client = app.test_client()
    codes = [client.get("/verify/unknown-code").status_code for _ in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429
    app.extensions["lms.db"].engine.dispose()


def test_the_pdf_link_explains_missing_libraries(
    client: FlaskClient, db: Session, loaded, monkeypatch
) -> None:
    from lms.web.certificates import views

    user = UserFactory(username="nopdf")
    db.commit()
    _complete_everything(db, user, signoff=True)
    cert = golive.certificate_of(db, user)
    client.post("/login", data={"username": "nopdf", "password": "correct-horse-battery"})

    def unavailable(*_args: object) -> bytes:
        raise views.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(views, "certificate_pdf", unavailable)
    response = client.get(f"/certificates/{cert.code}.pdf")
    assert response.status_code == 503
    assert "apt-get install libpango-1.0-0" in response.get_data(as_text=True)
