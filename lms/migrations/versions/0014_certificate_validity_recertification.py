"""certificate validity, recertification and automatic assignments

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-03

Only new tables and added nullable columns: no table is rebuilt on SQLite (rebuilding `assignments`
or `certificates` would cascade through their references), so the assignments' `source` keeps its
four values and an automatic assignment says what made it in `trigger`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('certificates', sa.Column('content_version', sa.JSON(), nullable=True))
    op.add_column('certificates', sa.Column('cycle', sa.Integer(), server_default='1', nullable=False))
    op.add_column('certificates', sa.Column('first_issued_at', lms.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('certificates', sa.Column('recert_started_at', lms.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('certificates', sa.Column('lapses_at', lms.db.UTCDateTime(timezone=True), nullable=True))
    op.create_table('certificate_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('issued_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('renewed_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('content_version', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_history_certificate_id_certificates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificate_history_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_history')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_history_code'))
    )
    op.create_index(op.f('ix_certificate_history_certificate_id'), 'certificate_history', ['certificate_id'], unique=False)
    op.create_index(op.f('ix_certificate_history_user_id'), 'certificate_history', ['user_id'], unique=False)

    op.add_column('assignments', sa.Column('trigger', sa.String(length=12), nullable=True))
    op.add_column('assignments', sa.Column('evidence', sa.JSON(), nullable=True))
    op.add_column('assignments', sa.Column('items', sa.JSON(), nullable=True))
    op.create_index(op.f('ix_assignments_trigger'), 'assignments', ['trigger'], unique=False)

    op.create_table('auto_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_auto_claims_assignment_id_assignments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auto_claims_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auto_claims')),
    sa.UniqueConstraint('key', name=op.f('uq_auto_claims_key'))
    )
    op.create_index(op.f('ix_auto_claims_user_id'), 'auto_claims', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_auto_claims_user_id'), table_name='auto_claims')
    op.drop_table('auto_claims')
    op.drop_index(op.f('ix_assignments_trigger'), table_name='assignments')
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would cascade through the references.
    for column in ('items', 'evidence', 'trigger'):
        op.drop_column('assignments', column)
    op.drop_index(op.f('ix_certificate_history_user_id'), table_name='certificate_history')
    op.drop_index(op.f('ix_certificate_history_certificate_id'), table_name='certificate_history')
    op.drop_table('certificate_history')
    for column in ('lapses_at', 'recert_started_at', 'first_issued_at', 'cycle', 'content_version'):
        op.drop_column('certificates', column)
