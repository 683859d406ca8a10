"""Alembic environment: migrate the database the app is configured for."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

import lms.models  # noqa: F401  - registers every table on the metadata
from lms.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def _sqlite_pragma(connection: Connection, sql: str) -> list[tuple[object, ...]]:
    """Run a PRAGMA on the driver connection itself, outside any transaction (where SQLite obeys it)."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _run(connection: Connection) -> None:
    # SQLite changes a table by building a new one and dropping the old (Alembic's batch mode). With
    # foreign keys enforced, that DROP is a DELETE that cascades: every attempt item would go with the
    # attempts table it points at. So keys are off while migrating (SQLite ignores the switch inside
    # a transaction, hence before it) and every reference is checked once the schema is in place.
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        _sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
        if connection.in_transaction():
            connection.commit()
        if sqlite:
            broken = _sqlite_pragma(connection, "PRAGMA foreign_key_check")
            if broken:
                raise RuntimeError(f"rows pointing at missing rows after migrating: {broken[:10]}")
    finally:
        if sqlite:
            _sqlite_pragma(connection, "PRAGMA foreign_keys=ON")


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
