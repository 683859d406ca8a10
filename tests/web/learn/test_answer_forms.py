"""Every question type renders as a form and its answer reaches the engine in the API's shape."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.models import Attempt
from lms.web.learn.answers import response_from_form

MATCH_DISPLAY = {"lefts": [{"index": 0, "text": "a"}, {"index": 1, "text": "b"}], "rights": []}


@pytest.mark.parametrize(
    ("qtype", "form", "display", "expected"),
    [
        ("single", {"choice": "2"}, {}, {"choice": 2}),
        ("multiple", [("choices-shown", "1"), ("choices", "0"), ("choices", "3")], {}, {"choices": [0, 3]}),
        ("multiple", [("choices-shown", "1")], {}, {"choices": []}),
        ("truefalse", {"value": "false"}, {}, {"value": False}),
        ("short", {"text": "72 小时"}, {}, {"text": "72 小时"}),
        ("numeric", {"value": "2,5"}, {}, {"value": 2.5}),
        ("numeric", {"value": "72"}, {}, {"value": 72}),
        ("matching", {"pair-0": "1", "pair-1": "0"}, MATCH_DISPLAY, {"pairs": {"0": 1, "1": 0}}),
        (
            "ordering",
            {"order-0": "2", "order-1": "0", "order-2": "1"},
            {"items": [{}, {}, {}]},
            {"order": [2, 0, 1]},
        ),
        ("cloze", {"gap-1": "72", "gap-2": "7"}, {"gaps": 2}, {"gaps": ["72", "7"]}),
        ("essay", {"text": "Patina."}, {}, {"text": "Patina."}),
        ("reply", {"text": "亲，在的"}, {}, {"text": "亲，在的"}),
        ("single", {}, {}, None),
    ],
)
def test_forms_become_api_shaped_responses(qtype: str, form, display, expected) -> None:  # type: ignore[no-untyped-def]
    assert response_from_form(qtype, MultiDict(form), display) == expected


def test_every_type_renders_and_saves(client: FlaskClient, login_as, db: Session) -> None:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    db.commit()
    login_as("learner")
    seen = set()
    for slug in ("warehouse-week-check", "warehouse-week-exam"):  # together they use every type
        started = client.post(f"/learn/quizzes/{slug}/start")
        attempt_id = int(started.headers["Location"].split("/")[-2])
        attempt = db.get(Attempt, attempt_id)
        for position, item in enumerate(attempt.items):
            page = client.get(f"/learn/attempts/{attempt_id}/{position}")
            assert page.status_code == 200, (slug, item.question_key)
            html = page.get_data(as_text=True)
            kind = item.version.type
            seen.add(kind)
            marker = {
                "single": 'type="radio" name="choice"',
                "multiple": 'type="checkbox" name="choices"',
                "truefalse": 'name="value" value="true"',
                "short": 'name="text"',
                "numeric": 'name="value"',
                "matching": 'name="pair-',
                "ordering": 'name="order-0"',
                "cloze": 'name="gap-1"',
                "essay": "<textarea",
                "reply": 'class="bubble customer"',
            }[kind]
            assert marker in html, (kind, item.question_key)
    assert seen == {
        "single",
        "multiple",
        "truefalse",
        "short",
        "numeric",
        "matching",
        "ordering",
        "cloze",
        "essay",
        "reply",
    }
    assert db.scalars(select(Attempt)).all()
