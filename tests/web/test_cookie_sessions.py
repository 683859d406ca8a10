"""The signed session cookie: kept signer, key rotation, requests without a cookie."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.domain.accounts.tokens import create_token
from lms.web.cookie_sessions import SignedCookieSessions
from tests.factories import UserFactory


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/learn/").status_code == 200


def test_the_app_uses_the_kept_signer(app: Flask) -> None:
    sessions = app.session_interface
    assert isinstance(sessions, SignedCookieSessions)
    assert sessions.get_signing_serializer(app) is sessions.get_signing_serializer(app)


def test_an_api_call_without_a_cookie_sets_none(client: FlaskClient, db: Session) -> None:
    user = UserFactory(username="liuyang", display_name="刘洋")
    db.flush()
    _row, secret = create_token(db, user, "phone")
    db.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_signed_in_reader_stays_signed_in(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("learner")
    assert _signed_in(client)
    assert _signed_in(client)


def test_a_new_key_signs_out_unless_the_old_one_is_a_fallback(
    app: Flask, client: FlaskClient, login_as
) -> None:  # type: ignore[no-untyped-def]
    login_as("learner")
    signed_with_old = client.get_cookie("session")
    assert signed_with_old is not None
    old = app.secret_key
    app.secret_key = app.config["SECRET_KEY"] = "a-rotated-secret-key-for-this-test"
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert _signed_in(client)  # the cookie signed with the old key is still accepted
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert _signed_in(client)  # that answer re-signed the cookie with the new key
    client.set_cookie("session", signed_with_old.value)
    assert not _signed_in(client)  # the kept signer was rebuilt without the old key


def test_a_cookie_signed_with_another_key_is_an_empty_session(
    app: Flask, client: FlaskClient, login_as
) -> None:  # type: ignore[no-untyped-def]
    login_as("learner")
    app.secret_key = app.config["SECRET_KEY"] = "another-secret-key-entirely-for-this-test"
    response = client.get("/learn/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
