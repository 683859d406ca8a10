"""the xAPI outbox: learning records waiting for the learning record store

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-03 05:43:02.981666
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = '0015'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('xapi_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('statement', sa.JSON(), nullable=False),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('next_try_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_xapi_statements_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_statements')),
    sa.UniqueConstraint('statement_id', name=op.f('uq_xapi_statements_statement_id'))
    )
    with op.batch_alter_table('xapi_statements', schema=None) as batch_op:
        batch_op.create_index('ix_xapi_statements_pending', ['sent_at', 'next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_xapi_statements_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('xapi_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_xapi_statements_user_id'))
        batch_op.drop_index('ix_xapi_statements_pending')

    op.drop_table('xapi_statements')
