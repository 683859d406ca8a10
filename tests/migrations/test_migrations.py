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
    alembic_runner.migrate_down_one()  # the triggers go with their revision, and come back with it
    with alembic_engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET action = 'user.created'"))
    alembic_runner.migrate_up_one()
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
