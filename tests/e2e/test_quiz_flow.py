"""In Chromium: a new hire reads a lesson, fails a quiz, waits out the cooldown, passes, reviews."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select, update

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.specs import QuestionSpec
from lms.domain.authoring.question_import import import_questions
from lms.domain.curriculum.sync import sync_content
from lms.models import Attempt, Quiz
from tests.e2e.conftest import ARTIFACTS
from tests.factories import UserFactory, bind

pytestmark = pytest.mark.e2e

QUESTIONS = [
    QuestionSpec(
        "state",
        "single",
        "The buyer has paid. Where is the money?",
        1.0,
        ("order-flow",),
        "Alipay holds it until receipt.",
        {
            "choices": [
                {"text": "Held by Alipay", "weight": 100.0, "feedback": "Right: the guarantee."},
                {
                    "text": "In the store's account",
                    "weight": 0.0,
                    "feedback": "Not until the trade succeeds.",
                },
            ]
        },
    ),
    QuestionSpec(
        "engraved",
        "truefalse",
        "An engraved wallet can be returned within seven days without a reason.",
        1.0,
        ("returns",),
        "",
        {"answer": False, "feedback_true": "Made-to-order goods are excluded."},
    ),
    QuestionSpec(
        "window",
        "numeric",
        "Within how many hours of signing is the dispute window?",
        1.0,
        ("disputes",),
        "",
        {"answers": [{"value": 72, "tolerance": 0, "weight": 100.0}]},
    ),
]


@pytest.fixture
def learner(live_app: Flask) -> None:
    session = live_app.extensions["lms.db"].session()
    tree, _problems = check(PROJECT_ROOT)
    sync_content(session, tree)
    import_questions(session, "rules-drill", QUESTIONS)
    quiz = session.scalars(select(Quiz).where(Quiz.slug == "rules-drill")).one()
    quiz.title, quiz.published, quiz.pass_percent, quiz.cooldown_minutes, quiz.max_attempts = (
        "Rules drill",
        True,
        100,
        10,
        3,
    )
    bind(session)
    UserFactory(username="liuyang", display_name="刘洋 Liu Yang")
    session.commit()
    session.close()


def _answer(page, state: str, engraved: str, window: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label(state).check()
    page.click("text=Save and next")
    page.get_by_label(engraved).check()
    page.click("text=Save and next")
    page.fill("input[name=value]", window)
    page.click("text=Save and finish")
    page.click("text=Submit now")


def test_fail_wait_pass_and_review(page, live_app: Flask, learner) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", "liuyang")
    page.fill("#password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.goto("/learn/courses/platform-rules/lessons/01-order-states")
    page.click("text=Mark as done")
    page.goto("/learn/quizzes/rules-drill")
    assert "Start attempt 1" in page.inner_text("main")
    page.click("text=Start attempt 1")
    _answer(page, "In the store's account", "True", "48")
    assert "Not passed yet" in page.inner_text("main")
    assert "Not until the trade succeeds." in page.inner_text(".review")  # after_submit review
    page.click("text=Back to the quiz")
    assert "You can start another attempt at" in page.inner_text("main")
    # the test waits out the 10-minute cooldown by moving the first submission back in time
    session = live_app.extensions["lms.db"].session()
    try:
        for attempt in session.scalars(select(Attempt)):
            attempt.submitted_at = attempt.submitted_at - dt.timedelta(minutes=11)
        session.commit()
    finally:
        session.close()
    page.reload()
    page.click("text=Start attempt 2")
    _answer(page, "Held by Alipay", "False", "72")
    main = page.inner_text("main")
    assert "Passed" in main and "3 of 3 points" in main
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "quiz-result.png"), full_page=True)
    page.click("text=Back to the quiz")
    assert "passed" in page.inner_text("main")
    assert page.csp_errors == []


def test_the_countdown_shows_the_servers_deadline(page, live_app: Flask, learner) -> None:  # type: ignore[no-untyped-def]
    session = live_app.extensions["lms.db"].session()
    session.execute(update(Quiz).where(Quiz.slug == "rules-drill").values(time_limit_minutes=5))
    session.commit()
    session.close()
    page.goto("/login")
    page.fill("#username", "liuyang")
    page.fill("#password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.goto("/learn/quizzes/rules-drill")
    page.click("text=Start attempt 1")
    # (no wait_for_function: it evaluates strings, which the site's CSP rightly forbids)
    expect(page.locator(".countdown-value")).to_contain_text(":")
    shown = page.inner_text(".countdown-value")
    minutes = int(shown.split(":")[0])
    assert minutes in (4, 5)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "quiz-question.png"), full_page=True)
