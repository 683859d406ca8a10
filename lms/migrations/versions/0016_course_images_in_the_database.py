"""course images in the database (every app server sees an upload)

Revision ID: 0016
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = '0016'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'course_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_slug', sa.String(length=80), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('mimetype', sa.String(length=40), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_images')),
        sa.UniqueConstraint('course_slug', 'name', name=op.f('uq_course_images_course_slug_name')),
    )
    op.create_index(op.f('ix_course_images_course_slug'), 'course_images', ['course_slug'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_course_images_course_slug'), table_name='course_images')
    op.drop_table('course_images')
