"""The signed-in person's row read as plain columns is the session's User, as the ORM would make it:
persistent, every column loaded and unchanged, relationships loaded on first use."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from lms.db import read_rows
from lms.domain.accounts.user_rows import N_USER_COLUMNS, USER_COLUMNS, user_in_session
from lms.models import Cohort, User
from tests.factories import CohortFactory, StoreFactory, UserFactory, add_store


def _row(session: Session, user_id: int) -> tuple[object, ...]:
    return tuple(read_rows(session, select(*USER_COLUMNS, User.username).where(User.id == user_id)).one())


def test_the_user_is_persistent_loaded_and_unchanged(app: Flask, db: Session, count_queries) -> None:
    cohort = CohortFactory(name="十二月班")
    db.flush()
    person = UserFactory(
        username="wangfang", display_name="王芳 Wang Fang", cohort_id=cohort.id, roles=["learner"]
    )
    db.flush()
    add_store(db, person, StoreFactory(name="皮具旗舰店"))
    db.commit()
    session: Session = app.extensions["lms.db"].session()
    try:
        row = _row(session, person.id)
        assert len(row) == N_USER_COLUMNS + 1 and row[-1] == "wangfang"  # the statement's own after
        user = user_in_session(session, row)
        state = inspect(user)
        assert state.persistent and not state.modified and state.expired_attributes == set()
        assert state.unloaded == {"cohort", "role_rows", "store_links"}
        with count_queries() as counted:
            assert session.get(User, person.id) is user  # in the identity map
            assert (user.username, user.display_name, user.hired_on) == (
                "wangfang",
                "王芳 Wang Fang",
                person.hired_on,
            )
            assert user.created_at == person.created_at and user.session_version == person.session_version
        assert counted.count == 0
        with count_queries() as counted:
            assert isinstance(user.cohort, Cohort) and user.cohort.name == "十二月班"
            assert [r.role for r in user.role_rows] == ["learner"]
            assert [link.store.name for link in user.store_links] == ["皮具旗舰店"]
        assert counted.count == 3  # each relationship on first use, as with lazyload
        assert not session.dirty and not session.new
        user.display_name = "王芳"
        session.commit()  # a change made afterwards is written as on any loaded row
    finally:
        session.close()
    db.expire_all()
    assert db.get(User, person.id).display_name == "王芳"


def test_a_user_already_in_the_session_is_kept_or_refreshed(app: Flask, db: Session) -> None:
    person = UserFactory(display_name="李娜")
    db.commit()
    session: Session = app.extensions["lms.db"].read_session()  # no write lock held: db may write
    try:
        loaded = session.get(User, person.id)
        row = _row(session, person.id)
        db.get(User, person.id).display_name = "李娜 Li Na"
        db.commit()
        assert user_in_session(session, row) is loaded and loaded.display_name == "李娜"
        session.rollback()  # a new transaction sees the change (SQLite snapshot)
        row = _row(session, person.id)
        assert user_in_session(session, row, refresh=True) is loaded
        assert loaded.display_name == "李娜 Li Na" and not inspect(loaded).modified
    finally:
        session.close()
