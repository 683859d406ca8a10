"""Taking a quiz in the browser's pages: intro, questions, autosave, submit, result, review, integrity."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.models import Attempt, Quiz
from tests.factories import UserFactory


@pytest.fixture
def loaded(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()


def _start(client: FlaskClient, slug: str) -> int:
    response = client.post(f"/learn/quizzes/{slug}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/attempts/(\d+)/0", response.headers["Location"]).group(1))


def test_the_quiz_page_says_what_it_is(client: FlaskClient, login_as, loaded) -> None:
    login_as("learner")
    page = client.get("/learn/quizzes/warehouse-week-exam").get_data(as_text=True)
    assert "Warehouse week exam" in page and "80 %" in page and "25 min" in page
    assert "Attempts left" in page and "go-live" in page and "Start attempt 1" in page


def test_the_quiz_page_counts_active_questions_in_the_quizs_own_statement(
    client: FlaskClient, login_as, loaded, db: Session, count_queries
) -> None:
    from lms.models import Question

    login_as("learner")
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "warehouse-week-check")).one()
    assert not quiz.draw  # every active question is asked
    questions = db.scalars(
        select(Question).where(Question.quiz_id == quiz.id, Question.active.is_(True))
    ).all()
    shown = re.compile(r"<dt>Questions</dt><dd>(\d+)</dd>")
    client.get(f"/learn/quizzes/{quiz.slug}")
    with count_queries() as counter:
        page = client.get(f"/learn/quizzes/{quiz.slug}").get_data(as_text=True)
    assert shown.search(page).group(1) == str(len(questions))  # type: ignore[union-attr]
    # the user (with the nav badge's count), then the quiz with its question count, the learner's
    # recertification date and their attempts: no statement of their own for the counts, the date
    # or the attempts
    assert counter.count <= 2, counter.statements
    assert not any(s.startswith("SELECT count(*)") for s in counter.statements), counter.statements
    questions[0].active = False
    db.commit()
    page = client.get(f"/learn/quizzes/{quiz.slug}").get_data(as_text=True)
    assert shown.search(page).group(1) == str(len(questions) - 1)  # type: ignore[union-attr]


def test_the_quiz_page_reads_every_attempt_in_the_quizs_statement(
    client: FlaskClient, login_as, loaded, db: Session, count_queries
) -> None:
    import datetime as dt

    from lms.domain.learning import attempts as engine

    learner = login_as("learner")
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "warehouse-week-check")).one()
    path = f"/learn/quizzes/{quiz.slug}"
    row = re.compile(r"<tr><td>(\d+)</td>")
    client.get(path)
    with count_queries() as none_yet:
        assert row.findall(client.get(path).get_data(as_text=True)) == []
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    for n in range(3):  # two submitted a day apart, the third still open
        attempt = engine.start_attempt(db, learner, quiz, start + dt.timedelta(days=n))
        if n < 2:
            engine.submit_attempt(db, attempt, start + dt.timedelta(days=n, minutes=5))
    db.commit()
    with count_queries() as three:
        page = client.get(path).get_data(as_text=True)
    assert row.findall(page) == ["1", "2", "3"]  # oldest first, every one
    assert "Resume your attempt" in page
    assert none_yet.count == three.count <= 2, three.statements  # the same whatever the attempts


def test_an_unknown_or_hostile_quiz_address_is_a_404(client: FlaskClient, login_as, loaded) -> None:
    login_as("learner")
    for slug in ("no-such-quiz", "x' OR '1'='1", "%E4%B8%AD" * 100):
        assert client.get(f"/learn/quizzes/{slug}").status_code == 404


def test_answer_keys_never_reach_the_page_before_submission(
    client: FlaskClient, login_as, loaded, db: Session
) -> None:
    login_as("learner")
    attempt_id = _start(client, "platform-rules-check")
    attempt = db.get(Attempt, attempt_id)
    html = "".join(
        client.get(f"/learn/attempts/{attempt_id}/{i}").get_data(as_text=True)
        for i in range(len(attempt.items))
    )
    for item in attempt.items:
        body = item.version.body
        for choice in body.get("choices", []):
            if choice.get("feedback"):
                assert choice["feedback"] not in html, item.question_key
        if item.version.explanation:
            assert item.version.explanation not in html
        if body.get("model_answer"):
            assert body["model_answer"] not in html
    assert not re.search(r"weight\s*[=:]|correct|data-answer", html)


def test_a_learner_fails_then_sees_the_result_and_review(
    client: FlaskClient, login_as, loaded, db: Session
) -> None:
    login_as("learner")
    attempt_id = _start(client, "house-rules-check")
    # answer only the first question, wrongly where possible, then submit
    client.post(
        f"/learn/attempts/{attempt_id}/0", data={"value": "5", "choice": "99", "text": "x", "go": "next"}
    )
    response = client.post(f"/learn/attempts/{attempt_id}/submit")
    assert response.headers["Location"].endswith(f"/learn/attempts/{attempt_id}")
    page = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    assert "Not passed yet" in page and "Review" in page  # house-rules-check reviews after submit
    again = client.post(f"/learn/attempts/{attempt_id}/submit")  # a second submit changes nothing
    assert again.status_code == 302
    assert db.get(Attempt, attempt_id).status != "in_progress"


def test_answers_are_saved_and_survive_a_reload(client: FlaskClient, login_as, loaded, db: Session) -> None:
    login_as("learner")
    attempt_id = _start(client, "warehouse-week-check")
    attempt = db.get(Attempt, attempt_id)
    position, item = next((i, it) for i, it in enumerate(attempt.items) if it.version.type == "numeric")
    saved = client.post(f"/learn/attempts/{attempt_id}/{position}/autosave", data={"value": "14"})
    assert "Saved at" in saved.get_data(as_text=True)
    page = client.get(f"/learn/attempts/{attempt_id}/{position}").get_data(as_text=True)
    assert 'value="14"' in page
    bad = client.post(f"/learn/attempts/{attempt_id}/{position}/autosave", data={"value": "fourteen"})
    assert 'class="error"' in bad.get_data(as_text=True)


def test_another_users_attempt_is_a_404(app, client: FlaskClient, login_as, loaded, db: Session) -> None:
    login_as("learner")
    attempt_id = _start(client, "house-rules-check")
    UserFactory(username="intruder")
    db.commit()
    other = app.test_client()
    other.post("/login", data={"username": "intruder", "password": "correct-horse-battery"})
    assert other.get(f"/learn/attempts/{attempt_id}/0").status_code == 404
    assert other.get(f"/learn/attempts/{attempt_id}").status_code == 404
    assert other.post(f"/learn/attempts/{attempt_id}/submit").status_code == 404


def test_drafts_are_invisible(client: FlaskClient, login_as, loaded, db: Session) -> None:
    login_as("learner")
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "house-rules-check")).one()
    quiz.published = False
    db.commit()
    assert client.get("/learn/quizzes/house-rules-check").status_code == 404
    assert client.post("/learn/quizzes/house-rules-check/start").status_code == 404


def test_question_page_queries_are_bounded(client: FlaskClient, login_as, loaded, count_queries) -> None:
    login_as("learner")
    attempt_id = _start(client, "go-live-final-exam")
    client.get(f"/learn/attempts/{attempt_id}/0")
    with count_queries() as counter:
        assert client.get(f"/learn/attempts/{attempt_id}/1").status_code == 200
    assert counter.count <= 12, counter.statements


def test_the_quiz_page_closes_an_attempt_whose_time_ran_out_and_keeps_it_closed(
    client: FlaskClient, login_as, loaded, db: Session
) -> None:
    import datetime as dt

    login_as("learner")
    attempt_id = _start(client, "warehouse-week-exam")  # 25 minutes
    attempt = db.get(Attempt, attempt_id)
    attempt.deadline = attempt.started_at - dt.timedelta(hours=1)
    db.commit()
    page = client.get("/learn/quizzes/warehouse-week-exam").get_data(as_text=True)
    assert "Resume your attempt" not in page
    db.expire_all()
    assert db.get(Attempt, attempt_id).status != "in_progress"  # committed, not only shown
    assert db.get(Attempt, attempt_id).submitted_at is not None
