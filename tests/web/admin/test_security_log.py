"""The security log from the web: what gets noted, counted once per hour; the admin's page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms import create_app
from lms.domain.accounts import security_log
from lms.domain.accounts.security_log import Refusal
from lms.domain.accounts.tokens import create_token
from lms.models import SecurityEvent
from tests.conftest import TEST_PASSWORD, make_config
from tests.domain.learning.test_attempts import make_quiz
from tests.factories import UserFactory


def _events(db: Session, kind: str) -> list[SecurityEvent]:
    db.expire_all()
    return list(db.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind)))


def test_throttled_sign_ins_are_one_line_with_a_count(database_url: str, tmp_path: Path, db: Session) -> None:
    config = make_config(database_url, tmp_path, login_rate_user="2 per minute", login_rate_ip="100 per minute")
    config.extra = {"ratelimit": True}
    app = create_app(config)
    client = app.test_client()
    codes = [
        client.post("/login", data={"username": "WangFang", "password": "guess-number-x"}).status_code
        for _ in range(6)
    ]
    assert codes == [200, 200, 429, 429, 429, 429]
    (event,) = _events(db, "throttled")
    assert (event.count, event.subject, event.ip, event.route) == (4, "wangfang", "127.0.0.1", "/login")
    app.extensions["lms.db"].engine.dispose()


def test_cycling_usernames_from_one_address_is_still_one_line(
    database_url: str, tmp_path: Path, db: Session
) -> None:
    config = make_config(database_url, tmp_path, login_rate_user="100 per minute", login_rate_ip="3 per minute")
    config.extra = {"ratelimit": True}
    app = create_app(config)
    client = app.test_client()
    codes = [client.post("/login", data={"username": f"guess{i}", "password": "x" * 12}).status_code for i in range(8)]
    assert codes.count(429) == 5
    (event,) = _events(db, "throttled")
    assert event.count == 5 and event.subject == ""  # the address was throttled, not an account
    app.extensions["lms.db"].engine.dispose()


def test_another_learners_attempt_is_noted_once_with_a_count(
    app: Flask, client: FlaskClient, login_as, db: Session
) -> None:
    owner = login_as("learner")
    quiz = make_quiz(db)
    start = client.post(f"/learn/quizzes/{quiz.slug}/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/0", start.headers["Location"]).group(1))
    intruder = UserFactory(username="intruder")
    db.commit()
    other = app.test_client()
    other.post("/login", data={"username": "intruder", "password": TEST_PASSWORD})
    assert other.get(f"/learn/attempts/{attempt_id}").status_code == 404
    assert other.get(f"/learn/attempts/{attempt_id}").status_code == 404
    assert other.get("/learn/attempts/999999").status_code == 404  # no such attempt: not a probe
    (event,) = _events(db, "not_owner")
    assert event.user_id == intruder.id and event.count == 2 and event.path == f"/learn/attempts/{attempt_id}"
    assert owner.id != intruder.id
    _token, secret = create_token(db, intruder, "phone")
    db.commit()
    api = app.test_client().get(f"/api/v1/attempts/{attempt_id}", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 404
    assert sorted(e.route for e in _events(db, "not_owner")) == [
        "/api/v1/attempts/<int:attempt_id>",
        "/learn/attempts/<int:attempt_id>",
    ]


def test_denied_pages_refused_tokens_and_forged_forms_are_noted(
    database_url: str, tmp_path: Path, client: FlaskClient, login_as, db: Session
) -> None:
    learner = login_as("learner")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users").status_code == 403
    (denied,) = _events(db, "forbidden")
    assert denied.user_id == learner.id and denied.count == 2 and denied.route == "/admin/users"
    bad = client.application.test_client().get("/api/v1/me", headers={"Authorization": "Bearer lms_notAToken123"})
    assert bad.status_code == 401
    (token,) = _events(db, "bad_token")
    assert token.subject == "lms_notATo" and token.user_id is None
    guarded = create_app(make_config(database_url, tmp_path / "csrf", csrf=True))
    assert guarded.test_client().post("/login", data={"username": "x", "password": "y"}).status_code == 400
    (forged,) = _events(db, "csrf")
    assert forged.method == "POST" and forged.route == "/login"
    guarded.extensions["lms.db"].engine.dispose()


def test_the_admin_filters_the_security_log(client: FlaskClient, login_as, db: Session) -> None:
    login_as("admin")
    now = dt.datetime.now(dt.UTC)
    for ip in ("10.1.1.1", "10.1.1.1", "10.2.2.2"):
        security_log.record(db, Refusal("throttled", None, "wangfang", ip, "POST", "/login", "/login"), now)
    security_log.record(db, Refusal("csrf", None, "", "172.16.0.1", "POST", "/login", "/login"), now)
    db.commit()
    page = client.get("/admin/security").get_data(as_text=True)
    assert "Security log" in page and "4 lines" not in page and "3 lines" in page
    assert "10.1.1.1" in page and "<strong>2</strong>" in page
    only = client.get("/admin/security?kind=csrf").get_data(as_text=True)
    assert "172.16.0.1" in only and "10.1.1.1" not in only
    by_address = client.get("/admin/security?who=10.2").get_data(as_text=True)
    assert "10.2.2.2" in by_address and "10.1.1.1" not in by_address
    zh = client.get("/admin/security", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 200


def test_the_security_log_page_is_admin_only(client: FlaskClient, login_as) -> None:
    login_as("trainer", "qc")
    assert client.get("/admin/security").status_code == 403


def test_the_security_log_page_costs_the_same_queries_at_any_size(
    client: FlaskClient, login_as, db: Session, count_queries
) -> None:
    login_as("admin")
    now = dt.datetime.now(dt.UTC)
    users = [UserFactory() for _ in range(30)]
    db.flush()

    def add(n: int) -> None:
        for i in range(n):
            security_log.record(
                db, Refusal("forbidden", users[i % 30].id, "", f"10.0.{i}.1", "GET", "/admin", "/admin"), now
            )
        db.commit()

    add(3)
    with count_queries() as few:
        assert client.get("/admin/security").status_code == 200
    add(60)
    with count_queries() as many:
        assert client.get("/admin/security").status_code == 200
    assert many.count == few.count <= 6, many.statements
