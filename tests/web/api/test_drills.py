"""The drill API: the next card without its answer, answers once per serve, nobody else's cards,
and the responses match the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.accounts.tokens import create_token
from lms.domain.curriculum.calendar_days import working_days_before
from lms.domain.curriculum.programme import load_schedule
from lms.domain.curriculum.sync import sync_content
from lms.models import FaqEntry
from tests.factories import CohortFactory, UserFactory
from tests.web.api.test_openapi import _validate
from tests.web.api.test_openapi import spec as spec  # noqa: F401 - the document fixture


@pytest.fixture
def two(db: Session) -> tuple[dict[str, str], dict[str, str]]:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()
    schedule = load_schedule(db)
    assert schedule is not None
    cohort = CohortFactory(
        start_date=working_days_before(dt.date.today(), 9, schedule.days_off, schedule.holidays)
    )
    db.flush()
    headers = []
    for name in ("drill-a", "drill-b"):
        user = UserFactory(username=name, cohort_id=cohort.id)
        db.flush()
        _t, secret = create_token(db, user, "phone")
        headers.append({"Authorization": f"Bearer {secret}"})
    db.commit()
    return headers[0], headers[1]


def test_a_card_through_the_api_and_nobody_elses(client: FlaskClient, db: Session, two, spec) -> None:
    mine, theirs = two
    nxt = client.get("/api/v1/drills/next", headers=mine)
    _validate(spec, "/drills/next", "get", 200, nxt.json)
    card = nxt.json["card"]
    entry = db.query(FaqEntry).filter_by(key=card["entry"]).one()
    assert entry.answer not in nxt.get_data(as_text=True)  # no model answer before answering
    listed = client.get("/api/v1/drills/cards", headers=mine)
    _validate(spec, "/drills/cards", "get", 200, listed.json)
    assert entry.answer not in listed.get_data(as_text=True) and len(listed.json["cards"]) >= 40
    one = client.get(f"/api/v1/drills/cards/{card['id']}", headers=mine)
    _validate(spec, "/drills/cards/{card_id}", "get", 200, one.json)
    assert entry.answer not in one.get_data(as_text=True)
    # Another agent: no reading, no answering, no rating.
    assert client.get(f"/api/v1/drills/cards/{card['id']}", headers=theirs).status_code == 404
    refused = client.post(
        f"/api/v1/drills/cards/{card['id']}/answers",
        json={"serve": card["serve"], "text": "亲"},
        headers=theirs,
    )
    assert refused.status_code == 404
    _validate(spec, "/drills/cards/{card_id}/answers", "post", 404, refused.json)
    # The learner cannot rate: a rating in the body is not a field; the answer is graded.
    answer = (
        {"serve": card["serve"], "text": "嗯"}
        if card["kind"] == "reply"
        else {"serve": card["serve"], "order": []}
    )
    first = client.post(f"/api/v1/drills/cards/{card['id']}/answers", json=answer, headers=mine)
    assert first.status_code == 200, first.json
    _validate(spec, "/drills/cards/{card_id}/answers", "post", 200, first.json)
    assert (
        first.json["rating"] == "again"
        and first.json["model_answer"] == entry.answer
        and first.json["reasons"]
    )
    again = client.post(
        f"/api/v1/drills/cards/{card['id']}/answers", json={**answer, "text": entry.answer}, headers=mine
    )
    assert again.json["id"] == first.json["id"] and again.json["rating"] == "again"  # one review per serve
    stale = client.post(
        f"/api/v1/drills/cards/{card['id']}/answers",
        json={"serve": card["serve"] + 3, "text": "x"},
        headers=mine,
    )
    assert stale.status_code == 409
    _validate(spec, "/drills/cards/{card_id}/answers", "post", 409, stale.json)
    bad = client.post(f"/api/v1/drills/cards/{card['id']}/answers", json={"rating": 3}, headers=mine)
    assert bad.status_code == 422
    _validate(spec, "/drills/cards/{card_id}/answers", "post", 422, bad.json)
