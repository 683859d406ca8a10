"""change counts: the plan's and the leaderboard's fingerprints kept by triggers

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04

The programme's plan (kept per process, read on every learner page) and the leaderboard's floor knew
whether they were still right by counting rows and reading the newest change of five tables each, on
every view: on PostgreSQL a count is a scan (the leaderboard's fingerprint took 2.7 ms of the
server, the plan's 0.8 ms). Now two counters are moved by triggers in the writing transaction, and
each fingerprint is a key lookup:

- plan: any insert, update or delete of programmes, courses, lessons, quizzes, scenarios;
- floor: the same for certificates, tier awards and KPI records, and for people added, removed, or
  switched on or off (renames are not in it, as before: the cache's age bounds them).

SQLite fires the triggers once per row, PostgreSQL once per statement. SQLite drops a table's
triggers when a batch migration rebuilds it: a later migration that rebuilds one of these tables
must create its triggers again (tests/models/test_change_counts.py fails if it does not).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table → (topic, the columns whose update counts; None: any update).
WATCHED: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "programmes": ("plan", None),
    "courses": ("plan", None),
    "lessons": ("plan", None),
    "quizzes": ("plan", None),
    "scenarios": ("plan", None),
    "certificates": ("floor", None),
    "tier_awards": ("floor", None),
    "kpi_records": ("floor", None),
    "users": ("floor", ("active",)),
}
OPERATIONS = ("insert", "update", "delete")


def _name(table: str, operation: str) -> str:
    return f"{table}_change_count_{operation}"


def _event(operation: str, columns: tuple[str, ...] | None) -> str:
    if operation == "update" and columns:
        return "UPDATE OF " + ", ".join(columns)
    return operation.upper()


def _sqlite_trigger(table: str, operation: str, topic: str, columns: tuple[str, ...] | None) -> str:
    return (
        f"CREATE TRIGGER {_name(table, operation)} AFTER {_event(operation, columns)} ON {table} BEGIN "
        # Not INSERT OR IGNORE: in a trigger fired by a foreign key's action SQLite ignores the OR.
        f"INSERT INTO change_counts (topic, changes) SELECT '{topic}', 0 "
        f"WHERE NOT EXISTS (SELECT 1 FROM change_counts WHERE topic = '{topic}'); "
        f"UPDATE change_counts SET changes = changes + 1 WHERE topic = '{topic}'; END"
    )


PG_FUNCTION = """
CREATE FUNCTION change_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_counts (topic, changes) VALUES (TG_ARGV[0], 1)
    ON CONFLICT (topic) DO UPDATE SET changes = change_counts.changes + 1;
    RETURN NULL;
END
$$
"""


def _pg_trigger(table: str, operation: str, topic: str, columns: tuple[str, ...] | None) -> str:
    return (
        f"CREATE TRIGGER {_name(table, operation)} AFTER {_event(operation, columns)} ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION change_count('{topic}')"
    )


def upgrade() -> None:
    op.create_table(
        "change_counts",
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_change_counts")),
    )
    op.execute("INSERT INTO change_counts (topic, changes) VALUES ('plan', 0), ('floor', 0)")
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
    for table, (topic, columns) in WATCHED.items():
        for operation in OPERATIONS:
            if dialect == "sqlite":
                op.execute(_sqlite_trigger(table, operation, topic, columns))
            elif dialect == "postgresql":
                op.execute(_pg_trigger(table, operation, topic, columns))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in WATCHED:
        for operation in OPERATIONS:
            on = f" ON {table}" if dialect == "postgresql" else ""
            op.execute(f"DROP TRIGGER IF EXISTS {_name(table, operation)}{on}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS change_count()")
    op.drop_table("change_counts")
