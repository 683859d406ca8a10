"""A person's lock: taken once per transaction, again after it ends; the token lookup may take it."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from lms.domain.accounts.locks import lock_person
from lms.domain.accounts.tokens import create_token, user_for_token
from tests.factories import UserFactory


def _locks(statements: list[str]) -> int:
    return sum("FOR UPDATE" in s for s in statements)


def _row_locks(app: Flask) -> bool:
    return app.extensions["lms.db"].engine.dialect.name == "postgresql"


def _locked_elsewhere(app: Flask, user_id: int) -> bool:
    """Whether another connection finds this person's row locked (PostgreSQL)."""
    with app.extensions["lms.db"].engine.connect() as other:
        try:
            other.execute(text("SELECT id FROM users WHERE id = :id FOR UPDATE NOWAIT"), {"id": user_id})
        except OperationalError:
            return True
        finally:
            other.rollback()
    return False


def test_the_lock_is_taken_once_per_transaction(app: Flask, db: Session, count_queries) -> None:
    person = UserFactory(username="sunli")
    db.commit()
    session = app.extensions["lms.db"].session()
    try:
        with count_queries() as first:
            lock_person(session, person.id)
            lock_person(session, person.id)
        assert _locks(first.statements) == (1 if _row_locks(app) else 0)
        if _row_locks(app):
            assert _locked_elsewhere(app, person.id)
        session.commit()  # releases it
        if _row_locks(app):
            assert not _locked_elsewhere(app, person.id)
        with count_queries() as after_commit:
            lock_person(session, person.id)
        assert _locks(after_commit.statements) == (1 if _row_locks(app) else 0)
    finally:
        session.close()


@pytest.mark.parametrize("lock", [True, False])
def test_the_token_lookup_can_take_the_lock(app: Flask, db: Session, count_queries, lock: bool) -> None:
    person = UserFactory(username="zhoujie")
    db.flush()
    _row, secret = create_token(db, person, "phone")
    db.commit()
    session = app.extensions["lms.db"].session()
    try:
        with count_queries() as lookup:
            found = user_for_token(session, secret, lock=lock)
        assert found is not None and found[0].id == person.id
        assert len(lookup.statements) == 1
        held = lock and _row_locks(app)
        assert ("FOR UPDATE OF users" in lookup.statements[0]) is held
        if _row_locks(app):
            assert _locked_elsewhere(app, person.id) is held
        with count_queries() as later:
            lock_person(session, person.id)  # what the view asks for next
        assert _locks(later.statements) == (1 if _row_locks(app) and not lock else 0)
    finally:
        session.close()


def test_a_revoked_token_finds_nobody_even_when_locking(app: Flask, db: Session) -> None:
    person = UserFactory(username="qianyu")
    db.flush()
    row, secret = create_token(db, person, "phone")
    db.commit()
    from lms.db import utcnow

    row.revoked_at = utcnow()
    db.commit()
    session = app.extensions["lms.db"].session()
    try:
        assert user_for_token(session, secret, lock=True) is None
    finally:
        session.close()
