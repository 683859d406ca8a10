"""kpi: schemes and monthly records

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kpi_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('conversion_rate', sa.Float(), nullable=True),
    sa.Column('avg_response_seconds', sa.Float(), nullable=True),
    sa.Column('satisfaction', sa.Float(), nullable=True),
    sa.Column('invite_rate', sa.Float(), nullable=True),
    sa.Column('push_completion', sa.Float(), nullable=True),
    sa.Column('imported_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_kpi_records_store_id_stores'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kpi_records_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_records')),
    sa.UniqueConstraint('user_id', 'store_id', 'month', name=op.f('uq_kpi_records_user_id_store_id_month'))
    )
    with op.batch_alter_table('kpi_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_records_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_records_user_id'), ['user_id'], unique=False)

    op.create_table('kpi_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_month', sa.String(length=7), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('bands', sa.JSON(), nullable=False),
    sa.Column('store_weights', sa.JSON(), nullable=False),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_kpi_schemes_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_schemes')),
    sa.UniqueConstraint('from_month', name=op.f('uq_kpi_schemes_from_month'))
    )


def downgrade() -> None:
    op.drop_table('kpi_schemes')
    with op.batch_alter_table('kpi_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_records_user_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_records_month'))

    op.drop_table('kpi_records')
