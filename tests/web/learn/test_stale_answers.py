"""Two tabs on one question: the older tab's save is refused (409) and the newer answer stays."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.domain.accounts.tokens import create_token
from lms.models import Attempt
from tests.domain.learning.test_attempts import make_quiz

VERSION = re.compile(r'name="answer_version" id="answer-version" value="(\d+)"')


@pytest.fixture
def question(client: FlaskClient, login_as, db: Session) -> dict[str, object]:
    """A learner's attempt open on the numeric question; the page's URL and its answer version."""
    learner = login_as("learner")
    quiz = make_quiz(db)
    start = client.post(f"/learn/quizzes/{quiz.slug}/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/0", start.headers["Location"]).group(1))
    attempt = db.get(Attempt, attempt_id)
    position = next(i for i, it in enumerate(attempt.items) if it.question_key == "hours")
    url = f"/learn/attempts/{attempt_id}/{position}"
    return {"learner": learner, "attempt": attempt_id, "position": position, "url": url}


def _stored(db: Session, attempt_id: object, position: object):  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.get(Attempt, attempt_id).items[position]  # type: ignore[index]


def test_the_page_carries_the_answer_version(client: FlaskClient, question) -> None:  # type: ignore[no-untyped-def]
    page = client.get(question["url"]).get_data(as_text=True)
    assert VERSION.search(page).group(1) == "0"


def test_a_stale_tab_cannot_overwrite_the_newer_answer(
    client: FlaskClient, db: Session, question
) -> None:  # type: ignore[no-untyped-def]
    url = question["url"]
    first_tab = VERSION.search(client.get(url).get_data(as_text=True)).group(1)
    second_tab = VERSION.search(client.get(url).get_data(as_text=True)).group(1)
    saved = client.post(url, data={"value": "72", "answer_version": second_tab, "go": "next"})
    assert saved.status_code == 302
    refused = client.post(url, data={"value": "24", "answer_version": first_tab, "go": "next"})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "changed in another window" in page and "newer answer is shown below" in page
    assert 'value="72"' in page  # the newer answer is what the page now shows
    assert VERSION.search(page).group(1) == "1"  # saving from here works again
    stored = _stored(db, question["attempt"], question["position"])
    assert stored.response == {"value": 72} and stored.response_version == 1


def test_autosave_returns_the_new_version_and_refuses_a_stale_one(
    client: FlaskClient, db: Session, question
) -> None:  # type: ignore[no-untyped-def]
    autosave = question["url"] + "/autosave"
    ok = client.post(autosave, data={"value": "72", "answer_version": "0"})
    assert ok.status_code == 200
    body = ok.get_data(as_text=True)
    assert "Saved at" in body and 'value="1" hx-swap-oob="true"' in body
    again = client.post(autosave, data={"value": "48", "answer_version": "1"})
    assert again.status_code == 200 and 'value="2"' in again.get_data(as_text=True)
    stale = client.post(autosave, data={"value": "24", "answer_version": "1"})
    assert stale.status_code == 409
    assert "changed in another window" in stale.get_data(as_text=True)
    assert "hx-swap-oob" not in stale.get_data(as_text=True)  # the tab stays stale until reloaded
    assert _stored(db, question["attempt"], question["position"]).response == {"value": 48}


def test_the_stale_message_is_in_chinese_too(client: FlaskClient, db: Session, question) -> None:  # type: ignore[no-untyped-def]
    question["learner"].locale = "zh_Hans"
    db.commit()
    autosave = question["url"] + "/autosave"
    client.post(autosave, data={"value": "72", "answer_version": "0"})
    stale = client.post(autosave, data={"value": "24", "answer_version": "0"})
    assert stale.status_code == 409 and "另一个窗口" in stale.get_data(as_text=True)


def test_a_form_without_a_version_saves_as_before(client: FlaskClient, db: Session, question) -> None:  # type: ignore[no-untyped-def]
    client.post(question["url"], data={"value": "72", "answer_version": "0"})
    assert client.post(question["url"], data={"value": "48"}).status_code == 302
    assert _stored(db, question["attempt"], question["position"]).response == {"value": 48}


def test_the_api_keeps_last_write_wins_and_honours_if_match(
    app: Flask, db: Session, question
) -> None:  # type: ignore[no-untyped-def]
    _token, secret = create_token(db, question["learner"], "phone")
    db.commit()
    api, auth = app.test_client(), {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/attempts/{question['attempt']}/responses/hours"
    first = api.put(url, json={"value": 72}, headers=auth)
    assert first.status_code == 200 and first.json["version"] == 1 and first.headers["ETag"] == '"1"'
    plain = api.put(url, json={"value": 48}, headers=auth)  # no If-Match: the last save wins
    assert plain.status_code == 200 and plain.json["version"] == 2
    stale = api.put(url, json={"value": 24}, headers={**auth, "If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "stale_answer" and stale.headers["ETag"] == '"2"'
    fresh = api.put(url, json={"value": 24}, headers={**auth, "If-Match": '"2"'})
    assert fresh.status_code == 200 and fresh.json["version"] == 3
    bad = api.put(url, json={"value": 24}, headers={**auth, "If-Match": "yesterday"})
    assert bad.status_code == 400 and bad.json["error"]["field"] == "If-Match"
    read = api.get(f"/api/v1/attempts/{question['attempt']}", headers=auth).json
    assert next(q for q in read["questions"] if q["id"] == "hours")["version"] == 3
    assert _stored(db, question["attempt"], question["position"]).response == {"value": 24}
