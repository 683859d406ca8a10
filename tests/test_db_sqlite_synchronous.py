"""SQLite: every commit waits for the disk (synchronous=FULL) except an answer autosave's, which
commits relaxed (NORMAL) unless the deployment asks for durable saves; the setting changes between
transactions on the same pooled connection, and only for the views marked so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import Session

from lms.db import RELAXED_COMMIT, Database, db_session

FULL, NORMAL = 2, 1


def _synchronous(session: Session) -> int:
    return int(session.execute(text("PRAGMA synchronous")).scalar_one())


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    found = Database(f"sqlite:///{tmp_path / 'sync.sqlite3'}")
    yield found
    found.engine.dispose()


def test_relaxed_and_full_sessions_take_turns_on_one_connection(database: Database) -> None:
    database.engine.pool.dispose()
    seen = []
    for relaxed in (False, True, True, False, True):
        with database.session(relaxed=relaxed) as session:
            seen.append(_synchronous(session))
            connection_id = id(session.connection().connection.dbapi_connection)
            session.commit()
        seen_connection = connection_id
    assert seen == [FULL, NORMAL, NORMAL, FULL, NORMAL]
    assert seen_connection == connection_id  # one pooled connection throughout
    with database.read_session() as session:  # reads wait for nothing, and set nothing back: FULL
        session.execute(text("SELECT 1"))
    with database.session() as session:
        assert _synchronous(session) == FULL


def test_durable_saves_never_relax(tmp_path: Path) -> None:
    durable = Database(f"sqlite:///{tmp_path / 'durable.sqlite3'}", durable_saves=True)
    try:
        with durable.session(relaxed=True) as session:
            assert _synchronous(session) == FULL
    finally:
        durable.engine.dispose()


def _request_session(app: Flask, method: str, path: str) -> Session:
    with app.test_request_context(path, method=method):
        session = db_session()
        try:
            return session
        finally:
            session.close()


def test_only_answer_autosaves_commit_relaxed(app: Flask) -> None:
    sqlite = app.extensions["lms.db"].is_sqlite

    def options(method: str, path: str) -> dict[str, object]:
        return _request_session(app, method, path).get_bind().get_execution_options()  # type: ignore[union-attr]

    def is_relaxed(method: str, path: str) -> bool:
        return options(method, path).get(RELAXED_COMMIT, False) is True

    assert is_relaxed("PUT", "/api/v1/attempts/1/responses/q1") is sqlite  # the API's save of one answer
    assert is_relaxed("POST", "/learn/attempts/1/0/autosave") is sqlite  # the quiz page's autosave
    for method, path in (
        ("POST", "/learn/attempts/1/0"),  # "save and next": the learner pressed a button
        ("POST", "/api/v1/attempts/1/submit"),
        ("POST", "/api/v1/quizzes/warehouse-week-exam/attempts"),
        ("POST", "/api/v1/attempts/1/responses/q1/messages"),
        ("GET", "/api/v1/attempts/1/responses/q1"),
    ):
        assert not is_relaxed(method, path), path
