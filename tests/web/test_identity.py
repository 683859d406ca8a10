"""Who is signed in: an API token's last use is recorded at most once a minute, by reads too."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from lms.domain.accounts.tokens import create_token
from lms.models import ApiToken
from tests.factories import UserFactory


@pytest.fixture
def token(db: Session):  # type: ignore[no-untyped-def]
    user = UserFactory(username="zhaolei", display_name="赵磊")
    db.flush()
    row, secret = create_token(db, user, "phone")
    db.commit()
    return row, {"Authorization": f"Bearer {secret}"}


def _last_use(db: Session, token_id: int) -> dt.datetime | None:
    db.expire_all()
    return db.scalar(select(ApiToken.last_used_at).where(ApiToken.id == token_id))


def _stamps(statements: list[str]) -> int:
    return sum("UPDATE api_tokens" in s for s in statements)


def test_a_read_records_the_tokens_use_once_a_minute(client, db: Session, token, count_queries) -> None:
    row, headers = token
    assert _last_use(db, row.id) is None
    with count_queries() as first:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _stamps(first.statements) == 1
    stamped = _last_use(db, row.id)
    assert stamped is not None  # kept, although the request itself only read
    with count_queries() as again:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _stamps(again.statements) == 0  # used a moment ago: nothing written
    assert _last_use(db, row.id) == stamped
    row = db.get(ApiToken, row.id)
    assert row is not None
    row.last_used_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)
    db.commit()
    with count_queries() as stale:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _stamps(stale.statements) == 1
    last = _last_use(db, row.id)
    assert last is not None and last > stamped


def test_a_write_records_the_use_with_its_own_work(client, db: Session, token, count_queries) -> None:
    row, headers = token
    # Marking a missing lesson done is a write request that fails: its stamp is rolled back with it.
    assert client.post("/api/v1/lessons/999999/done", headers=headers).status_code == 404
    assert _last_use(db, row.id) is None


def test_a_read_goes_on_when_the_use_cannot_be_recorded(
    app: Flask, client, db: Session, token, monkeypatch, caplog
) -> None:
    row, headers = token
    database = app.extensions["lms.db"]
    real = database.session

    def unavailable():  # type: ignore[no-untyped-def]
        session = real()

        def refuse(*_args, **_kwargs):  # type: ignore[no-untyped-def]
            raise OperationalError("UPDATE api_tokens", {}, Exception("database is locked"))

        session.execute = refuse  # type: ignore[method-assign]
        return session

    monkeypatch.setattr(database, "session", unavailable)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200 and response.json["username"] == "zhaolei"
    assert _last_use(db, row.id) is None
    assert "could not record the use of API token" in caplog.text
