"""Migrations: pytest-alembic's built-in checks, then our own, on SQLite and on PostgreSQL."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pytest_alembic.tests import (  # noqa: F401 - collected as tests
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from lms.domain.qc.checklist import DEFAULT_ITEMS
from lms.migrations.alembic import HERE


def _checklist(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT key, points FROM checklist_items ORDER BY position"))]


def _seed_people(engine: Engine) -> None:
    """A little data everywhere a step down touches: a user, their audit event, a security line."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, username, display_name, password_hash, active, locale, "
                "session_version, created_at) VALUES (1, 'wangfang', 'Wang Fang', '', true, 'en', 1, "
                "CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text("INSERT INTO audit_events (at, actor_id, action) VALUES (CURRENT_TIMESTAMP, 1, 'user.create')")
        )


def test_the_seeded_checklist_survives_stepping_down_and_up(alembic_runner, alembic_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    expected = [(key, points) for key, _label, _zh, points, _topics in DEFAULT_ITEMS]
    alembic_runner.migrate_up_to("head")
    assert _checklist(alembic_engine) == expected
    _seed_people(alembic_engine)
    alembic_runner.migrate_down_one()  # `lms db downgrade -1`
    alembic_runner.migrate_up_to("head")  # `lms db upgrade`
    assert _checklist(alembic_engine) == expected
    alembic_runner.migrate_down_to("0006")  # below the checklist's own revision
    alembic_runner.migrate_up_to("head")
    assert _checklist(alembic_engine) == expected
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_events")).scalar() == 1


def test_the_audit_log_is_append_only_at_head(alembic_runner, alembic_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    alembic_runner.migrate_up_to("head")
    _seed_people(alembic_engine)
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with alembic_engine.connect() as conn, pytest.raises(IntegrityError, match="append-only"):
            conn.execute(text(statement))
    # The triggers go with their revision (0008), and come back with it, wherever it is chained.
    alembic_runner.migrate_down_to(alembic_runner.history.previous_revision("0008"))
    with alembic_engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET action = 'user.created'"))
    alembic_runner.migrate_up_to("head")
    with alembic_engine.connect() as conn, pytest.raises(IntegrityError, match="append-only"):
        conn.execute(text("DELETE FROM audit_events"))


def test_the_migrations_checklist_is_the_shipped_default() -> None:
    """0007 keeps a frozen copy of the default; changing the default needs a migration too."""
    path = next(Path(HERE / "versions").glob("0007_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frozen = [(k, label, zh, points, list(topics)) for k, label, zh, points, topics in module.DEFAULT_CHECKLIST]
    assert frozen == [(k, label, zh, points, list(topics)) for k, label, zh, points, topics in DEFAULT_ITEMS]


def _fill(conn, table: str, **values: object) -> None:  # type: ignore[no-untyped-def]
    """Insert one row, with placeholder values for every other NOT NULL column (dialect-neutral)."""
    from sqlalchemy import inspect

    row = dict(values)
    for column in inspect(conn).get_columns(table):
        name, kind = column["name"], str(column["type"]).upper()
        if name in row or column.get("default") is not None or column["nullable"]:
            continue
        if column.get("autoincrement") is True or name == "id":
            continue
        if any(word in kind for word in ("INT", "FLOAT", "NUMERIC", "REAL", "DOUBLE")):
            row[name] = 0
        elif "BOOL" in kind:
            row[name] = False
        elif "JSON" in kind:
            row[name] = "{}"
        elif "DATE" in kind or "TIME" in kind:
            row[name] = "2026-01-05 09:00:00"
        else:
            row[name] = "x"
    names = ", ".join(row)
    marks = ", ".join(f":{n}" for n in row)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), row)  # noqa: S608 - our own table names


def test_upgrading_keeps_every_row_of_the_tables_it_rebuilds(alembic_runner, alembic_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """SQLite rebuilds a table to change it; with foreign keys on, dropping the old one would delete
    every row pointing at it (attempt items with their attempts, results with their spot checks)."""
    alembic_runner.migrate_up_to("0010")  # below the revisions that change attempts, spot checks, assignments
    tables = [
        "users",
        "quizzes",
        "questions",
        "question_versions",
        "attempts",
        "attempt_items",
        "spot_checks",
        "spot_check_results",
        "courses",
        "assignments",
        "notifications",
    ]
    with alembic_engine.begin() as conn:
        _fill(conn, "users", id=1, username="wangfang", display_name="Wang Fang", active=True)
        _fill(conn, "quizzes", id=1, slug="house-rules-check", published=True, shuffle=False)
        _fill(conn, "questions", id=1, quiz_id=1, key="greet", active=True)
        _fill(conn, "question_versions", id=1, question_id=1, number=1)
        _fill(conn, "attempts", id=1, user_id=1, quiz_id=1, status="graded", number=1)
        _fill(conn, "attempt_items", id=1, attempt_id=1, question_key="greet", question_version_id=1, needs_review=False)
        _fill(conn, "spot_checks", id=1, agent_id=1, checker_id=1, channel="chat")
        _fill(conn, "spot_check_results", id=1, spot_check_id=1, outcome="fail")
        _fill(conn, "courses", id=1, slug="house-rules", published=True, refresher_on_major=False)
        _fill(conn, "assignments", id=1, user_id=1, course_id=1, source="qc", due_on="2026-01-20")
        _fill(conn, "notifications", id=1, user_id=1, assignment_id=1, kind="assigned", email_status="none")
    alembic_runner.migrate_up_to("head")
    with alembic_engine.connect() as conn:
        counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables]  # noqa: S608
        assert counts == [1] * len(tables)


def test_the_gradings_counter_starts_at_the_graded_attempts_and_follows_them(alembic_runner, alembic_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """0019 counts each quiz's graded attempts once, then its triggers move the counter."""
    alembic_runner.migrate_up_to("0018")
    with alembic_engine.begin() as conn:
        _fill(conn, "users", id=1, username="wangfang", display_name="Wang Fang", active=True)
        for quiz_id, slug in ((1, "house-rules-check"), (2, "platform-rules-check")):
            _fill(conn, "quizzes", id=quiz_id, slug=slug, published=True, shuffle=False)
        for number, (quiz_id, status) in enumerate(((1, "graded"), (1, "graded"), (1, "submitted"), (2, "graded")), 1):
            _fill(conn, "attempts", id=number, user_id=1, quiz_id=quiz_id, status=status, number=number)
    alembic_runner.migrate_up_to("head")
    counts = "SELECT quiz_id, changes FROM quiz_gradings ORDER BY quiz_id"
    with alembic_engine.begin() as conn:
        assert conn.execute(text(counts)).all() == [(1, 2), (2, 1)]
        conn.execute(text("UPDATE attempts SET status = 'graded' WHERE id = 3"))
        conn.execute(text("UPDATE attempts SET number = 9 WHERE id = 4"))  # not a grading
        assert conn.execute(text(counts)).all() == [(1, 3), (2, 1)]
    alembic_runner.migrate_down_to("0018")  # the table and its triggers go together
    with alembic_engine.begin() as conn:
        conn.execute(text("UPDATE attempts SET status = 'submitted' WHERE id = 3"))
