"""Several app servers behind a proxy on one database and one Redis (the README's production set-up):
two servers on different ports, each its own app. A picture uploaded through one is served by the
other, a sign-in throttled on one is throttled on the other, and the periodic jobs started on both at
once do each piece of work once."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import io
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from lms import create_app
from lms.domain.assignments import assigning
from lms.jobs import run_jobs
from lms.models import Notification
from tests.conftest import TEST_PASSWORD, make_config
from tests.factories import CourseFactory, LessonFactory, UserFactory
from tests.services import require_redis

REDIS = "redis://127.0.0.1:6379/14"
MONDAY = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def servers(database_url: str, tmp_path: Path, app: Flask) -> Iterator[list[tuple[Flask, str]]]:
    """Two servers, each with its own app and instance folder, on one database and one Redis."""
    require_redis(REDIS)
    running = []
    for name in ("a", "b"):
        config = make_config(
            database_url, tmp_path / name, redis_url=REDIS, login_rate_user="2 per minute", login_rate_ip="100 per minute"
        )
        config.extra = {"ratelimit": True}
        server_app = create_app(config)
        server = make_server("127.0.0.1", 0, server_app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append((server_app, server))
    yield [(a, f"http://127.0.0.1:{s.server_port}") for a, s in running]
    for server_app, server in running:
        server.shutdown()
        server_app.extensions["lms.db"].engine.dispose()


def _browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _sign_in(browser: urllib.request.OpenerDirector, base: str, username: str, password: str) -> int:
    form = urllib.parse.urlencode({"username": username, "password": password}).encode()
    try:
        return int(browser.open(f"{base}/login", form).status)
    except urllib.error.HTTPError as err:
        return err.code


def _multipart(field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_upload_through_one_server_is_served_by_the_other(servers, db: Session) -> None:  # type: ignore[no-untyped-def]
    (_app_a, a), (_app_b, b) = servers
    course = CourseFactory(slug="two-servers", published=True)
    LessonFactory(course=course, slug="01-label")
    UserFactory(username="author", roles=["trainer"])
    db.commit()
    trainer = _browser()
    assert _sign_in(trainer, a, "author", TEST_PASSWORD) == 200
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "teal").save(out, "PNG")
    body, kind = _multipart("image", "label.png", out.getvalue())
    upload = urllib.request.Request(  # noqa: S310 - a test server's http:// address
        f"{a}/author/edit/courses/two-servers/lessons/01-label/images", body, {"Content-Type": kind}
    )
    assert trainer.open(upload).status == 200  # the redirect back to the editor, followed
    learner = _browser()
    UserFactory(username="reader")
    db.commit()
    assert _sign_in(learner, b, "reader", TEST_PASSWORD) == 200
    served = learner.open(f"{b}/learn/courses/two-servers/files/images/label.png")
    assert served.status == 200 and served.read() == out.getvalue()
    assert "immutable" in served.headers["Cache-Control"]


def test_a_sign_in_throttled_on_one_server_is_throttled_on_the_other(servers) -> None:  # type: ignore[no-untyped-def]
    (_app_a, a), (_app_b, b) = servers
    name = f"guess-{uuid.uuid4().hex[:8]}"
    assert _sign_in(_browser(), a, name, "wrong-guess-xx") == 200
    assert _sign_in(_browser(), b, name, "wrong-guess-xx") == 200
    assert _sign_in(_browser(), a, name, "wrong-guess-xx") == 429
    assert _sign_in(_browser(), b, name, "wrong-guess-xx") == 429


def test_jobs_started_on_both_servers_at_once_remind_once(servers, db: Session) -> None:  # type: ignore[no-untyped-def]
    qc = UserFactory(roles=("qc",))
    course = CourseFactory(title="House rules refresher")
    LessonFactory(course=course)
    agents = [UserFactory() for _ in range(5)]
    db.commit()
    assigning.assign(
        db, qc, [u.id for u in agents], course=course, due_on=MONDAY.date() + dt.timedelta(days=2),
        reason="Spot check", source="qc", now=MONDAY - dt.timedelta(days=5),
    )
    db.commit()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(server_app: Flask) -> None:
        session = server_app.extensions["lms.db"].session()
        try:
            barrier.wait()
            run_jobs(session, server_app.config["LMS"], MONDAY)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=run, args=(server_app,)) for server_app, _base in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    due = db.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "due_soon"))
    assert due == len(agents)  # once per assignment, though both servers ran the jobs
