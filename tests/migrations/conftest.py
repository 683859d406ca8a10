"""pytest-alembic fixtures: migrations run on an empty database of the same kind as the suite's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from lms.db import make_engine
from lms.migrations.alembic import HERE


@pytest.fixture
def alembic_config() -> dict[str, str]:
    """Where our migrations live."""
    return {"script_location": str(HERE)}


@pytest.fixture
def alembic_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty database: a new SQLite file, or a fresh schema on the test PostgreSQL."""
    url = os.environ.get("LMS_TEST_DATABASE_URL", "")
    if not url:
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield engine
        engine.dispose()
        return
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_tests CASCADE"))
        conn.execute(text("CREATE SCHEMA migration_tests"))
    engine = create_engine(url, connect_args={"options": "-csearch_path=migration_tests"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_tests CASCADE"))
    admin.dispose()
