"""Forgot my password, from the sign-in page to a new password, with the local SMTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms import create_app
from lms.models import SecurityEvent
from tests.conftest import TEST_PASSWORD, make_config
from tests.factories import UserFactory
from tests.mailbox import Mailbox, smtp_server

BASE = "https://academy.example.com"
LINK = re.compile(re.escape(BASE) + r"(/reset/[A-Za-z0-9._-]+)")


@pytest.fixture
def mail_app(database_url: str, tmp_path: Path) -> Iterator[tuple[Flask, Mailbox]]:
    """The app with email set up (a local SMTP server) and, unless a test says so, no rate limits."""
    with smtp_server() as (mailbox, port):
        config = make_config(database_url, tmp_path, smtp_url=f"smtp://127.0.0.1:{port}", base_url=BASE)
        app = create_app(config)
        yield app, mailbox
        app.extensions["lms.db"].engine.dispose()


def _ask(client, account: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/forgot", data={"account": account}, headers=headers, follow_redirects=True)


def test_a_reset_link_works_once_and_ends_every_other_session(mail_app, db: Session) -> None:  # type: ignore[no-untyped-def]
    app, mailbox = mail_app
    UserFactory(username="wangfang", email="wf@example.com", locale="en")
    db.commit()
    elsewhere = app.test_client()  # signed in on another computer
    assert elsewhere.post("/login", data={"username": "wangfang", "password": TEST_PASSWORD}).status_code == 302
    client = app.test_client()
    assert "Forgot your password?" in client.get("/login").get_data(as_text=True)
    answer = _ask(client, "wangfang").get_data(as_text=True)
    assert "a link to set a new password is on its way" in answer
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "wf@example.com" and "Set a new password" in message["Subject"]
    path = LINK.search(message.get_content()).group(1)  # the link is built from LMS_BASE_URL
    form = client.get(path)
    assert form.status_code == 200 and "Set a new password" in form.get_data(as_text=True)
    done = client.post(path, data={"password": "a-brand-new-secret", "confirm": "a-brand-new-secret"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert client.post("/login", data={"username": "wangfang", "password": "a-brand-new-secret"}).status_code == 302
    assert elsewhere.get("/learn/").status_code == 302  # that session has ended: back to sign-in
    again = app.test_client().post(path, data={"password": "third-secret-xx", "confirm": "third-secret-xx"})
    assert again.status_code == 410 and "does not work any more" in again.get_data(as_text=True)


def test_a_link_fails_once_the_password_changed_another_way(mail_app, db: Session) -> None:  # type: ignore[no-untyped-def]
    app, mailbox = mail_app
    UserFactory(username="lina", email="lina@example.com")
    db.commit()
    client = app.test_client()
    _ask(client, "lina@example.com")
    path = LINK.search(mailbox.wait_for(1)[0].get_content()).group(1)
    client.post("/login", data={"username": "lina", "password": TEST_PASSWORD})
    changed = client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "changed-myself-x", "confirm": "changed-myself-x"},
    )
    assert changed.status_code == 302
    assert app.test_client().get(path).status_code == 410


def test_the_answer_is_the_same_whether_or_not_the_account_exists(mail_app, db: Session) -> None:  # type: ignore[no-untyped-def]
    app, mailbox = mail_app
    UserFactory(username="wangfang", email="wf@example.com")
    UserFactory(username="nomail", email=None)
    db.commit()
    client = app.test_client()

    def answer(account: str) -> str:
        page = _ask(client, account).get_data(as_text=True)
        return re.sub(r"<[^>]*csrf[-_]token[^>]*>", "", page)  # the form token is dated to the second

    known = answer("wangfang")
    assert answer("nobody-here") == known
    assert answer("nomail") == known
    assert answer("nobody@example.com") == known
    assert len(mailbox.wait_for(2, timeout=1.5)) == 1  # only the real account with an address got one


def test_the_email_speaks_the_users_language(mail_app, db: Session) -> None:  # type: ignore[no-untyped-def]
    app, mailbox = mail_app
    UserFactory(username="zhangwei", email="zw@example.com", locale="zh_Hans")
    db.commit()
    _ask(app.test_client(), "zhangwei", **{"Accept-Language": "en"})
    (message,) = mailbox.wait_for(1)
    assert "新密码" in message["Subject"] and "30" in message.get_content()


def test_asking_is_limited_per_address_and_per_account(database_url: str, tmp_path: Path, db: Session) -> None:
    UserFactory(username="wangfang", email="wf@example.com")
    db.commit()
    with smtp_server() as (_mailbox, port):
        config = make_config(
            database_url,
            tmp_path,
            smtp_url=f"smtp://127.0.0.1:{port}",
            base_url=BASE,
            reset_rate_ip="3 per hour",
            reset_rate_account="2 per hour",
        )
        config.extra = {"ratelimit": True}
        app = create_app(config)
        client = app.test_client()
        per_account = [
            client.post("/forgot", data={"account": "WangFang"}, environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
            for i in range(3)
        ]
        assert per_account == [302, 302, 429]
        per_address = [client.post("/forgot", data={"account": f"user{i}"}).status_code for i in range(4)]
        assert per_address == [302, 302, 302, 429]
        app.extensions["lms.db"].engine.dispose()
    db.expire_all()
    throttled = db.scalars(select(SecurityEvent).where(SecurityEvent.kind == "throttled")).all()
    assert {e.subject for e in throttled} == {"wangfang", ""}  # an account, then an address


def test_without_email_the_page_says_to_ask_an_administrator(client, db: Session) -> None:  # type: ignore[no-untyped-def]
    login = client.get("/login").get_data(as_text=True)
    assert "Ask your trainer or an administrator" in login and "/forgot" not in login
    page = client.get("/forgot").get_data(as_text=True)
    assert "does not send email" in page and "administrator" in page and 'name="account"' not in page
