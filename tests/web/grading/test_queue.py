"""The grading queue: trainers grade essays and replies; the attempt and its pass follow."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.domain.learning import attempts as engine
from lms.models import Attempt
from tests.domain.learning.test_attempts import T0, make_quiz
from tests.factories import UserFactory


@pytest.fixture
def essay_attempt(db: Session) -> Attempt:
    learner = UserFactory(display_name="王芳 Wang Fang")
    quiz = make_quiz(db)
    attempt = engine.start_attempt(db, learner, quiz, T0)
    engine.save_response(db, attempt, "state", {"choice": 0}, T0)
    engine.save_response(db, attempt, "essay", {"text": "Full-grain leather darkens with use: patina."}, T0)
    engine.submit_attempt(db, attempt, T0 + dt.timedelta(minutes=1))
    db.commit()
    return attempt


def test_trainer_grades_an_essay_and_the_attempt_passes(
    client: FlaskClient, login_as, db: Session, essay_attempt: Attempt
) -> None:
    login_as("trainer")
    page = client.get("/author/grading/").get_data(as_text=True)
    assert "王芳 Wang Fang" in page and "essay" in page
    item = next(i for i in essay_attempt.items if i.question_key == "essay")
    detail = client.get(f"/author/grading/items/{item.id}").get_data(as_text=True)
    assert "patina" in detail and "Mentions ageing" in detail
    bad = client.post(f"/author/grading/items/{item.id}", data={"score": "9"}, follow_redirects=True)
    assert "between 0 and 2" in bad.get_data(as_text=True)
    client.post(f"/author/grading/items/{item.id}", data={"score": "2", "comment": "Clear and kind."})
    db.expire_all()
    attempt = db.get(Attempt, essay_attempt.id)
    assert attempt.status == "graded" and attempt.passed is True and attempt.percent == 75.0
    assert "Nothing to grade" in client.get("/author/grading/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["learner", "qc"])
def test_only_trainers_grade(client: FlaskClient, login_as, role: str, essay_attempt: Attempt) -> None:
    login_as(role)
    assert client.get("/author/grading/").status_code == 403


def test_jobs_run_closes_overdue_attempts(app, db: Session) -> None:
    result = app.test_cli_runner().invoke(args=["jobs", "run"])
    assert result.exit_code == 0 and "Closed 0 overdue attempt(s). Promoted 0 agent(s)." in result.output
