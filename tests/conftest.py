"""Fixtures shared by the whole suite: one migrated database per run, emptied after each test.

Set LMS_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
same suite on PostgreSQL; otherwise a SQLite file in a temporary folder is used.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from lms import create_app
from lms.config import Config
from lms.db import Base, Database
from lms.domain.accounts import passwords
from lms.domain.learning.answer_saves import KNOWN_ITEMS
from lms.migrations.alembic import upgrade
from tests import factories

TEST_PASSWORD = "correct-horse-battery"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A freshly migrated database for this test run."""
    url = os.environ.get("LMS_TEST_DATABASE_URL", "")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    upgrade(url)
    # Migrations seed data (the QC checklist); every test starts from empty tables all the same.
    database = Database(url)
    _empty_tables(database)
    database.engine.dispose()
    return url


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Cheap argon2 parameters: the suite hashes hundreds of passwords."""
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


def make_config(database_url: str, tmp_path: Path, **overrides: object) -> Config:
    """A test configuration (CSRF off unless asked for)."""
    config = Config(
        database_url=database_url,
        secret_key="test-secret-key-not-for-production",
        testing=True,
        csrf=False,
        instance_path=tmp_path / "instance",
        extra={"ratelimit": False},
    )
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


def _empty_tables(database: Database) -> None:
    """Empty every table, the append-only audit log included (its triggers stay in force).

    PostgreSQL: TRUNCATE, which row triggers do not see. SQLite has no TRUNCATE: inside one
    transaction the audit log's triggers are lifted, the rows deleted, and the very same triggers
    put back from their own SQL in sqlite_master (so the migration stays their only source).
    """
    with database.engine.begin() as conn:
        if database.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            triggers = conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
            ).all()
            for name, _sql in triggers:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            for _name, sql in triggers:
                conn.execute(text(sql))


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on the test database; every table is emptied afterwards."""
    application = create_app(make_config(database_url, tmp_path))
    yield application
    database: Database = application.extensions["lms.db"]
    _empty_tables(database)
    database.engine.dispose()
    KNOWN_ITEMS.clear()  # the next test's rows may get the same ids: its first saves read


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the test database, bound to the factories."""
    # Each statement commits on its own (like PostgreSQL's READ COMMITTED for reads), so the
    # test sees what requests wrote and never holds SQLite's write lock between statements.
    database = app.extensions["lms.db"]
    session = Session(bind=database.engine.execution_options(lms_begin="NONE"), expire_on_commit=False)
    factories.bind(session)
    yield session
    session.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def login_as(client: FlaskClient, db: Session) -> Callable[..., object]:
    """Sign the client in as a new user holding the given role(s); returns the user."""

    def login(*roles: str, **kwargs: object):  # type: ignore[no-untyped-def]
        user = factories.UserFactory(roles=list(roles) or ["learner"], **kwargs)
        db.commit()
        response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


class QueryCounter:
    """Counts SQL statements sent by an app's engine."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], object]:
    """`with count_queries() as c: ...` then `c.count` is the number of statements run."""
    import contextlib

    from sqlalchemy import event

    engine = app.extensions["lms.db"].engine

    @contextlib.contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
            if not statement.startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")):
                counter.count += 1
                counter.statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting
