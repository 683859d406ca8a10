"""The admin's xAPI page: on or off, counts, failures; the store's secret is never shown."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.models import XapiStatement
from tests.factories import UserFactory


def _rows(db: Session) -> None:
    learner = UserFactory(username="xiaozhang")
    now = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
    for n in range(30):
        db.add(
            XapiStatement(
                statement_id=f"00000000-0000-5000-8000-{n:012d}",
                kind="answered",
                user_id=learner.id,
                statement={"id": n},
                sent_at=now if n % 3 else None,
                tries=0 if n % 3 else 2,
                next_try_at=None if n % 3 else now + dt.timedelta(minutes=2),
                last_error=None if n % 3 else "HTTP 503",
            )
        )
    db.commit()


def test_the_page_shows_counts_and_failures_in_bounded_queries(
    app: Flask, client: FlaskClient, login_as, db: Session, count_queries
) -> None:
    app.config["LMS"].xapi_endpoint = "https://key:secret@lrs.example.com/xAPI"
    app.config["LMS"].xapi_password = "very-secret"
    _rows(db)
    login_as("admin")
    with count_queries() as counter:
        page = client.get("/admin/xapi").get_data(as_text=True)
    assert counter.count <= 6
    assert "https://lrs.example.com/xAPI" in page and "secret" not in page
    assert "xiaozhang" in page and "HTTP 503" in page
    failing = client.get("/admin/xapi?show=failing").get_data(as_text=True)
    assert failing.count("HTTP 503") == 10


def test_off_by_default_and_admins_only(client: FlaskClient, login_as) -> None:
    login_as("admin")
    assert "xAPI is off" in client.get("/admin/xapi").get_data(as_text=True)
    client.post("/logout")
    login_as("trainer")
    assert client.get("/admin/xapi").status_code in (302, 403)
