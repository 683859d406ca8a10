"""Reset links: once, for 30 minutes, for the password they were made for, for active accounts only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.accounts import password_reset, people
from lms.domain.accounts.password_reset import ResetLinkInvalid
from lms.domain.accounts.passwords import verify_password
from lms.domain.errors import DomainError
from lms.models import AuditEvent
from tests.factories import UserFactory

KEY = "test-secret-key-not-for-production"
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def test_a_link_works_once(db: Session) -> None:
    user = UserFactory(email="wf@example.com")
    db.commit()
    token = password_reset.make_link_token(KEY, user, T0)
    assert password_reset.user_for_link(db, KEY, token, T0 + dt.timedelta(minutes=5)) == user
    version = user.session_version
    password_reset.reset_with_link(db, KEY, token, "a-brand-new-secret", T0 + dt.timedelta(minutes=6))
    db.commit()
    assert verify_password(user.password_hash, "a-brand-new-secret")
    assert user.session_version == version + 1  # every session of the account ends
    with pytest.raises(ResetLinkInvalid):
        password_reset.reset_with_link(db, KEY, token, "yet-another-secret", T0 + dt.timedelta(minutes=7))
    actions = db.scalars(select(AuditEvent.action)).all()
    assert "password.reset" in actions and "user.password" in actions


def test_a_link_expires_after_30_minutes(db: Session) -> None:
    user = UserFactory(email="wf@example.com")
    db.commit()
    token = password_reset.make_link_token(KEY, user, T0)
    password_reset.user_for_link(db, KEY, token, T0 + dt.timedelta(minutes=30))
    with pytest.raises(ResetLinkInvalid, match="30 minutes"):
        password_reset.user_for_link(db, KEY, token, T0 + dt.timedelta(minutes=30, seconds=1))


def test_a_link_is_outdated_by_any_password_change(db: Session) -> None:
    user = UserFactory(email="wf@example.com")
    db.commit()
    token = password_reset.make_link_token(KEY, user, T0)
    people.set_password(db, user, "changed-by-the-admin", actor=None)
    db.commit()
    with pytest.raises(ResetLinkInvalid):
        password_reset.user_for_link(db, KEY, token, T0)


def test_forged_altered_and_foreign_links_fail(db: Session) -> None:
    user = UserFactory(email="wf@example.com")
    db.commit()
    token = password_reset.make_link_token(KEY, user, T0)
    for bad in (token[:-2] + "xx", "nonsense", "x" * 600, password_reset.make_link_token("another-key", user, T0)):
        with pytest.raises(ResetLinkInvalid):
            password_reset.user_for_link(db, KEY, bad, T0)


def test_an_inactive_account_cannot_be_reset(db: Session) -> None:
    user = UserFactory(email="wf@example.com")
    db.commit()
    token = password_reset.make_link_token(KEY, user, T0)
    people.set_active(db, user, False)
    db.commit()
    with pytest.raises(ResetLinkInvalid):
        password_reset.user_for_link(db, KEY, token, T0)


def test_the_new_password_meets_the_policy(db: Session) -> None:
    user = UserFactory(username="lina", email="lina@example.com")
    db.commit()
    token = password_reset.make_link_token(KEY, user, T0)
    with pytest.raises(DomainError, match="at least 10"):
        password_reset.reset_with_link(db, KEY, token, "short", T0)


def test_accounts_are_found_by_username_or_email(db: Session) -> None:
    wang = UserFactory(username="wangfang", email="Shared@Example.com")
    li = UserFactory(username="lina", email="shared@example.com")
    UserFactory(username="nomail", email=None)
    UserFactory(username="gone", email="gone@example.com", active=False)
    db.commit()
    assert password_reset.accounts_for(db, " WangFang ") == [wang]
    assert password_reset.accounts_for(db, "SHARED@example.com") == [wang, li]
    assert password_reset.accounts_for(db, "nomail") == []
    assert password_reset.accounts_for(db, "gone@example.com") == []
    assert password_reset.accounts_for(db, "nobody") == []
