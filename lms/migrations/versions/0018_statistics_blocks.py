"""statistics blocks: the question statistics' sums kept per block of graded attempts

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

A quiz's report read every graded attempt's items on the first view after a grading (50,000
attempts: about 700,000 items, 1–2 s). The sums it needs are now kept per block of attempt ids, each
with the fingerprint it was computed on; a view recomputes only the blocks whose fingerprint moved.
A new table only: nothing is rebuilt, and an empty table is filled by the first view of each quiz.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'statistics_blocks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quiz_id', sa.Integer(), nullable=False),
        sa.Column('block', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('graded_until', lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('questions', sa.String(length=200), nullable=False),
        sa.Column('sums', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ['quiz_id'], ['quizzes.id'], name=op.f('fk_statistics_blocks_quiz_id_quizzes'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statistics_blocks')),
        sa.UniqueConstraint('quiz_id', 'block', name=op.f('uq_statistics_blocks_quiz_id_block')),
    )


def downgrade() -> None:
    op.drop_table('statistics_blocks')
