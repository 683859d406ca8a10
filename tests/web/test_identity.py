"""Who is signed in: an API token's last use is recorded at most once a minute, by reads too."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from lms.domain.accounts.tokens import create_token
from lms.models import ApiToken, Role, UserRole
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


def _reads_role_rows(statements: list[str]) -> int:
    """Statements that read role rows on their own (not the sign-in's names beside the user's row)."""
    return sum(s.lstrip().startswith("SELECT user_roles") for s in statements)


def test_the_signed_in_users_roles_come_with_their_row_and_go_when_taken_away(
    client, login_as, db: Session, count_queries
) -> None:
    trainer = login_as("trainer", "learner")
    with count_queries() as counted:
        assert client.get("/staff/").status_code == 200
    assert _reads_role_rows(counted.statements) == 0
    assert "user_roles" in counted.statements[0] and "users" in counted.statements[0]
    db.execute(delete(UserRole).where(UserRole.user_id == trainer.id, UserRole.role == "trainer"))
    db.commit()
    assert client.get("/staff/").status_code == 403  # the next request reads the roles again


def test_a_tokens_staff_scope_ends_with_the_staff_role(
    app: Flask, client, db: Session, count_queries
) -> None:
    from lms.access import roles_required

    app.add_url_rule(
        "/api/v1/trainer-probe", "trainer_probe", roles_required(Role.TRAINER)(lambda: {"ok": True})
    )
    trainer = UserFactory(roles=["trainer"])
    db.flush()
    _row, secret = create_token(db, trainer, "desk", "staff")
    db.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    with count_queries() as counted:
        assert client.get("/api/v1/trainer-probe", headers=headers).status_code == 200
    assert _reads_role_rows(counted.statements) == 0
    db.execute(delete(UserRole).where(UserRole.user_id == trainer.id))
    db.commit()
    # No staff role: the staff-scope token no longer signs anyone in.
    assert client.get("/api/v1/trainer-probe", headers=headers).status_code == 401
