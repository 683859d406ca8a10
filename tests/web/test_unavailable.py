"""When the database is down, read-only or locked: 503 with an incident id, nothing saved is lost.

Each kind of trouble swaps the app's database for a broken one while the learner saves and submits
through the page and the API, then puts the real one back and checks the answers saved before.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from lms.db import Database
from lms.domain.accounts.tokens import create_token
from lms.models import Attempt
from tests.domain.learning.test_attempts import make_quiz

INCIDENT = re.compile(r'class="incident-id">([^<]+)<')


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def troubles(url: str) -> list[str]:
    """What can go wrong with this kind of database."""
    if url.startswith("sqlite"):
        return ["unreachable", "read-only", "locked"]
    return ["unreachable", "read-only"]


@contextlib.contextmanager
def database_trouble(app: Flask, kind: str, tmp_path: Path) -> Iterator[None]:
    """The app's database, broken in one way for the duration."""
    real: Database = app.extensions["lms.db"]
    url = make_url(real.url)
    held: sqlite3.Connection | None = None
    if kind == "unreachable":
        if url.get_backend_name() == "sqlite":
            broken = Database(f"sqlite:///{tmp_path / 'no-such-folder' / 'lms.sqlite3'}", timeout=0.3)
        else:
            broken = Database(url.set(port=_closed_port()).render_as_string(hide_password=False), timeout=1)
    elif kind == "read-only" and url.get_backend_name() == "sqlite":
        broken = Database(f"sqlite:///file:{url.database}?mode=ro&uri=true", timeout=0.3)
    elif kind == "read-only":
        broken = Database(real.url, timeout=1)

        @event.listens_for(broken.engine, "connect")
        def _read_only(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.execute("SET default_transaction_read_only = on")
            dbapi_conn.commit()

    else:  # locked: another connection holds SQLite's write lock
        held = sqlite3.connect(str(url.database), isolation_level=None)
        held.execute("BEGIN IMMEDIATE")
        broken = Database(real.url, timeout=0.3)
    app.extensions["lms.db"] = broken
    try:
        yield
    finally:
        app.extensions["lms.db"] = real
        broken.engine.dispose()
        if held is not None:
            held.execute("ROLLBACK")
            held.close()


@pytest.fixture
def taking(app: Flask, client: FlaskClient, login_as, db: Session) -> dict[str, object]:
    """A learner signed in (cookie) and with a token, an attempt in progress, one answer saved."""
    quiz = make_quiz(db)
    learner = login_as("learner")
    start = client.post(f"/learn/quizzes/{quiz.slug}/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/0", start.headers["Location"]).group(1))
    attempt = db.get(Attempt, attempt_id)
    position = next(i for i, it in enumerate(attempt.items) if it.question_key == "hours")
    saved = client.post(f"/learn/attempts/{attempt_id}/{position}", data={"value": "72", "go": "next"})
    assert saved.status_code == 302
    _token, secret = create_token(db, learner, "phone")
    db.commit()
    return {"attempt": attempt_id, "position": position, "auth": {"Authorization": f"Bearer {secret}"}}


def _assert_incident(response, caplog: pytest.LogCaptureFixture) -> str:  # type: ignore[no-untyped-def]
    incident = response.headers["X-Request-Id"]
    assert response.headers["Retry-After"].isdigit()
    logged = [r for r in caplog.records if incident in r.getMessage()]
    assert logged and logged[0].exc_info is not None, "the incident is logged with its traceback"
    return incident


