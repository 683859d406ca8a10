"""Downloading a course or a quiz as the files the loader reads."""

from __future__ import annotations

import io
import zipfile

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content


@pytest.fixture
def loaded(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()


def test_a_trainer_downloads_a_course_with_its_quizzes(client: FlaskClient, login_as, loaded) -> None:
    login_as("trainer")
    response = client.get("/author/export/courses/platform-rules.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert 'filename="course-platform-rules.zip"' in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "courses/platform-rules/course.toml" in names
    assert "courses/platform-rules/03-disputes.md" in names
    assert {"quizzes/platform-rules-check.toml", "quizzes/gift-sample.gift"} <= set(names)


def test_an_admin_downloads_a_quiz(client: FlaskClient, login_as, loaded) -> None:
    login_as("admin")
    response = client.get("/author/export/quizzes/go-live-final-exam.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == ["quizzes/go-live-final-exam.toml"]
    assert 'gates = [\n  "go-live",\n]' in archive.read("quizzes/go-live-final-exam.toml").decode()


@pytest.mark.parametrize("path", ["/author/export/courses/nothing.zip", "/author/export/quizzes/nothing.zip"])
def test_unknown_slugs_are_not_found(client: FlaskClient, login_as, path: str) -> None:
    login_as("trainer")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("role", ["learner", "qc"])
def test_only_trainers_and_admins_export(client: FlaskClient, login_as, loaded, role: str) -> None:
    login_as(role)
    assert client.get("/author/export/courses/platform-rules.zip").status_code == 403
    assert client.get("/author/export/quizzes/platform-rules-check.zip").status_code == 403


def test_the_course_page_links_to_the_download_for_authors_only(
    client: FlaskClient, login_as, loaded
) -> None:
    login_as("qc")
    assert "/author/export/courses/" not in client.get("/author/curriculum/courses/house-rules").get_data(
        as_text=True
    )
    client.post("/logout")
    login_as("trainer")
    page = client.get("/author/curriculum/courses/house-rules").get_data(as_text=True)
    assert "/author/export/courses/house-rules.zip" in page


def test_a_course_export_costs_a_bounded_number_of_queries(
    client: FlaskClient, login_as, loaded, count_queries
) -> None:
    login_as("trainer")
    with count_queries() as small:
        client.get("/author/export/courses/assessment-kpi.zip")  # 3 lessons, 1 quiz
    with count_queries() as big:
        client.get("/author/export/courses/platform-rules.zip")  # 5 lessons, 3 quizzes
    assert big.count == small.count <= 11  # course, lessons, pictures, quizzes, questions, scenarios, rule book…
