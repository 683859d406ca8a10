"""bilingual curriculum: Chinese in the main columns, English beside it

Courses, lessons, quizzes and the programme get `*_en` columns; question versions, FAQ entries and
products an `en` JSON overlay (the English of their texts, same shapes). The old `title_zh` /
`name_zh` columns held the Chinese beside an English main column: their Chinese moves into the
main column and the English into the new one. FAQ entries gain `day`, `key_points` and `steps`.
A user's language may be empty (""): no saved preference, follow the browser's choice.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-10 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"  # re-chained after merging main (0011 store codes, 0008 reliability)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, main column, legacy Chinese column, new English column, size)
_SWAPPED = (
    ("courses", "title", "title_zh", "title_en", 200),
    ("quizzes", "title", "title_zh", "title_en", 200),
)


def upgrade() -> None:
    with op.batch_alter_table("courses") as batch:
        batch.add_column(sa.Column("title_en", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("summary_en", sa.Text(), nullable=True))
    with op.batch_alter_table("lessons") as batch:
        batch.add_column(sa.Column("title_en", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("body_en", sa.Text(), nullable=True))
    with op.batch_alter_table("quizzes") as batch:
        batch.add_column(sa.Column("title_en", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("description_en", sa.Text(), nullable=True))
    with op.batch_alter_table("programmes") as batch:
        batch.add_column(sa.Column("title_en", sa.String(length=200), nullable=True))
    with op.batch_alter_table("question_versions") as batch:
        batch.add_column(sa.Column("en", sa.JSON(), nullable=True))
    with op.batch_alter_table("faq_entries") as batch:
        batch.add_column(sa.Column("day", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("key_points", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("steps", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("en", sa.JSON(), nullable=True))
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("en", sa.JSON(), nullable=True))
    for table, main, chinese, english, _size in _SWAPPED:
        op.execute(
            f"UPDATE {table} SET {english} = {main}, {main} = {chinese} "  # noqa: S608 - fixed names
            f"WHERE {chinese} IS NOT NULL AND {chinese} <> ''"
        )
        with op.batch_alter_table(table) as batch:
            batch.drop_column(chinese)
    products = sa.table(
        "products",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_zh", sa.String),
        sa.column("en", sa.JSON),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(products.c.id, products.c.name, products.c.name_zh)).all():
        if row.name_zh:
            bind.execute(
                products.update()
                .where(products.c.id == row.id)
                .values(name=row.name_zh, en={"name": row.name})
            )
    with op.batch_alter_table("products") as batch:
        batch.drop_column("name_zh")


def downgrade() -> None:
    users = sa.table("users", sa.column("locale", sa.String))
    op.execute(users.update().where(users.c.locale == "").values(locale="en"))
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("name_zh", sa.String(length=200), nullable=True))
    products = sa.table(
        "products",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_zh", sa.String),
        sa.column("en", sa.JSON),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(products.c.id, products.c.name, products.c.en)).all():
        english = (row.en or {}).get("name") if isinstance(row.en, dict) else None
        if english:
            bind.execute(
                products.update().where(products.c.id == row.id).values(name=english, name_zh=row.name)
            )
    for table, main, chinese, english, size in _SWAPPED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(chinese, sa.String(length=size), nullable=True))
        op.execute(
            f"UPDATE {table} SET {chinese} = {main}, {main} = {english} "  # noqa: S608 - fixed names
            f"WHERE {english} IS NOT NULL AND {english} <> ''"
        )
    with op.batch_alter_table("products") as batch:
        batch.drop_column("en")
    with op.batch_alter_table("faq_entries") as batch:
        for column in ("en", "steps", "key_points", "day"):
            batch.drop_column(column)
    with op.batch_alter_table("question_versions") as batch:
        batch.drop_column("en")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("title_en")
    with op.batch_alter_table("quizzes") as batch:
        batch.drop_column("description_en")
        batch.drop_column("title_en")
    with op.batch_alter_table("lessons") as batch:
        batch.drop_column("body_en")
        batch.drop_column("title_en")
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("summary_en")
        batch.drop_column("title_en")
