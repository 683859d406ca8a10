"""The quiz API: start, save by question id and 0-based positions, 422 naming the field, submit, review."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.accounts.tokens import create_token
from lms.domain.curriculum.sync import sync_content
from lms.domain.learning.answer_saves import KNOWN_ITEMS
from tests.factories import UserFactory


@pytest.fixture
def api(db: Session):  # type: ignore[no-untyped-def]
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    user = UserFactory(username="api-learner")
    db.flush()
    _t, secret = create_token(db, user, "phone")
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_a_whole_attempt_through_the_api(client: FlaskClient, api) -> None:
    info = client.get("/api/v1/quizzes/house-rules-check", headers=api).json
    assert info["pass_percent"] == 70 and info["can_start"] is True and info["questions"] == 12
    started = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api)
    assert started.status_code == 201
    attempt = started.json
    assert attempt["deadline"] is None and len(attempt["questions"]) == 12
    text = started.get_data(as_text=True)
    assert "weight" not in text and "model_answer" not in text and "feedback" not in text
    numeric = next(q for q in attempt["questions"] if q["id"] == "first-reply-seconds")
    saved = client.put(
        f"/api/v1/attempts/{attempt['id']}/responses/{numeric['id']}", json={"value": 20}, headers=api
    )
    assert saved.status_code == 200 and saved.json["response"] == {"value": 20}
    quality = next(q for q in attempt["questions"] if q["id"] == "holding-reply-first")
    # choices are addressed by their position in the file, whatever the display shuffle
    right = client.put(
        f"/api/v1/attempts/{attempt['id']}/responses/holding-reply-first", json={"choice": 0}, headers=api
    )
    assert right.status_code == 200 and {o["index"] for o in quality["display"]["options"]} == {0, 1, 2, 3}
    result = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=api).json
    assert result["status"] == "graded" and result["score"] == 2.0 and result["max"] == 17.0
    assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=api).json == result  # idempotent
    review = client.get(f"/api/v1/attempts/{attempt['id']}", headers=api).json
    first = next(q for q in review["questions"] if q["id"] == "first-reply-seconds")
    assert first["score"] == 1.0 and first["key"]["answers"][0]["value"] == 20


@pytest.mark.parametrize(
    ("question", "body", "field"),
    [
        ("holding-reply-first", {"choice": 7}, "choice"),
        ("holding-reply-first", {"choices": [0]}, "choice"),
        ("first-reply-seconds", {"value": "twenty"}, "value"),
        ("handover-steps", {"order": [0, 0, 1, 2]}, "order"),
        ("typing-template-values", {"pairs": {"0": 9}}, "pairs"),
        ("shift-times", {"gaps": ["08:30"]}, "gaps"),
    ],
)
def test_malformed_responses_are_422_naming_the_field(
    client: FlaskClient, api, question: str, body, field: str
) -> None:
    attempt = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json
    response = client.put(f"/api/v1/attempts/{attempt['id']}/responses/{question}", json=body, headers=api)
    assert response.status_code == 422
    assert response.json["error"]["field"] == field


def test_errors_have_the_right_status(app, client: FlaskClient, api, db: Session) -> None:
    assert client.get("/api/v1/quizzes/nope", headers=api).status_code == 404
    attempt = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json
    assert (
        client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/unknown", json={"text": "x"}, headers=api
        ).status_code
        == 404
    )
    assert (
        client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/shifts", data="not json", headers=api
        ).status_code
        == 400
    )
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=api)
    late = client.put(
        f"/api/v1/attempts/{attempt['id']}/responses/shifts", json={"gaps": ["08:30", "00:30"]}, headers=api
    )
    assert late.status_code == 409 and "submitted" in late.json["error"]["message"]
    other = UserFactory()
    db.flush()
    _t, secret = create_token(db, other, "x")
    db.commit()
    assert (
        client.get(
            f"/api/v1/attempts/{attempt['id']}", headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 404
    )


def test_exam_review_waits_until_passed(client: FlaskClient, api) -> None:
    attempt = client.post("/api/v1/quizzes/warehouse-week-exam/attempts", headers=api).json
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=api)
    review = client.get(f"/api/v1/attempts/{attempt['id']}", headers=api).json
    assert review["passed"] is False
    assert all("key" not in q for q in review["questions"])
    retry = client.post("/api/v1/quizzes/warehouse-week-exam/attempts", headers=api)
    assert retry.status_code == 409  # the 60-minute cooldown holds


def test_saving_one_answer_reads_one_item_and_touches_the_token_once_a_minute(
    client: FlaskClient, api, db: Session, count_queries
) -> None:
    import datetime as dt

    from sqlalchemy import select

    from lms.models import ApiToken

    small = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json  # 12 questions
    large = client.post("/api/v1/quizzes/warehouse-week-exam/attempts", headers=api).json
    assert len(large["questions"]) > len(small["questions"])

    def save(attempt, question: str) -> list[str]:  # type: ignore[no-untyped-def]
        with count_queries() as counter:
            url = f"/api/v1/attempts/{attempt['id']}/responses/{question}"
            assert client.put(url, json={"value": 20}, headers=api).status_code in (200, 422)
        return [s for s in counter.statements if "UPDATE api_tokens" in s or "JOIN attempt_items" in s]

    token = db.scalars(select(ApiToken)).one()
    token.last_used_at = None
    db.commit()
    first = save(small, "first-reply-seconds")
    assert sum("UPDATE api_tokens" in s for s in first) == 1  # never used: stamped
    numeric = next(q["id"] for q in large["questions"] if q["type"] == "numeric")
    # Started in this worker: even a question's first save needs no read.
    with count_queries() as started_here:
        client.put(f"/api/v1/attempts/{large['id']}/responses/{numeric}", json={"value": 20}, headers=api)
    assert started_here.count == 2, started_here.statements
    assert started_here.statements[-1].lstrip().startswith("UPDATE attempt_items")
    KNOWN_ITEMS.clear()  # as in a worker that neither started the attempt nor saved into it
    with count_queries() as on_large:  # the first save of this question in this worker
        client.put(f"/api/v1/attempts/{large['id']}/responses/{numeric}", json={"value": 21}, headers=api)
    # the token with its user and roles (on PostgreSQL taking the learner's lock in the same
    # statement), the attempt with the item (after the lock), the UPDATE
    assert on_large.count == 3, on_large.statements
    locks = [s for s in on_large.statements if "FOR UPDATE" in s]
    if "postgresql" in str(db.get_bind().url):
        assert len(locks) == 1 and "FROM api_tokens JOIN users" in locks[0], locks
    else:
        assert locks == []
    reads = [s for s in on_large.statements if "attempt_items" in s and s.lstrip().startswith("SELECT")]
    assert len(reads) == 1 and "FROM attempts LEFT OUTER JOIN attempt_items" in reads[0]
    assert "attempt_items.question_key =" in reads[0]  # the one item saved…
    assert "attempt_items.attempt_id IN" not in reads[0]  # …not all 18 of the attempt

    # Saved into before (in this worker): no read, the same count whatever the quiz's size.
    save(small, "first-reply-seconds")  # read again after the emptying above, and kept
    with count_queries() as on_small:
        client.put(
            f"/api/v1/attempts/{small['id']}/responses/first-reply-seconds", json={"value": 21}, headers=api
        )
    with count_queries() as again_large:
        client.put(f"/api/v1/attempts/{large['id']}/responses/{numeric}", json={"value": 22}, headers=api)
    assert on_small.count == again_large.count == 2, again_large.statements
    assert not any(s.lstrip().startswith("SELECT") and "attempt_items" in s for s in again_large.statements)
    assert again_large.statements[-1].lstrip().startswith("UPDATE attempt_items")
    assert not any(
        "UPDATE api_tokens" in s for s in started_here.statements + on_small.statements + on_large.statements
    )
    token.last_used_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)
    db.commit()
    assert (
        sum("UPDATE api_tokens" in s for s in save(small, "first-reply-seconds")) == 1
    )  # stale: stamped again


def test_start_and_submit_cost_the_same_statements_whatever_the_quiz_size(
    client: FlaskClient, api, count_queries
) -> None:
    counts = []
    for slug in ("house-rules-check", "warehouse-week-exam"):  # 12 and 18 questions
        with count_queries() as started:
            attempt = client.post(f"/api/v1/quizzes/{slug}/attempts", headers=api).json
        with count_queries() as submitted:
            assert client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=api).status_code == 200
        stamps = [s for s in started.statements + submitted.statements if "UPDATE api_tokens" in s]
        counts.append(
            (started.count + submitted.count - len(stamps), submitted.count)
        )  # the token's stamp: once a minute
        # submitting grades the items from rows: none is loaded as an object (with its display)
        reads = [s for s in submitted.statements if "attempt_items" in s and s.lstrip().startswith("SELECT")]
        assert len(reads) == 1 and "JOIN question_versions" in reads[0], submitted.statements
        assert "attempt_items.display" not in reads[0]
        writes = [s for s in submitted.statements if s.lstrip().startswith("UPDATE attempt_items")]
        assert len(writes) == 1  # every item's grading in one executemany
    assert counts[0] == counts[1], counts


def test_parallel_saves_against_one_version_through_the_api(app, client: FlaskClient, api) -> None:
    """Six clients save the same answer at once, each naming the version it saw: one is saved, the
    others are told another save came first (409). On PostgreSQL the learner's lock is taken by the
    token lookup itself, so this is what proves that lock serialises them."""
    import threading

    attempt = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json
    url = f"/api/v1/attempts/{attempt['id']}/responses/first-reply-seconds"
    barrier = threading.Barrier(6)
    statuses: list[int] = []

    def save(seconds: int) -> None:
        mine = app.test_client()
        barrier.wait()
        response = mine.put(url, json={"value": seconds}, headers={**api, "If-Match": '"0"'})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=save, args=(10 + n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409, 409, 409, 409, 409], statuses
    review = client.get(f"/api/v1/attempts/{attempt['id']}", headers=api).json
    saved = next(q for q in review["questions"] if q["id"] == "first-reply-seconds")
    assert saved["version"] == 1


def test_an_odd_if_match_is_a_400(client: FlaskClient, api) -> None:
    """ "²" passes `str.isdigit` and breaks `int`: it is refused as any malformed If-Match is."""
    attempt = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json
    url = f"/api/v1/attempts/{attempt['id']}/responses/first-reply-seconds"
    for raw in ('"²"', "²", '"--1"', "9" * 5000):
        response = client.put(url, json={"value": 20}, headers={**api, "If-Match": raw})
        assert response.status_code == 400 and response.json["error"]["field"] == "If-Match", raw


def test_a_save_with_a_body_nested_too_deeply_is_a_400(client: FlaskClient, api) -> None:
    attempt = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json
    answer = client.put(
        f"/api/v1/attempts/{attempt['id']}/responses/first-reply-seconds",
        data="[" * 5000 + "]" * 5000,
        content_type="application/json",
        headers=api,
    )
    assert answer.status_code == 400 and answer.json["error"]["code"] == "bad_request"
