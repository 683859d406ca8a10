"""The script library page: every entry and product in the reader's language, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.models import FaqEntry, Product, User


def _add(db: Session, start: int, count: int) -> None:
    for n in range(start, start + count):
        db.add(
            FaqEntry(
                key=f"entry-{n}",
                kind="reply",
                question=f"第{n}个问题：今天能发货吗？",
                answer="亲，16点前付款的订单当天发出哦。",
                tags=["shipping"],
                phrasings=["今天能发吗"],
                en={
                    "question": f"Question {n}: do you ship today?",
                    "answer": "Paid before 16:00, ships today.",
                },
                position=n,
                content_hash="x",
            )
        )
        db.add(
            Product(
                sku=f"BG-T-{n:03d}",
                name=f"帆布包{n}号",
                price=59,
                details={"material": "水洗棉帆布"},
                en={"name": f"Canvas bag no. {n}", "material": "Washed cotton canvas"},
                content_hash="x",
            )
        )
    db.commit()


def test_the_library_shows_chinese_or_english_and_keeps_chat_lines_chinese(
    client: FlaskClient, db: Session, login_as: Callable[..., User]
) -> None:
    _add(db, 1, 1)
    user = login_as("learner", locale="zh_Hans")
    page = client.get("/learn/library").get_data(as_text=True)
    assert "第1个问题：今天能发货吗？" in page and "帆布包1号" in page and "水洗棉帆布" in page
    assert "Canvas bag no. 1" not in page
    user.locale = "en"
    db.commit()
    page = client.get("/learn/library").get_data(as_text=True)
    assert "Question 1: do you ship today?" in page and "Canvas bag no. 1" in page
    assert "Washed cotton canvas" in page
    # What the agent sends stays Chinese, with the English beside it.
    assert "亲，16点前付款的订单当天发出哦。" in page and "Paid before 16:00, ships today." in page


def test_the_library_runs_the_same_queries_whatever_its_size(
    client: FlaskClient, db: Session, login_as: Callable[..., User], count_queries: Any
) -> None:
    login_as("learner")
    _add(db, 1, 2)
    with count_queries() as few:
        assert client.get("/learn/library").status_code == 200
    _add(db, 3, 20)
    with count_queries() as many:
        assert client.get("/learn/library").status_code == 200
    assert many.count == few.count
