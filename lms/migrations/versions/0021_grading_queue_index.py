"""a partial index for the grading queue

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05

The staff desk counts the answers waiting for a trainer's grade on every view. They are a handful
among every answer ever given, and without an index the count read them all: 50,000 attempts are
about 700,000 answers, about 0.1 s a view. The index holds only the waiting ones (written the way
each database's planner matches the queue's own condition). An index only: nothing is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_attempt_items_waiting",
        "attempt_items",
        ["attempt_id"],
        sqlite_where=sa.text("needs_review IS 1"),
        postgresql_where=sa.text("needs_review IS true"),
    )


def downgrade() -> None:
    op.drop_index("ix_attempt_items_waiting", table_name="attempt_items")
