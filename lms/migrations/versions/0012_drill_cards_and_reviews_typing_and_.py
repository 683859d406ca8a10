"""drill cards and reviews, typing and first-response runs, focus drills

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-03 05:29:30.592897
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lms.db

revision: str = "0012"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "drill_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_review", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_days", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("serve", sa.Integer(), nullable=False),
        sa.Column("served_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_serve", sa.Integer(), nullable=False),
        sa.Column("hinted", sa.Boolean(), nullable=False),
        sa.Column("created_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["faq_entries.id"],
            name=op.f("fk_drill_cards_entry_id_faq_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_drill_cards_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill_cards")),
        sa.UniqueConstraint("user_id", "entry_id", name=op.f("uq_drill_cards_user_id_entry_id")),
    )
    with op.batch_alter_table("drill_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drill_cards_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index("ix_drill_cards_user_due", ["user_id", "due"], unique=False)

    op.create_table(
        "first_response_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("served_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("fitting", sa.Boolean(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["faq_entries.id"],
            name=op.f("fk_first_response_runs_entry_id_faq_entries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_first_response_runs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_first_response_runs")),
    )
    with op.batch_alter_table("first_response_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_first_response_runs_user_id"), ["user_id"], unique=False)

    op.create_table(
        "focus_drills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["users.id"],
            name=op.f("fk_focus_drills_assigned_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_focus_drills_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_focus_drills")),
        sa.UniqueConstraint("user_id", "topic", name=op.f("uq_focus_drills_user_id_topic")),
    )
    op.create_table(
        "typing_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("started_at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("cpm", sa.Float(), nullable=True),
        sa.Column("accuracy", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["faq_entries.id"],
            name=op.f("fk_typing_runs_entry_id_faq_entries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_typing_runs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_typing_runs")),
    )
    with op.batch_alter_table("typing_runs", schema=None) as batch_op:
        batch_op.create_index("ix_typing_runs_user_at", ["user_id", "finished_at"], unique=False)

    op.create_table(
        "drill_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("at", lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("serve", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.CheckConstraint("source IN ('drill', 'exam', 'qc')", name=op.f("ck_drill_reviews_known_source")),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name=op.f("ck_drill_reviews_rating_range")),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["drill_cards.id"],
            name=op.f("fk_drill_reviews_card_id_drill_cards"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_drill_reviews_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill_reviews")),
        sa.UniqueConstraint("card_id", "serve", name=op.f("uq_drill_reviews_card_id_serve")),
    )
    with op.batch_alter_table("drill_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_drill_reviews_user_at", ["user_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("drill_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_drill_reviews_user_at")

    op.drop_table("drill_reviews")
    with op.batch_alter_table("typing_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_typing_runs_user_at")

    op.drop_table("typing_runs")
    op.drop_table("focus_drills")
    with op.batch_alter_table("first_response_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_first_response_runs_user_id"))

    op.drop_table("first_response_runs")
    with op.batch_alter_table("drill_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_drill_cards_user_due")
        batch_op.drop_index(batch_op.f("ix_drill_cards_entry_id"))

    op.drop_table("drill_cards")
