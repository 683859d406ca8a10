"""Alembic environment: migrate the database the app is configured for."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

import lms.models  # noqa: F401  - registers every table on the metadata
from lms.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a live connection (given by the caller, e.g. tests, or made from the URL)."""
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
        return
    if isinstance(given, Engine):  # pytest-alembic hands over an engine
        with given.connect() as conn:
            _run(conn)
            conn.commit()
        return
    # No statement timeout: rewriting a big table may take longer than any page should.
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", statement_timeout=None)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
