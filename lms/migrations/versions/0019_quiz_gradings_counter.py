"""quiz gradings counter: the question statistics' fingerprint kept by triggers

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04

The statistics page knew whether its saved report was still right by counting the quiz's graded
attempts and reading their newest grading time on every view: an index-only count, but 50,000
attempts made it 2.5 ms on SQLite (half the page) and more on PostgreSQL. Now a counter per quiz is
moved by triggers, in the same transaction, whenever an attempt that is or was graded is inserted,
updated in its status, grading time, score or quiz, or deleted; the page reads one row. The counter starts
at each quiz's number of graded attempts.

SQLite drops a table's triggers when a batch migration rebuilds it: a later migration that rebuilds
`attempts` must create these again (the test suite's fingerprint tests fail if it does not).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Not INSERT OR IGNORE: in a trigger fired by a foreign key's action SQLite ignores the OR.
SQLITE_TRIGGERS = {
    "attempts_gradings_insert": "AFTER INSERT ON attempts WHEN NEW.status = 'graded' BEGIN "
    "INSERT INTO quiz_gradings (quiz_id, changes) SELECT NEW.quiz_id, 0 "
    "WHERE NOT EXISTS (SELECT 1 FROM quiz_gradings WHERE quiz_id = NEW.quiz_id); "
    "UPDATE quiz_gradings SET changes = changes + 1 WHERE quiz_id = NEW.quiz_id; END",
    "attempts_gradings_update": "AFTER UPDATE OF status, graded_at, score, percent, quiz_id ON attempts "
    "WHEN OLD.status = 'graded' OR NEW.status = 'graded' BEGIN "
    "INSERT INTO quiz_gradings (quiz_id, changes) SELECT OLD.quiz_id, 0 "
    "WHERE NOT EXISTS (SELECT 1 FROM quiz_gradings WHERE quiz_id = OLD.quiz_id); "
    "INSERT INTO quiz_gradings (quiz_id, changes) SELECT NEW.quiz_id, 0 "
    "WHERE NOT EXISTS (SELECT 1 FROM quiz_gradings WHERE quiz_id = NEW.quiz_id); "
    "UPDATE quiz_gradings SET changes = changes + 1 WHERE quiz_id IN (OLD.quiz_id, NEW.quiz_id); END",
    # A deleted attempt's quiz may be going too (ON DELETE CASCADE): its counter is moved, never created.
    "attempts_gradings_delete": "AFTER DELETE ON attempts WHEN OLD.status = 'graded' BEGIN "
    "UPDATE quiz_gradings SET changes = changes + 1 WHERE quiz_id = OLD.quiz_id; END",
}
PG_FUNCTION = """
CREATE FUNCTION attempts_gradings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE quiz_gradings SET changes = changes + 1 WHERE quiz_id = OLD.quiz_id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.quiz_id <> NEW.quiz_id AND OLD.status = 'graded' THEN
        INSERT INTO quiz_gradings (quiz_id, changes) VALUES (OLD.quiz_id, 1)
        ON CONFLICT (quiz_id) DO UPDATE SET changes = quiz_gradings.changes + 1;
    END IF;
    INSERT INTO quiz_gradings (quiz_id, changes) VALUES (NEW.quiz_id, 1)
    ON CONFLICT (quiz_id) DO UPDATE SET changes = quiz_gradings.changes + 1;
    RETURN NULL;
END
$$
"""
PG_TRIGGERS = (
    "CREATE TRIGGER attempts_gradings_insert AFTER INSERT ON attempts FOR EACH ROW "
    "WHEN (NEW.status = 'graded') EXECUTE FUNCTION attempts_gradings()",
    "CREATE TRIGGER attempts_gradings_update AFTER UPDATE OF status, graded_at, score, percent, quiz_id ON attempts "
    "FOR EACH ROW WHEN (OLD.status = 'graded' OR NEW.status = 'graded') EXECUTE FUNCTION attempts_gradings()",
    "CREATE TRIGGER attempts_gradings_delete AFTER DELETE ON attempts FOR EACH ROW "
    "WHEN (OLD.status = 'graded') EXECUTE FUNCTION attempts_gradings()",
)


def upgrade() -> None:
    op.create_table(
        'quiz_gradings',
        sa.Column('quiz_id', sa.Integer(), nullable=False),
        sa.Column('changes', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['quiz_id'], ['quizzes.id'], name=op.f('fk_quiz_gradings_quiz_id_quizzes'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('quiz_id', name=op.f('pk_quiz_gradings')),
    )
    op.execute(
        "INSERT INTO quiz_gradings (quiz_id, changes) "
        "SELECT quiz_id, count(*) FROM attempts WHERE status = 'graded' GROUP BY quiz_id"
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    elif dialect == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON attempts" if dialect == "postgresql" else ""))
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS attempts_gradings()")
    op.drop_table('quiz_gradings')
