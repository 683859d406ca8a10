"""Question statistics pages: who may see them, what they show, the CSV, a bounded query count."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.models import Quiz
from tests.domain.authoring.test_quiz_statistics import ANSWERS, SLUG, make_quiz, take


@pytest.fixture
def quiz(db: Session) -> Quiz:
    quiz = make_quiz(db)
    for answers in ANSWERS:
        take(db, quiz, *answers)
    return quiz


def test_trainer_sees_the_report(client: FlaskClient, login_as, quiz: Quiz) -> None:
    login_as("trainer")
    page = client.get(f"/author/statistics/quizzes/{SLUG}").get_data(as_text=True)
    assert "Who holds the money after payment?" in page
    assert "54.17 %" in page and "56.25 %" in page and "66.67 %" in page  # mean, median, pass rate
    assert "nobody gets it right" in page and "everyone gets it right" in page
    assert "Alipay" in page and "43.3" in page  # an option; flow's discrimination
    chart = re.search(r'data-bars="([^"]+)"', page).group(1).replace("&#34;", '"').replace("&quot;", '"')
    assert json.loads(chart) == {
        "labels": ["0–10", "10–20", "20–30", "30–40", "40–50", "50–60", "60–70", "70–80", "80–90", "90–100"],
        "counts": [0, 0, 1, 1, 0, 1, 1, 2, 0, 0],
    }
    assert "js/charts.js" in page and "<script>" not in page


def test_the_index_lists_quizzes_with_attempt_counts(client: FlaskClient, login_as, quiz: Quiz) -> None:
    login_as("admin")
    page = client.get("/author/statistics/").get_data(as_text=True)
    assert f"/author/statistics/quizzes/{SLUG}" in page and ">6<" in page


def test_the_staff_quiz_page_links_to_the_statistics(client: FlaskClient, login_as, quiz: Quiz) -> None:
    login_as("trainer")
    page = client.get(f"/author/curriculum/quizzes/{SLUG}").get_data(as_text=True)
    assert f"/author/statistics/quizzes/{SLUG}" in page


def test_a_quiz_without_attempts_and_an_unknown_quiz(client: FlaskClient, login_as, db: Session) -> None:
    make_quiz(db)
    login_as("trainer")
    page = client.get(f"/author/statistics/quizzes/{SLUG}").get_data(as_text=True)
    assert "No graded attempts yet" in page and "data-bars" not in page
    assert client.get("/author/statistics/quizzes/nope").status_code == 404
    assert client.get("/author/statistics/quizzes/nope.csv").status_code == 404


@pytest.mark.parametrize("role", ["learner", "qc"])
def test_only_trainers_and_admins(client: FlaskClient, login_as, role: str, quiz: Quiz) -> None:
    login_as(role)
    assert client.get("/author/statistics/").status_code == 403
    assert client.get(f"/author/statistics/quizzes/{SLUG}").status_code == 403
    assert client.get(f"/author/statistics/quizzes/{SLUG}.csv").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient, quiz: Quiz) -> None:
    assert client.get(f"/author/statistics/quizzes/{SLUG}.csv").status_code == 302


def test_csv_has_one_row_per_question(client: FlaskClient, login_as, quiz: Quiz) -> None:
    login_as("trainer")
    response = client.get(f"/author/statistics/quizzes/{SLUG}.csv")
    assert response.mimetype == "text/csv"
    assert f'filename="statistics-{SLUG}.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["key"] for r in rows] == ["flow", "extras", "hours", "greet"]
    flow, extras, hours, greet = rows
    assert (flow["attempts"], flow["answered"], flow["facility"], flow["discrimination"]) == (
        "6",
        "6",
        "66.67",
        "43.30",
    )
    assert flow["options"] == "1* Alipay: 4; 2 Store: 1; 3 Courier: 1"
    assert extras["options"] == "1* Dust bag: 4; 2* Care card: 3; 3 Second bag: 1"
    assert (hours["answered"], hours["facility"], hours["flag"], hours["options"]) == (
        "5",
        "0.00",
        "nobody_right",
        "",
    )
    assert (greet["flag"], greet["discrimination"]) == ("everyone_right", "")


def test_query_count_does_not_grow_with_attempts(
    client: FlaskClient, login_as, db: Session, quiz: Quiz, count_queries
) -> None:
    login_as("trainer")
    paths = [
        "/author/statistics/",
        f"/author/statistics/quizzes/{SLUG}",
        f"/author/statistics/quizzes/{SLUG}.csv",
    ]
    before = []
    for path in paths:
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        before.append(counter.count)
    for answers in ANSWERS * 3:
        take(db, quiz, *answers)
    after = []
    for path in paths:
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        after.append(counter.count)
    assert before == after
    # The page after a grading: sign-in, fingerprint, questions, the blocks' fingerprints and saved
    # sums, the moved blocks' three sums saved in one savepoint, the median.
    assert max(after) <= 14


def test_a_saved_report_is_reused_until_an_attempt_or_a_question_changes(
    client: FlaskClient, login_as, db: Session, quiz: Quiz, count_queries
) -> None:
    login_as("trainer")
    page = f"/author/statistics/quizzes/{SLUG}"
    with count_queries() as first:
        assert client.get(page).status_code == 200
    with count_queries() as again:
        text = client.get(page).get_data(as_text=True)
    assert again.count < first.count  # only the fingerprint is read
    assert "54.17 %" in text
    take(db, quiz, 2, [], 1, 0)  # a seventh, weak attempt: the mean moves
    text = client.get(page).get_data(as_text=True)
    assert "54.17 %" not in text and "57.14 %" in text  # mean 50 %, pass rate 4 of 7
    flow = next(q for q in quiz.questions if q.key == "flow")
    flow.position = 99  # a question moved in the quiz is noticed too
    db.commit()
    csv_text = client.get(f"{page}.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert [r["key"] for r in rows] == ["extras", "hours", "greet", "flow"]
