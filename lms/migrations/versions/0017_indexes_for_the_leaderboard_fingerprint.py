"""indexes for the leaderboard's fingerprint (revocations, KPI import times, inactive people)

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-03

The leaderboard keeps its floor per process and reads a fingerprint on every view to know whether
the floor is still right. Without these, three of its figures scanned whole tables (10,000 agents:
about 3 ms a view on SQLite); with them each is an index lookup. Indexes only: nothing is rebuilt.
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


def downgrade() -> None:
    op.drop_index('ix_users_active', table_name='users')
    op.drop_index('ix_kpi_records_imported_at', table_name='kpi_records')
    op.drop_index('ix_certificates_revoked_at', table_name='certificates')
