"""The staff desk: each role's sections, sign-off from the desk, the filtered pages it links to, the
landing page of a learner who is also staff, both languages, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.desk import seed_team
from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.models import Certificate, Cohort, GoLiveSignoff, User
from tests.factories import CohortFactory, UserFactory


@pytest.fixture
def loaded(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()


def _lead(db: Session, login_as, *roles: str) -> User:  # type: ignore[no-untyped-def]
    user = login_as(*roles, display_name="陈老师 Chen Jie")
    return db.get(User, user.id)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_trainer_sees_what_needs_them_and_signs_off_from_the_desk(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    lead = _lead(db, login_as, "trainer")
    seed_team(db, lead, 20, dt.datetime.now(dt.UTC))
    db.commit()
    page = client.get("/staff/").get_data(as_text=True)
    text = _text(page)
    assert 'id="desk-training"' in page and 'id="desk-qc"' not in page and 'id="desk-admin"' not in page
    assert (
        "Your cohorts: desk spring, desk autumn" in text or "Your cohorts: desk autumn, desk spring" in text
    )
    # Learners 0 and 10 met everything but the sign-off.
    ready = re.search(r'id="ready".*?</section>', page, re.S).group(0)
    assert "Learner 00000" in ready and "Learner 00010" in ready and ">2<" in ready
    # Two essays wait (learners 3 and 13), three days or so.
    grading = _text(re.search(r'id="grading".*?</section>', page, re.S).group(0))
    assert "2 Answers to grade" in grading and "The oldest has waited 3 days" in grading
    failed = re.search(r'id="failed".*?</section>', page, re.S).group(0)
    assert "Learner 00002" in failed and "#attempt-" in failed
    behind = _text(re.search(r'id="behind".*?</section>', page, re.S).group(0))
    assert "desk spring" in behind and "behind" in behind
    overdue = _text(re.search(r'id="overdue".*?</section>', page, re.S).group(0))
    assert "Learner 00004" in overdue and "3 days overdue" in overdue
    # The programme gives go-live certificates a year: the expiry section is there (nobody's ends soon).
    expiring = _text(re.search(r'id="expiring".*?</section>', page, re.S).group(0))
    assert "Certificates expiring within 30 days" in expiring

    learner = db.scalars(select(User).where(User.username == "desk0")).one()
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page)
    response = client.post(
        f"/author/cohorts/learners/{learner.id}/signoff",
        data={"back": "desk", "csrf_token": csrf.group(1) if csrf else ""},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    after = client.get("/staff/").get_data(as_text=True)
    assert "Learner 00000 is signed off" in after
    ready = re.search(r'id="ready".*?</section>', after, re.S).group(0)
    assert "Learner 00000" not in ready and "Learner 00010" in ready
    db.expire_all()
    assert db.scalars(select(Certificate).where(Certificate.user_id == learner.id)).one().valid
    assert (
        db.scalars(select(GoLiveSignoff).where(GoLiveSignoff.user_id == learner.id)).one().trainer_id
        == lead.id
    )


def test_qc_and_admin_sections_and_several_roles_see_each(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    lead = _lead(db, login_as, "trainer", "qc", "admin")
    seed_team(db, lead, 20, dt.datetime.now(dt.UTC))
    db.commit()
    page = client.get("/staff/").get_data(as_text=True)
    assert 'id="desk-training"' in page and 'id="desk-qc"' in page and 'id="desk-admin"' in page
    unchecked = _text(re.search(r'id="unchecked".*?</section>', page, re.S).group(0))
    # Learners 1 and 11 are live and never checked; 6 and 16 were checked today.
    assert "2 Live agents not checked for 30 days" in unchecked and "never checked" in unchecked
    assert "Learner 00001" in unchecked and "Learner 00006" not in unchecked
    week = _text(re.search(r'id="week".*?</section>', page, re.S).group(0))
    assert "2 Spot checks this week" in week and "2 of them by you" in week
    assert "value-talk" in re.search(r'id="topics".*?</section>', page, re.S).group(0)
    qc_overdue = _text(re.search(r'id="qc-overdue".*?</section>', page, re.S).group(0))
    assert "Learner 00004" in qc_overdue and "Learner 00005" not in qc_overdue
    kpi = _text(re.search(r'id="kpi".*?</section>', page, re.S).group(0))
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert f"The KPI of {last_month} is not imported yet" in kpi
    no_role = _text(re.search(r'id="no-role".*?</section>', page, re.S).group(0))
    assert "Learner 00007" in no_role and "2 People without a role" in no_role
    no_store = _text(re.search(r'id="no-store".*?</section>', page, re.S).group(0))
    assert "14 Learners and agents without a store" in no_store  # 20, less 2 without a role, less 4 live
    assert "Learner 00019" in no_store and "Learner 00011" not in no_store
    # "not checked for N days" follows the URL
    assert "Live agents not checked for 200 days" in client.get("/staff/?days=200").get_data(as_text=True)
    assert "not checked for 30 days" in client.get("/staff/?days=99999").get_data(as_text=True)


def test_an_empty_desk_says_so_for_every_item(client: FlaskClient, login_as, db: Session, loaded) -> None:
    login_as("trainer", "qc", "admin")
    text = _text(client.get("/staff/").get_data(as_text=True))
    for line in [
        "There are no cohorts yet.",
        "Nobody is waiting for your sign-off.",
        "Nothing to grade.",
        "No exam failed in the last 2 days.",
        "Nobody is behind schedule.",
        "Nothing is overdue.",
        "Every live agent was checked in the last 30 days.",
        "No spot check recorded since Monday.",
        "No failed items this month.",
        "Nothing QC assigned is overdue.",
        "No live agents yet, so there is no KPI month to import.",
        "Every learner and agent has a store.",
    ]:
        assert line in text, line


def test_the_desk_in_chinese(client: FlaskClient, login_as, db: Session, loaded) -> None:
    lead = _lead(db, login_as, "trainer", "qc", "admin")
    lead.locale = "zh_Hans"
    seed_team(db, lead, 20, dt.datetime.now(dt.UTC))
    db.commit()
    page = client.get("/staff/").get_data(as_text=True)
    assert "待签核上岗" in page and "质检" in page and "天" in page
    assert "Ready for sign-off" not in page and "Answers to grade" not in page


def test_a_learner_who_is_also_staff_starts_on_today_and_has_the_desk_second(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    login_as("learner", "trainer")
    assert client.get("/").headers["Location"] == "/learn/"
    page = client.get("/learn/").get_data(as_text=True)
    nav = page.split('class="mainnav"')[1].split("</nav>")[0]
    assert nav.index("My programme") < nav.index("Staff desk")
    assert 'href="/staff/"' in page.split("<main")[1]
    assert client.get("/staff/").status_code == 200
    client.post("/logout")
    UserFactory(username="qconly", roles=["qc"])
    db.commit()
    response = client.post("/login", data={"username": "qconly", "password": "correct-horse-battery"})
    assert response.headers["Location"] == "/staff/"


def test_learners_have_no_desk(client: FlaskClient, login_as, loaded) -> None:
    login_as("learner")
    assert client.get("/staff/").status_code == 403
    assert client.get("/author/cohorts/ready").status_code == 403
    assert client.get("/author/cohorts/failed-exams").status_code == 403


def test_the_full_pages_the_desk_links_to(client: FlaskClient, login_as, db: Session, loaded) -> None:
    lead = _lead(db, login_as, "trainer", "qc", "admin")
    seed_team(db, lead, 20, dt.datetime.now(dt.UTC))
    db.commit()
    spring = db.scalars(select(Cohort).where(Cohort.name == "desk spring")).one()
    behind = _text(client.get(f"/author/cohorts/{spring.id}?show=behind&sort=behind").get_data(as_text=True))
    everyone = _text(client.get(f"/author/cohorts/{spring.id}").get_data(as_text=True))
    assert "Learner 00002" in behind and "Learner 00000" not in behind  # 0 is done, waiting for sign-off
    assert "Learner 00000" in everyone
    ready = _text(client.get("/author/cohorts/ready").get_data(as_text=True))
    assert "Learner 00000" in ready and "Learner 00010" in ready and "Learner 00002" not in ready
    failed = _text(client.get("/author/cohorts/failed-exams").get_data(as_text=True))
    assert "Learner 00002" in failed and "Learner 00012" in failed
    from_qc = _text(client.get("/assignments/?overdue=1&from=qc").get_data(as_text=True))
    assert "Learner 00004" in from_qc and "Learner 00005" not in from_qc
    no_role = _text(client.get("/admin/users?missing=role").get_data(as_text=True))
    assert "Learner 00007" in no_role and "Learner 00000" not in no_role
    no_store = _text(client.get("/admin/users?missing=store").get_data(as_text=True))
    assert "Learner 00000" in no_store and "Learner 00001" not in no_store and "Learner 00007" not in no_store
    unchecked = client.get("/qc/?days=30").get_data(as_text=True)
    assert 'id="not-checked"' in unchecked and "Learner 00001" in unchecked


def test_the_desk_costs_the_same_queries_for_20_and_2000_learners(
    client: FlaskClient, login_as, db: Session, loaded, count_queries
) -> None:
    lead = _lead(db, login_as, "trainer", "qc", "admin")
    now = dt.datetime.now(dt.UTC)
    seed_team(db, lead, 20, now)
    db.commit()
    with count_queries() as first:
        page = client.get("/staff/")
    assert page.status_code == 200
    # The programme's schedule and go-live rules are kept per process after the first view.
    with count_queries() as small:
        page = client.get("/staff/")
    assert page.status_code == 200
    assert small.count < first.count <= 50, first.statements
    seed_team(db, lead, 1980, now, first=20)
    db.commit()
    with count_queries() as large:
        page = client.get("/staff/")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert "200 Ready for sign-off" in text and "200 Answers to grade" in text
    assert large.count == small.count, (small.statements, large.statements)
    assert large.count <= 50, large.statements


def test_a_trainer_who_leads_no_cohort_sees_every_cohort(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    other = UserFactory(roles=["trainer"])
    db.flush()
    seed_team(db, other, 10, dt.datetime.now(dt.UTC))
    CohortFactory(name="Unled cohort")
    db.commit()
    login_as("trainer")
    text = _text(client.get("/staff/").get_data(as_text=True))
    assert "You lead no cohort, so every cohort is shown." in text and "Learner 00000" in text


def test_the_admin_sees_what_the_security_log_refused_lately(
    client: FlaskClient, login_as, db: Session
) -> None:
    from lms.domain.accounts.security_log import Refusal, record

    login_as("admin")
    text = _text(client.get("/staff/").get_data(as_text=True))
    assert "Nothing was refused in the last 24 hours." in text
    now = dt.datetime.now(dt.UTC)
    throttled = Refusal("throttled", None, "wangfang", "203.0.113.9", "POST", "auth.login", "/login")
    for _ in range(12):
        record(db, throttled, now - dt.timedelta(hours=2))
    record(
        db,
        Refusal("csrf", None, "", "198.51.100.4", "POST", "qc.assign", "/qc/x"),
        now - dt.timedelta(hours=5),
    )
    record(
        db,
        Refusal("forbidden", None, "", "192.0.2.1", "GET", "admin.users", "/admin/users"),
        now - dt.timedelta(days=3),
    )
    db.commit()
    page = client.get("/staff/").get_data(as_text=True)
    section = _text(re.search(r'id="security".*?</section>', page, re.S).group(0))
    assert "2 Refused in the last 24 hours" in section  # the line from three days ago is on the log page only
    assert "Throttled: too many attempts (429) 203.0.113.9 · wangfang · 12 times 2 hours ago" in section
    assert section.index("Throttled") < section.index("Form check failed")
    since = (now - dt.timedelta(hours=24)).date().isoformat()
    assert f"/admin/security?since={since}" in page


def test_an_expired_certificate_is_on_the_desk_until_it_is_renewed_or_revoked(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    lead = _lead(db, login_as, "trainer")
    cohort = CohortFactory(name="十一月班", trainer_id=lead.id)
    db.flush()
    gone = UserFactory(display_name="<b>周杰</b>", cohort_id=cohort.id)
    db.flush()
    # The loaded programme gives go-live certificates a year: issued 400 days ago, it ended 35 days ago.
    issued = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    cert = Certificate(user_id=gone.id, kind="go-live", code="cert-gone", issued_at=issued)
    db.add(cert)
    db.commit()
    page = client.get("/staff/").get_data(as_text=True)
    expired = re.search(r'id="expired".*?</section>', page, re.S).group(0)
    assert "Expired certificates: not live until they recertify" in expired and ">1<" in expired
    assert f'href="/author/cohorts/learners/{gone.id}"' in expired
    assert "&lt;b&gt;周杰&lt;/b&gt;" in expired and "<b>周杰" not in expired  # escaped
    assert "ended " in _text(expired)
    assert "周杰" not in re.search(r'id="expiring".*?</section>', page, re.S).group(0)
    lead.locale = "zh_Hans"
    db.commit()
    chinese = client.get("/staff/").get_data(as_text=True)
    expired = re.search(r'id="expired".*?</section>', chinese, re.S).group(0)
    assert "已过期的证书：重新认证之前不能上线接待" in expired and "到期" in expired
    cert.revoked_at = dt.datetime.now(dt.UTC)  # revoked: no longer "expired", the desk lets it go
    cert.revoke_reason = "Left the team"
    db.commit()
    page = client.get("/staff/").get_data(as_text=True)
    assert "没有已过期的证书。" in page