@pytest.mark.parametrize("kind", ["unreachable", "read-only", "locked"])
def test_saving_and_submitting_answer_503_with_an_incident_and_lose_nothing(
    app: Flask,
    client: FlaskClient,
    db: Session,
    taking: dict[str, object],
    kind: str,
    database_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if kind not in troubles(database_url):
        pytest.skip(f"{kind} is a SQLite trouble")
    caplog.set_level(logging.ERROR, logger="lms.web.errors")
    attempt_id, position, auth = taking["attempt"], taking["position"], taking["auth"]
    api = app.test_client()  # a phone: the token, no cookie
    with database_trouble(app, kind, tmp_path):
        page_save = client.post(f"/learn/attempts/{attempt_id}/{position}", data={"value": "48", "go": "next"})
        page_submit = client.post(f"/learn/attempts/{attempt_id}/submit")
        api_save = api.put(f"/api/v1/attempts/{attempt_id}/responses/hours", json={"value": 48}, headers=auth)
        api_submit = api.post(f"/api/v1/attempts/{attempt_id}/submit", headers=auth)
        autosave = client.post(
            f"/learn/attempts/{attempt_id}/{position}/autosave", data={"value": "48"}, headers={"HX-Request": "true"}
        )
    for response in (page_save, page_submit):
        assert response.status_code == 503, response.get_data(as_text=True)[:500]
        html = response.get_data(as_text=True)
        incident = _assert_incident(response, caplog)
        assert INCIDENT.search(html).group(1) == incident
        assert "saved answers are safe" in html
        assert "Agent " not in html, "the page asked nobody who is signed in"
        assert "Traceback" not in html
    for response in (api_save, api_submit):
        assert response.status_code == 503
        error = response.json["error"]
        assert error["code"] == "unavailable" and error["incident"] == _assert_incident(response, caplog)
    assert autosave.status_code == 503
    assert autosave.headers["X-Request-Id"] in autosave.get_data(as_text=True)
    # The database is back: the answer saved before is there, the attempt still open.
    db.expire_all()
    attempt = db.get(Attempt, attempt_id)
    assert attempt.status == "in_progress"
    assert attempt.items[position].response == {"value": 72}


def test_the_503_page_speaks_the_browsers_language_without_the_database(app: Flask, tmp_path: Path) -> None:
    visitor = app.test_client()
    with database_trouble(app, "unreachable", tmp_path):
        assert visitor.get("/login").status_code == 200  # the sign-in form itself needs no database
        zh = visitor.post(
            "/login",
            data={"username": "wangfang", "password": "x" * 12},
            headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        )
    page = zh.get_data(as_text=True)
    assert zh.status_code == 503 and 'lang="zh-Hans"' in page
    assert "已保存的答案" in page and "事件编号" in page


def test_the_language_chosen_at_sign_in_is_kept_for_the_503_page(
    app: Flask, client: FlaskClient, login_as, db: Session, tmp_path: Path
) -> None:
    login_as("learner", locale="zh_Hans")
    with database_trouble(app, "unreachable", tmp_path):
        page = client.get("/learn/", headers={"Accept-Language": "en"})
    assert page.status_code == 503 and 'lang="zh-Hans"' in page.get_data(as_text=True)


def test_the_health_check_sees_a_read_only_database(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    ok = client.get("/healthz?write=1")
    assert ok.status_code == 200 and ok.json["writes"] == "ok"
    with database_trouble(app, "read-only", tmp_path):
        assert client.get("/healthz").status_code == 200  # reads still work
        refused = client.get("/healthz?write=1")
        assert refused.status_code == 503 and refused.json["writes"] == "refused"
    with database_trouble(app, "unreachable", tmp_path):
        down = client.get("/healthz")
        assert down.status_code == 503 and down.json["database"] == "unreachable"


def test_any_page_whose_error_page_would_need_the_database_becomes_the_503(
    app: Flask, client: FlaskClient, login_as, tmp_path: Path
) -> None:
    login_as("learner")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.testing = False
    with database_trouble(app, "unreachable", tmp_path):
        missing = client.get("/no-such-page")  # the 404 page's layout would ask who is signed in
        api = app.test_client().get("/api/v1/me", headers={"Authorization": "Bearer lms_whatever12345"})
    assert missing.status_code == 503 and 'class="incident-id"' in missing.get_data(as_text=True)
    assert api.status_code == 503 and api.json["error"]["incident"] == api.headers["X-Request-Id"]
