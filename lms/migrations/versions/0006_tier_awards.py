"""tier awards

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tier_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('awarded_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_tier_awards_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_tier_awards_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_awards')),
    sa.UniqueConstraint('user_id', 'sequence', name=op.f('uq_tier_awards_user_id_sequence'))
    )
    with op.batch_alter_table('tier_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_awards_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tier_awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_awards_user_id'))

    op.drop_table('tier_awards')
