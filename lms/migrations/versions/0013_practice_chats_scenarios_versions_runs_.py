"""practice chats: scenarios, versions, runs and turns

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-03

Assignments may now be a scenario (one of course, quiz or scenario), closed by a practice run.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_WORK = (
    "(CASE WHEN course_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN quiz_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN scenario_id IS NULL THEN 0 ELSE 1 END) = 1"
)
OPEN_SCENARIO = "closed_at IS NULL AND scenario_id IS NOT NULL"


def upgrade() -> None:
    op.create_table('scenarios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_scenarios_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_scenarios_course_id_courses'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenarios')),
    sa.UniqueConstraint('slug', name=op.f('uq_scenarios_slug'))
    )
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenarios_course_id'), ['course_id'], unique=False)

    op.create_table('scenario_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('version_text', sa.String(length=20), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], name=op.f('fk_scenario_versions_scenario_id_scenarios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_versions')),
    sa.UniqueConstraint('scenario_id', 'number', name=op.f('uq_scenario_versions_scenario_id_number'))
    )
    with op.batch_alter_table('scenario_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_versions_scenario_id'), ['scenario_id'], unique=False)
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_scenarios_current_version_id_scenario_versions'), 'scenario_versions', ['current_version_id'], ['id'], ondelete='SET NULL')

    op.create_table('practice_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('rule_book_id', sa.Integer(), nullable=True),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('preview', sa.Boolean(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('node_id', sa.String(length=40), nullable=True),
    sa.Column('turn_count', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('medal', sa.String(length=10), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('started_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('active', 'finished', 'abandoned')", name=op.f('ck_practice_runs_known_status')),
    sa.ForeignKeyConstraint(['rule_book_id'], ['rule_book_versions.id'], name=op.f('fk_practice_runs_rule_book_id_rule_book_versions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], name=op.f('fk_practice_runs_scenario_id_scenarios'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_runs_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['scenario_versions.id'], name=op.f('fk_practice_runs_version_id_scenario_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_runs'))
    )
    with op.batch_alter_table('practice_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_runs_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_runs_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_practice_runs_one_active', ['user_id', 'scenario_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('practice_turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.String(length=40), nullable=False),
    sa.Column('phrasing', sa.Integer(), nullable=False),
    sa.Column('shopper_text', sa.Text(), nullable=False),
    sa.Column('shopper_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('reply_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('failed', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=True),
    sa.Column('next_node_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['practice_runs.id'], name=op.f('fk_practice_turns_run_id_practice_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_turns')),
    sa.UniqueConstraint('run_id', 'number', name=op.f('uq_practice_turns_run_id_number'))
    )
    with op.batch_alter_table('practice_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_turns_run_id'), ['run_id'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scenario_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('medal', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('closed_by_run_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assignments_scenario_id_scenarios'), 'scenarios', ['scenario_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_assignments_closed_by_run_id_practice_runs'), 'practice_runs', ['closed_by_run_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_assignments_scenario_id'), ['scenario_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('ck_assignments_one_work'), type_='check')
        batch_op.create_check_constraint('one_work', ONE_WORK)
        batch_op.create_index('uq_assignments_open_scenario', ['user_id', 'scenario_id'], unique=True, sqlite_where=sa.text(OPEN_SCENARIO), postgresql_where=sa.text(OPEN_SCENARIO))



def downgrade() -> None:
    op.execute("DELETE FROM assignments WHERE scenario_id IS NOT NULL")
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('uq_assignments_open_scenario', sqlite_where=sa.text(OPEN_SCENARIO), postgresql_where=sa.text(OPEN_SCENARIO))
        batch_op.drop_constraint(batch_op.f('ck_assignments_one_work'), type_='check')
        batch_op.create_check_constraint('one_work', '(course_id IS NULL) <> (quiz_id IS NULL)')
        batch_op.drop_index(batch_op.f('ix_assignments_scenario_id'))
        batch_op.drop_constraint(batch_op.f('fk_assignments_closed_by_run_id_practice_runs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_assignments_scenario_id_scenarios'), type_='foreignkey')
        batch_op.drop_column('closed_by_run_id')
        batch_op.drop_column('medal')
        batch_op.drop_column('scenario_id')

    with op.batch_alter_table('practice_turns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_turns_run_id'))

    op.drop_table('practice_turns')
    with op.batch_alter_table('practice_runs', schema=None) as batch_op:
        batch_op.drop_index('uq_practice_runs_one_active', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index(batch_op.f('ix_practice_runs_user_id'))
        batch_op.drop_index(batch_op.f('ix_practice_runs_scenario_id'))

    op.drop_table('practice_runs')
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_scenarios_current_version_id_scenario_versions'), type_='foreignkey')
    with op.batch_alter_table('scenario_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_versions_scenario_id'))

    op.drop_table('scenario_versions')
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenarios_course_id'))

    op.drop_table('scenarios')
