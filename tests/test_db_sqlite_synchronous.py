"""SQLite: every commit waits for the disk (synchronous=FULL); where the deployment opts in
(LMS_RELAXED_AUTOSAVES), an answer autosave's commit does not (NORMAL). The setting changes between
transactions on the same pooled connection, and only for the views marked so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import Session

from lms import create_app
from lms.config import Config
from lms.db import RELAXED_COMMIT, Database, db_session

FULL, NORMAL = 2, 1


def _synchronous(session: Session) -> int:
    return int(session.execute(text("PRAGMA synchronous")).scalar_one())


@pytest.fixture
def relaxing(tmp_path: Path) -> Iterator[Database]:
    found = Database(f"sqlite:///{tmp_path / 'sync.sqlite3'}", relaxed_autosaves=True)
    yield found
    found.engine.dispose()


def test_relaxed_and_full_sessions_take_turns_on_one_connection(relaxing: Database) -> None:
    seen, connections = [], set()
    for relaxed in (False, True, True, False, True):
        with relaxing.session(relaxed=relaxed) as session:
            seen.append(_synchronous(session))
            connections.add(id(session.connection().connection.dbapi_connection))
            session.commit()
    assert seen == [FULL, NORMAL, NORMAL, FULL, NORMAL]
    assert len(connections) == 1  # one pooled connection throughout
    with relaxing.read_session() as session:  # a read sets nothing back
        session.execute(text("SELECT 1"))
    with relaxing.session() as session:
        assert _synchronous(session) == FULL


def test_by_default_every_commit_waits_for_the_disk(tmp_path: Path) -> None:
    durable = Database(f"sqlite:///{tmp_path / 'durable.sqlite3'}")
    try:
        with durable.session(relaxed=True) as session:
            assert _synchronous(session) == FULL
    finally:
        durable.engine.dispose()


ASKED = (
    ("PUT", "/api/v1/attempts/1/responses/q1"),  # the API's save of one answer
    ("POST", "/learn/attempts/1/0/autosave"),  # the quiz page's autosave
    ("POST", "/learn/attempts/1/0"),  # "save and next": the learner pressed a button
    ("POST", "/api/v1/attempts/1/submit"),
    ("POST", "/api/v1/quizzes/warehouse-week-exam/attempts"),
    ("POST", "/api/v1/attempts/1/responses/q1/messages"),
    ("GET", "/api/v1/attempts/1"),
)


def _relaxed_views(app: Flask) -> dict[tuple[str, str], bool]:
    found = {}
    for method, path in ASKED:
        with app.test_request_context(path, method=method):
            session = db_session()
            found[method, path] = session.get_bind().get_execution_options().get(RELAXED_COMMIT) is True  # type: ignore[union-attr]
            session.close()
    return found


def test_only_answer_autosaves_relax_and_only_when_opted_in(app: Flask, tmp_path: Path) -> None:
    assert not any(_relaxed_views(app).values())  # the default: nothing relaxes
    opted = create_app(
        Config(
            database_url=f"sqlite:///{tmp_path / 'opted.sqlite3'}",
            secret_key="test",
            instance_path=tmp_path,
            relaxed_autosaves=True,
        )
    )
    try:
        assert _relaxed_views(opted) == {
            ("PUT", "/api/v1/attempts/1/responses/q1"): True,
            ("POST", "/learn/attempts/1/0/autosave"): True,
            ("POST", "/learn/attempts/1/0"): False,
            ("POST", "/api/v1/attempts/1/submit"): False,
            ("POST", "/api/v1/quizzes/warehouse-week-exam/attempts"): False,
            ("POST", "/api/v1/attempts/1/responses/q1/messages"): False,
            ("GET", "/api/v1/attempts/1"): False,
        }
    finally:
        opted.extensions["lms.db"].engine.dispose()


def test_the_setting_is_read_from_the_environment() -> None:
    # Read as every on/off variable is (tests/test_config.py has the values).
    assert Config.from_env({"LMS_RELAXED_AUTOSAVES": " Yes "}).relaxed_autosaves is True
    assert Config.from_env({"LMS_RELAXED_AUTOSAVES": "0"}).relaxed_autosaves is False
    assert Config.from_env({}).relaxed_autosaves is False
