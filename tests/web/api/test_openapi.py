"""The OpenAPI document matches the implementation: real responses validate against it."""

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
from lms.models import Lesson
from tests.factories import UserFactory


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def _validate(spec: dict[str, Any], path: str, method: str, status: int, body: Any) -> None:
    operation = spec["paths"][path][method]
    declared = operation["responses"][str(status)]
    if "$ref" in declared:
        declared = spec["components"]["responses"][declared["$ref"].rsplit("/", 1)[1]]
    schema = declared["content"]["application/json"]["schema"]
    # "#/components/..." references resolve inside a root that carries the components.
    Draft202012Validator({**schema, "components": spec["components"]}).validate(body)


def test_every_route_is_documented(app, spec) -> None:
    documented = {"/api/v1" + p.replace("{", "<").replace("}", ">") for p in spec["paths"]}
    routes = {
        r.rule.replace("<int:", "<")
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1") and r.endpoint != "api.openapi"
    }
    assert routes == documented


def test_responses_match_the_document(client: FlaskClient, spec, db: Session) -> None:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    user = UserFactory()
    db.flush()
    _t, secret = create_token(db, user, "schema")
    db.commit()
    h = {"Authorization": f"Bearer {secret}"}
    calls = [
        ("/me", "get", client.get("/api/v1/me", headers=h)),
        ("/courses", "get", client.get("/api/v1/courses", headers=h)),
        ("/courses/{slug}", "get", client.get("/api/v1/courses/house-rules", headers=h)),
        ("/courses/{slug}", "get", client.get("/api/v1/courses/nope", headers=h)),
        ("/quizzes/{slug}", "get", client.get("/api/v1/quizzes/house-rules-check", headers=h)),
    ]
    lesson_id = db.query(Lesson.id).first()[0]
    calls.append(
        ("/lessons/{lesson_id}/done", "post", client.post(f"/api/v1/lessons/{lesson_id}/done", headers=h))
    )
    started = client.post("/api/v1/quizzes/house-rules-check/attempts", headers=h)
    calls.append(("/quizzes/{slug}/attempts", "post", started))
    aid = started.json["id"]
    calls.append(
        (
            "/attempts/{attempt_id}/responses/{question_id}",
            "put",
            client.put(
                f"/api/v1/attempts/{aid}/responses/first-reply-seconds", json={"value": 20}, headers=h
            ),
        )
    )
    calls.append(
        (
            "/attempts/{attempt_id}/responses/{question_id}",
            "put",
            client.put(
                f"/api/v1/attempts/{aid}/responses/first-reply-seconds", json={"value": "x"}, headers=h
            ),
        )
    )
    calls.append(
        ("/attempts/{attempt_id}/submit", "post", client.post(f"/api/v1/attempts/{aid}/submit", headers=h))
    )
    calls.append(("/attempts/{attempt_id}", "get", client.get(f"/api/v1/attempts/{aid}", headers=h)))
    calls.append(("/me", "get", client.get("/api/v1/me")))
    for path, method, response in calls:
        _validate(spec, path, method, response.status_code, response.json)
