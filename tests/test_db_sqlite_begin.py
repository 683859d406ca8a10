"""SQLite: a session that writes takes the write lock when it begins; a reading session does not; a
lock not free in time is a database error like any other (the pages answer it with 503)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from lms.db import Database


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    found = Database(f"sqlite:///{tmp_path / 'begin.sqlite3'}", timeout=0.2)
    yield found
    found.engine.dispose()


@pytest.fixture
def other(tmp_path: Path, database: Database) -> Iterator[sqlite3.Connection]:
    """Another process's connection to the same file (no waiting for locks)."""
    with database.engine.connect():
        pass  # the file exists, in WAL mode
    conn = sqlite3.connect(str(tmp_path / "begin.sqlite3"), isolation_level=None, timeout=0)
    yield conn
    conn.close()


def test_a_writing_session_holds_the_write_lock_from_its_first_statement(
    database: Database, other: sqlite3.Connection
) -> None:
    with database.session() as session:
        session.execute(text("SELECT 1"))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # released when the session ended
    other.execute("ROLLBACK")


def test_a_reading_session_leaves_the_write_lock_free(database: Database, other: sqlite3.Connection) -> None:
    with database.read_session() as session:
        session.execute(text("SELECT 1"))
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")


def test_a_write_lock_not_free_in_time_is_a_database_error(
    database: Database, other: sqlite3.Connection
) -> None:
    other.execute("BEGIN IMMEDIATE")
    try:
        with database.session() as session, pytest.raises(OperationalError, match="BEGIN IMMEDIATE"):
            session.execute(text("SELECT 1"))
    finally:
        other.execute("ROLLBACK")
