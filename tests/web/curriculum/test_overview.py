"""The staff curriculum pages and the learner's programme list, on the shipped content."""

from __future__ import annotations

import pytest
from flask import Flask
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


def test_staff_see_the_programme(client: FlaskClient, login_as, loaded) -> None:
    login_as("trainer")
    page = client.get("/author/curriculum/").get_data(as_text=True)
    tree, _problems = check(PROJECT_ROOT)
    questions = sum(len(quiz.questions) for quiz in tree.quizzes.values())
    assert "Warehouse week: know every bag before you sell it" in page
    assert "Days 1–5" in page and str(questions) in page
    assert "warehouse-week-exam" in page  # in the go-live requirements


def test_staff_read_a_lesson_and_a_quiz(client: FlaskClient, login_as, loaded) -> None:
    login_as("qc")
    lesson = client.get("/author/curriculum/courses/platform-rules/lessons/03-disputes").get_data(
        as_text=True
    )
    assert "superficial conformity" in lesson and 'class="admonition warning"' in lesson
    states = client.get("/author/curriculum/courses/platform-rules/lessons/01-order-states").get_data(
        as_text=True
    )
    assert "<table>" in states
    quiz = client.get("/author/curriculum/quizzes/go-live-final-exam").get_data(as_text=True)
    assert "go-live" in quiz and "reply" in quiz


def test_learners_cannot_open_the_staff_curriculum(client: FlaskClient, login_as, loaded) -> None:
    login_as("learner")
    assert client.get("/author/curriculum/").status_code == 403


def test_the_learner_home_lists_the_programme(client: FlaskClient, login_as, loaded) -> None:
    login_as("learner")
    page = client.get("/learn/").get_data(as_text=True)
    assert "Platform rules: orders, reviews, disputes and the law" in page
    reader = client.get("/learn/courses/warehouse-week/lessons/03-leather").get_data(as_text=True)
    assert "Full-grain leather (头层牛皮)" in reader


def test_curriculum_overview_query_count_is_bounded(
    app: Flask, client: FlaskClient, login_as, loaded, count_queries
) -> None:
    login_as("admin")
    with count_queries() as counter:
        assert client.get("/author/curriculum/").status_code == 200
    assert counter.count <= 10, counter.statements
