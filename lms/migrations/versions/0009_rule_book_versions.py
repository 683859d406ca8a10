"""the rule book: versions, and the version each attempt and spot check was graded with

Revision ID: 0009
Revises: 0008 (main's newest when this branch merged it; written against 0007)
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = '0009'
down_revision: str | None = '0010'  # chained after the bilingual curriculum when merged
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rule_book_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('as_of', sa.String(length=10), nullable=True),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('rule_count', sa.Integer(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_book_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_rule_book_versions_version'))
    )
    with op.batch_alter_table('rule_book_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_book_versions_content_hash'), ['content_hash'], unique=False)

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_book_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attempts_rule_book_id_rule_book_versions'), 'rule_book_versions', ['rule_book_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('spot_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_book_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_spot_checks_rule_book_id_rule_book_versions'), 'rule_book_versions', ['rule_book_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('spot_checks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_spot_checks_rule_book_id_rule_book_versions'), type_='foreignkey')
        batch_op.drop_column('rule_book_id')

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempts_rule_book_id_rule_book_versions'), type_='foreignkey')
        batch_op.drop_column('rule_book_id')

    with op.batch_alter_table('rule_book_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_book_versions_content_hash'))

    op.drop_table('rule_book_versions')
