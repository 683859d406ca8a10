"""indexes for the cache fingerprints and for a cohort's members

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-03

The leaderboard keeps its floor per process, and the question statistics their reports, and each
reads a fingerprint on every view to know whether what it kept is still right. Without these, the
leaderboard's figures scanned whole tables (10,000 agents: about 3 ms a view on SQLite) and the
report's read every graded attempt of the quiz (50,000: 14 ms); with them each figure is an index
lookup or an index-only count. A cohort's members were found by scanning every person: the
cohort matrix asks five times a view (10,000 agents: 1.4 ms each). Indexes only: nothing is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0017'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_certificates_revoked_at', 'certificates', ['revoked_at'])
    op.create_index('ix_kpi_records_imported_at', 'kpi_records', ['imported_at'])
    op.create_index('ix_users_active', 'users', ['active'])
    op.create_index('ix_users_cohort_id', 'users', ['cohort_id'])
    op.create_index('ix_attempts_quiz_status_graded_at', 'attempts', ['quiz_id', 'status', 'graded_at'])


def downgrade() -> None:
    op.drop_index('ix_users_cohort_id', table_name='users')
    op.drop_index('ix_attempts_quiz_status_graded_at', table_name='attempts')
    op.drop_index('ix_users_active', table_name='users')
    op.drop_index('ix_kpi_records_imported_at', table_name='kpi_records')
    op.drop_index('ix_certificates_revoked_at', table_name='certificates')
