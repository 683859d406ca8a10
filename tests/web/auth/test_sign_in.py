"""Signing in and out, sessions ending, password changes."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.accounts import people
from lms.models import AuditEvent, User
from tests.conftest import TEST_PASSWORD
from tests.factories import UserFactory

GENERIC = "That username and password do not match an active account."


def _login(client: FlaskClient, username: str, password: str = TEST_PASSWORD, **extra: str):
    return client.post("/login", data={"username": username, "password": password, **extra})


def test_learner_signs_in_and_lands_on_their_programme(client: FlaskClient, db: Session) -> None:
    UserFactory(username="wangfang", display_name="王芳 Wang Fang")
    db.commit()
    response = _login(client, "WangFang ")  # case and spaces do not matter
    assert response.status_code == 302
    assert response.headers["Location"] == "/learn/"
    page = client.get("/learn/").get_data(as_text=True)
    assert "王芳 Wang Fang" in page


def test_staff_land_on_the_staff_desk(client: FlaskClient, db: Session) -> None:
    UserFactory(username="chen", roles=["trainer"])
    db.commit()
    assert _login(client, "chen").headers["Location"] == "/staff/"


def test_errors_do_not_reveal_whether_the_user_exists(client: FlaskClient, db: Session) -> None:
    UserFactory(username="lina")
    db.commit()
    wrong_password = _login(client, "lina", "not-the-password").get_data(as_text=True)
    unknown_user = _login(client, "nobody-here", "not-the-password").get_data(as_text=True)
    assert GENERIC in wrong_password and GENERIC in unknown_user
    assert "lina" not in wrong_password.split("<main", 1)[1].replace('value="lina"', "")


def test_login_success_and_failure_are_audited(client: FlaskClient, db: Session) -> None:
    UserFactory(username="lina")
    db.commit()
    _login(client, "lina", "wrong-password-123")
    _login(client, "lina")
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["login.failure", "login.success"]


def test_deactivated_user_cannot_sign_in(client: FlaskClient, db: Session) -> None:
    UserFactory(username="gone", active=False)
    db.commit()
    response = _login(client, "gone")
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)


def test_deactivation_ends_an_open_session(client: FlaskClient, db: Session) -> None:
    user = UserFactory(username="zhangwei")
    db.commit()
    _login(client, "zhangwei")
    assert client.get("/learn/").status_code == 200
    people.set_active(db, db.get(User, user.id), False)
    db.commit()
    response = client.get("/learn/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_ends_other_sessions_but_keeps_this_one(app, db: Session) -> None:
    UserFactory(username="liuyang")
    db.commit()
    here, elsewhere = app.test_client(), app.test_client()
    _login(here, "liuyang")
    _login(elsewhere, "liuyang")
    response = here.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "a-much-better-secret",
            "confirm": "a-much-better-secret",
        },
    )
    assert response.status_code == 302
    assert here.get("/learn/").status_code == 200
    assert elsewhere.get("/learn/").status_code == 302
    assert _login(app.test_client(), "liuyang", "a-much-better-secret").status_code == 302


def test_password_change_refuses_a_wrong_current_password(client: FlaskClient, login_as) -> None:
    login_as("learner")
    page = client.post(
        "/account/password",
        data={
            "current_password": "wrong-wrong-wrong",
            "new_password": "a-much-better-secret",
            "confirm": "a-much-better-secret",
        },
    ).get_data(as_text=True)
    assert "The current password is not right." in page


def test_password_change_refuses_a_short_password(client: FlaskClient, login_as) -> None:
    login_as("learner")
    page = client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "short",
            "confirm": "short",
        },
    ).get_data(as_text=True)
    assert "at least 10" in page


def test_logout_ends_every_session(app, db: Session) -> None:
    UserFactory(username="chenjing")
    db.commit()
    one, two = app.test_client(), app.test_client()
    _login(one, "chenjing")
    _login(two, "chenjing")
    one.post("/logout")
    assert one.get("/learn/").status_code == 302
    assert two.get("/learn/").status_code == 302


def test_next_goes_only_to_local_paths(client: FlaskClient, db: Session) -> None:
    UserFactory(username="agent")
    db.commit()
    response = _login(client, "agent", next="/account/password")
    assert response.headers["Location"] == "/account/password"


def test_next_to_another_site_is_ignored(app, db: Session) -> None:
    UserFactory(username="agent")
    db.commit()
    for target in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]:
        client = app.test_client()
        response = _login(client, "agent", next=target)
        assert response.headers["Location"] == "/learn/", target


def test_old_password_hashes_are_upgraded_on_sign_in(client: FlaskClient, db: Session) -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(TEST_PASSWORD)
    user = UserFactory(username="veteran", password_hash=weak)
    db.commit()
    assert _login(client, "veteran").status_code == 302
    db.expire_all()
    assert db.get(User, user.id).password_hash != weak
