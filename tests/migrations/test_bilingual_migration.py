"""Migration 0010: the Chinese moves into the main columns, the English beside it, and back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text


def _rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_titles_and_names_swap_languages_and_come_back(alembic_runner: Any, alembic_engine: Engine) -> None:
    alembic_runner.migrate_up_to("0007")
    with alembic_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO courses (slug, title, title_zh, summary, version_major, version_minor, topics,"
                " refresher_on_major, published, content_hash, created_at, updated_at) VALUES"
                " ('a', 'House rules', '店规', '', 1, 0, '[]', false, true, '', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP),"
                " ('b', 'Only English', NULL, '', 1, 0, '[]', false, true, '', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO products (sku, name, name_zh, price, details, active, content_hash) VALUES"
                " ('BG-1', 'Canvas bag', '帆布包', 59, '{}', true, ''),"
                " ('BG-2', 'Plain', NULL, 9, '{}', true, '')"
            )
        )
    alembic_runner.migrate_up_to("0010")
    assert _rows(alembic_engine, "SELECT slug, title, title_en FROM courses ORDER BY slug") == [
        ("a", "店规", "House rules"),
        ("b", "Only English", None),
    ]
    products = _rows(alembic_engine, "SELECT sku, name, en FROM products ORDER BY sku")
    assert [p[:2] for p in products] == [("BG-1", "帆布包"), ("BG-2", "Plain")]
    assert "Canvas bag" in str(products[0][2]) and products[1][2] is None
    alembic_runner.migrate_down_to("0007")
    assert _rows(alembic_engine, "SELECT slug, title, title_zh FROM courses ORDER BY slug") == [
        ("a", "House rules", "店规"),
        ("b", "Only English", None),
    ]
    assert _rows(alembic_engine, "SELECT sku, name, name_zh FROM products ORDER BY sku") == [
        ("BG-1", "Canvas bag", "帆布包"),
        ("BG-2", "Plain", None),
    ]
