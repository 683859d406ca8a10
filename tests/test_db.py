"""Pooled PostgreSQL connections: a dead one is never handed out, and a busy one is not pinged."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text

from lms import db as database


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("the pool's ping is for PostgreSQL (SQLite has no server to lose)")
    return database_url


def test_a_connection_killed_while_idle_is_replaced_before_use(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = database.make_engine(pg_url)
    try:
        with engine.connect() as conn:
            pid = conn.scalar(text("SELECT pg_backend_pid()"))
        killer = create_engine(pg_url)  # the pool's connection is killed, as by a restart
        with killer.begin() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        killer.dispose()
        monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT 1")) == 1
            assert conn.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged(pg_url: str) -> None:
    engine = database.make_engine(pg_url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda conn: pings.append(conn) or real_ping(conn)  # type: ignore[method-assign]
    try:
        for _ in range(3):
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        assert pings == []
    finally:
        engine.dispose()


def test_a_partial_index_key_compared_with_a_value_is_written_into_the_sql(app) -> None:  # type: ignore[no-untyped-def]
    """SQLite prepares a statement again whenever it binds a value compared with a column that a
    partial index's WHERE names (attempts.status): such values are written in, quoted, instead."""
    from sqlalchemy import bindparam, select

    from lms.models import Attempt, PracticeRun

    engine = app.extensions["lms.db"].engine
    statements: list[tuple[str, object]] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append((args[2], args[3])))
    with engine.connect() as conn:
        conn.execute(select(Attempt.id).where(Attempt.status == "graded", Attempt.user_id == 1)).all()
        conn.execute(select(PracticeRun.id).where(PracticeRun.status != "it's")).all()
        conn.execute(select(Attempt.id).where(Attempt.status == bindparam("s")), {"s": "graded"}).all()
    (first, first_params), (second, _), (third, _) = [s for s in statements if s[0].startswith("SELECT")]
    assert "attempts.status = 'graded'" in first and "user_id = " in first
    assert list(first_params if isinstance(first_params, tuple) else first_params.values()) == [1]
    assert "practice_runs.status != 'it''s'" in second  # quoted as SQL
    assert "'graded'" not in third  # an explicit parameter stays a parameter
    # a status code is written in when the statement is compiled (the compiled statement is kept and
    # runs as it is); any other text is written in, quoted, only when it runs
    code = select(Attempt.id).where(Attempt.status == "graded").compile(dialect=engine.dialect)
    other = select(PracticeRun.id).where(PracticeRun.status != "it's").compile(dialect=engine.dialect)
    assert "attempts.status = 'graded'" in str(code) and not code.literal_execute_params
    assert "POSTCOMPILE" in str(other) and other.literal_execute_params
