"""Chat replies through the API: one message at a time, or the messages form; both as documented."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.accounts.tokens import create_token
from lms.domain.curriculum.sync import sync_content
from tests.factories import UserFactory

QUESTION = "reply-closing-rating-invite"


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


def _valid(spec: dict[str, Any], path: str, method: str, status: int, body: Any) -> None:
    declared = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in declared:
        declared = spec["components"]["responses"][declared["$ref"].rsplit("/", 1)[1]]
    schema = declared["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": spec["components"]}).validate(body)


def test_one_message_at_a_time_and_the_messages_form(client: FlaskClient, api) -> None:
    spec = client.get("/api/v1/openapi.json").json
    attempt = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json
    base = f"/api/v1/attempts/{attempt['id']}/responses/{QUESTION}"
    first = client.post(f"{base}/messages", json={"text": "亲，稍等，我帮您看一下"}, headers=api)
    assert first.status_code == 201
    _valid(spec, "/attempts/{attempt_id}/responses/{question_id}/messages", "post", 201, first.json)
    second = client.post(f"{base}/messages", json={"text": "感谢您的支持"}, headers=api)
    messages = second.json["response"]["messages"]
    assert [m["text"] for m in messages] == ["亲，稍等，我帮您看一下", "感谢您的支持"]
    assert all(isinstance(m["seconds"], float) for m in messages)
    # The messages form keeps the stamps of what the server already has and adds one more.
    again = client.put(base, json={"messages": [m["text"] for m in messages] + ["麻烦给个评价"]}, headers=api)
    assert again.status_code == 200
    _valid(spec, "/attempts/{attempt_id}/responses/{question_id}", "put", 200, again.json)
    kept = again.json["response"]["messages"]
    assert [m["seconds"] for m in kept[:2]] == [m["seconds"] for m in messages] and len(kept) == 3
    one = client.put(base, json={"text": "亲，谢谢您，麻烦评价一下我的服务"}, headers=api)
    assert [m["text"] for m in one.json["response"]["messages"]] == ["亲，谢谢您，麻烦评价一下我的服务"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": "  "}, 422),
        ({"text": 3}, 422),
        ({"messages": ["x"]}, 422),
        ({"text": "x" * 10_001}, 422),
    ],
)
def test_bad_messages_are_refused(client: FlaskClient, api, body: dict[str, Any], status: int) -> None:
    attempt = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json
    response = client.post(
        f"/api/v1/attempts/{attempt['id']}/responses/{QUESTION}/messages", json=body, headers=api
    )
    assert response.status_code == status and response.json["error"]["code"] == "invalid_response"


def test_a_message_for_a_question_that_is_not_a_reply_is_refused(client: FlaskClient, api) -> None:
    attempt = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=api).json
    response = client.post(
        f"/api/v1/attempts/{attempt['id']}/responses/first-reply-seconds/messages",
        json={"text": "20"},
        headers=api,
    )
    assert response.status_code == 422
    forged = client.put(
        f"/api/v1/attempts/{attempt['id']}/responses/{QUESTION}",
        json={"messages": [{"text": "亲", "seconds": 0}]},
        headers=api,
    )
    assert forged.status_code == 422 and forged.json["error"]["field"] == "messages"
