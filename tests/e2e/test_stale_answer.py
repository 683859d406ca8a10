"""In Chromium: one question open in two tabs; the stale tab's autosave is refused and says so."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from lms.content.specs import QuestionSpec
from lms.domain.authoring.question_import import import_questions
from lms.models import Attempt, Quiz, User
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.factories import UserFactory, bind

pytestmark = pytest.mark.e2e

WINDOW = QuestionSpec(
    "window",
    "numeric",
    "Within how many hours of signing is the dispute window?",
    1.0,
    ("disputes",),
    "",
    {"answers": [{"value": 72, "tolerance": 0, "weight": 100.0}]},
)


@pytest.fixture
def attempt_url(live_app: Flask, page) -> str:  # type: ignore[no-untyped-def]
    session = live_app.extensions["lms.db"].session()
    import_questions(session, "dispute-drill", [WINDOW])
    quiz = session.scalars(select(Quiz).where(Quiz.slug == "dispute-drill")).one()
    quiz.title, quiz.published = "Dispute drill", True
    bind(session)
    UserFactory(username="liuyang", display_name="刘洋 Liu Yang")
    session.commit()
    session.close()
    sign_in(page, "liuyang")
    page.goto("/learn/quizzes/dispute-drill")
    page.click("text=Start attempt 1")
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/0$"))
    return str(page.url)


def _type(tab, value: str) -> None:  # type: ignore[no-untyped-def]
    tab.fill("input[name=value]", value)
    tab.press("input[name=value]", "Tab")  # the change event: autosave a second later


def _stored(live_app: Flask) -> dict[str, object] | None:
    session = live_app.extensions["lms.db"].read_session()
    try:
        return session.scalars(select(Attempt)).one().items[0].response
    finally:
        session.close()


def test_the_stale_tab_is_told_and_the_newer_answer_stays(page, live_app: Flask, attempt_url: str) -> None:  # type: ignore[no-untyped-def]
    first = page
    second = page.context.new_page()
    second.csp_errors = []
    second.on("console", lambda msg: second.csp_errors.append(msg.text) if msg.type == "error" else None)
    second.goto(attempt_url)
    _type(second, "48")
    expect(second.locator("#save-status")).to_contain_text("Saved at")
    _type(second, "72")  # a second save from the same tab works: the version came back with the first
    expect(second.locator("#answer-version")).to_have_value("2")
    _type(first, "24")
    expect(first.locator("#save-status")).to_contain_text("changed in another window")
    assert _stored(live_app) == {"value": 72}
    ARTIFACTS.mkdir(exist_ok=True)
    first.screenshot(path=str(ARTIFACTS / "stale-answer-en.png"), full_page=True)
    first.click("text=Save and finish")  # the full form from the stale tab: refused too, newer answer shown
    expect(first.locator(".question-card [role=alert]")).to_contain_text("newer answer is shown below")
    expect(first.locator("input[name=value]")).to_have_value("72")
    assert _stored(live_app) == {"value": 72}
    # The browser logs the refused request itself (a 409); nothing else went wrong, CSP included.
    for tab in (first, second):
        assert [e for e in tab.csp_errors if "409 (CONFLICT)" not in e] == []


def test_the_message_is_in_chinese_for_a_chinese_learner(page, live_app: Flask, attempt_url: str) -> None:  # type: ignore[no-untyped-def]
    session = live_app.extensions["lms.db"].session()
    session.scalars(select(User).where(User.username == "liuyang")).one().locale = "zh_Hans"
    session.commit()
    session.close()
    first = page
    first.reload()
    second = page.context.new_page()
    second.goto(attempt_url)
    _type(second, "72")
    expect(second.locator("#save-status")).to_contain_text("保存")
    _type(first, "24")
    expect(first.locator("#save-status")).to_contain_text("另一个窗口")
    ARTIFACTS.mkdir(exist_ok=True)
    first.screenshot(path=str(ARTIFACTS / "stale-answer-zh.png"), full_page=True)
    assert _stored(live_app) == {"value": 72}
