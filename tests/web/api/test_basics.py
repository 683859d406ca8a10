"""The JSON API: token auth, CSRF for cookie requests, identity, courses, lessons."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms import create_app
from lms.domain.accounts.tokens import create_token
from lms.models import LessonCompletion
from tests.conftest import TEST_PASSWORD, make_config
from tests.factories import CourseFactory, LessonFactory, UserFactory


@pytest.fixture
def learner_token(db: Session):
    user = UserFactory(username="wangfang", display_name="王芳")
    db.flush()
    _token, secret = create_token(db, user, "phone")
    db.commit()
    return user, {"Authorization": f"Bearer {secret}"}


def test_me_with_a_token(client, learner_token) -> None:
    _user, headers = learner_token
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.json["username"] == "wangfang" and response.json["roles"] == ["learner"]
    assert "Set-Cookie" not in response.headers


def test_no_or_bad_token_is_401_json(client) -> None:
    for headers in ({}, {"Authorization": "Bearer lms_wrong"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"


def test_tokens_are_refused_in_the_query_string(client, learner_token) -> None:
    _user, headers = learner_token
    secret = headers["Authorization"].split()[1]
    response = client.get(f"/api/v1/me?access_token={secret}")
    assert response.status_code in (400, 401)
    assert client.get(f"/api/v1/me?access_token={secret}", headers=headers).status_code == 400


def test_revoked_tokens_and_deactivated_users_stop_working(client, db: Session, learner_token) -> None:
    user, headers = learner_token
    user.active = False
    db.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_learner_tokens_never_reach_staff_views(app: Flask, client, db: Session) -> None:
    from lms.access import roles_required
    from lms.models import Role

    app.add_url_rule("/api/v1/staff-probe", "staff_probe", roles_required(Role.ADMIN)(lambda: {"ok": True}))
    admin = UserFactory(roles=["admin"])
    db.flush()
    _t, learner_scope = create_token(db, admin, "learner scope")
    _t, staff_scope = create_token(db, admin, "staff scope", "staff")
    db.commit()
    assert (
        client.get("/api/v1/staff-probe", headers={"Authorization": f"Bearer {learner_scope}"}).status_code
        == 403
    )
    assert (
        client.get("/api/v1/staff-probe", headers={"Authorization": f"Bearer {staff_scope}"}).status_code
        == 200
    )


@pytest.mark.parametrize("lessons", [2, 8])
def test_a_courses_document_reads_its_lesson_texts_in_the_same_statements_at_any_length(
    client, db: Session, learner_token, count_queries, lessons: int
) -> None:
    _user, headers = learner_token
    course = CourseFactory(slug="house-rules")
    for n in range(lessons):
        LessonFactory(course=course, slug=f"{n:02d}-reply", body=f"第{n}课：先称呼顾客，再回答问题。")
    db.commit()
    client.get("/api/v1/courses/house-rules", headers=headers)  # the token's use is stamped once
    with count_queries() as counted:
        detail = client.get("/api/v1/courses/house-rules", headers=headers).json
    assert [lesson["body_markdown"] for lesson in detail["lessons"]][
        -1
    ] == f"第{lessons - 1}课：先称呼顾客，再回答问题。"
    assert counted.count == 4  # the token, the course, its lessons with their texts, its quizzes


def test_courses_and_lessons(client, db: Session, learner_token) -> None:
    _user, headers = learner_token
    course = CourseFactory(slug="house-rules", title="House rules")
    lesson = LessonFactory(course=course, slug="01-templates")
    CourseFactory(slug="draft", published=False)
    db.commit()
    listing = client.get("/api/v1/courses", headers=headers).json["courses"]
    assert [c["slug"] for c in listing] == ["house-rules"]
    detail = client.get("/api/v1/courses/house-rules", headers=headers).json
    assert detail["lessons"][0]["done"] is False
    assert client.get("/api/v1/courses/draft", headers=headers).status_code == 404
    done = client.post(f"/api/v1/lessons/{lesson.id}/done", headers=headers)
    assert done.status_code == 200 and done.json["done"] is True
    again = client.post(f"/api/v1/lessons/{lesson.id}/done", headers=headers)
    assert again.status_code == 200
    assert db.scalar(select(func.count()).select_from(LessonCompletion)) == 1
    assert client.post("/api/v1/lessons/999999/done", headers=headers).status_code == 404


def test_cookie_requests_need_the_csrf_token_but_token_requests_do_not(
    database_url: str, tmp_path: Path, db: Session
) -> None:
    user = UserFactory(username="agent")
    course = CourseFactory(slug="c")
    lesson = LessonFactory(course=course)
    db.flush()
    _t, secret = create_token(db, user, "app")
    db.commit()
    app: Flask = create_app(make_config(database_url, tmp_path, csrf=True))
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    import re

    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    browser.post("/login", data={"username": "agent", "password": TEST_PASSWORD, "csrf_token": csrf})
    refused = browser.post(f"/api/v1/lessons/{lesson.id}/done")
    assert refused.status_code == 400 and "error" in refused.json
    allowed = browser.post(f"/api/v1/lessons/{lesson.id}/done", headers={"X-CSRFToken": csrf})
    assert allowed.status_code == 200
    with_token = app.test_client().post(
        f"/api/v1/lessons/{lesson.id}/done", headers={"Authorization": f"Bearer {secret}"}
    )
    assert with_token.status_code == 200
    app.extensions["lms.db"].engine.dispose()
