"""Personal access tokens: created once, stored hashed, revocable, header only."""

from __future__ import annotations

import hashlib
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import ApiToken
from tests.factories import UserFactory


def test_a_learner_creates_and_revokes_a_token(client: FlaskClient, db: Session, login_as) -> None:
    login_as("learner")
    page = client.post("/account/tokens", data={"name": "phone app", "scope": "learner"}).get_data(
        as_text=True
    )
    secret = re.search(r'<code class="secret">(lms_[^<]+)</code>', page).group(1)
    row = db.scalars(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    client.post(f"/account/tokens/{row.id}/revoke")
    db.expire_all()
    assert db.get(ApiToken, row.id).revoked_at is not None


def test_a_learner_cannot_make_a_staff_token(client: FlaskClient, db: Session, login_as) -> None:
    login_as("learner")
    client.post("/account/tokens", data={"name": "x", "scope": "staff"})
    assert db.scalars(select(ApiToken)).all() == []


def test_someone_elses_token_cannot_be_revoked(
    client: FlaskClient, db: Session, login_as, app: Flask
) -> None:
    other = UserFactory()
    db.commit()
    from lms.domain.accounts.tokens import create_token

    token, _secret = create_token(db, other, "theirs")
    db.commit()
    login_as("learner")
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404


def test_cli_prints_the_token_alone_on_the_last_line(app: Flask, db: Session) -> None:
    UserFactory(username="seatbot", roles=["admin"])
    db.commit()
    result = app.test_cli_runner().invoke(
        args=["tokens", "create", "seatbot", "--name", "seats", "--scope", "staff"]
    )
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"lms_[A-Za-z0-9_-]{40,}", last)
    missing = app.test_cli_runner().invoke(args=["tokens", "create", "nobody", "--name", "x"])
    assert missing.exit_code == 1
