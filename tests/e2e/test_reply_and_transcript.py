"""In Chromium: a learner answers a chat reply in two messages and keeps the speed share; a QC lead
pastes a Qianniu transcript and sees the 最 and the 45-second gap flagged, two items pre-filled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.specs import QuestionSpec
from lms.db import utcnow
from lms.domain.authoring.question_import import import_questions
from lms.domain.curriculum.sync import sync_content
from lms.domain.qc.checklist import ensure_default_checklist
from lms.models import Attempt, Quiz, SpotCheck
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.factories import UserFactory, bind

pytestmark = pytest.mark.e2e

TRANSCRIPT = (Path(__file__).parents[1] / "data" / "qianniu-transcript.txt").read_text(encoding="utf-8")
BODY = {
    "customer": "36升的旅行双肩包有灰色现货吗？",
    "target_seconds": 20,
    "key_points": [
        {"points": 2, "phrases": ["有现货", "有货"]},
        {"points": 1, "phrases": ["今天发", "16点"]},
    ],
    "forbidden": [],
    "model_answer": "亲，灰色有现货哦，16点前付款今天发出。",
}


@pytest.fixture
def people(live_app: Flask) -> None:
    session = live_app.extensions["lms.db"].session()
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(session, tree)
    ensure_default_checklist(session)
    import_questions(
        session,
        "stock-practice",
        [QuestionSpec("grey-stock", "reply", "回复顾客。", 3.0, (), "", dict(BODY))],
    )
    quiz = session.scalars(select(Quiz).where(Quiz.slug == "stock-practice")).one()
    quiz.published, quiz.title, quiz.pass_percent = True, "Stock questions (practice)", 50
    bind(session)
    UserFactory(username="wangfang", display_name="王芳 Wang Fang")
    UserFactory(username="qclead", display_name="孙丽 Sun Li", roles=["qc"])
    session.commit()
    session.close()


def test_a_holding_line_in_time_then_the_full_answer_keeps_the_speed_share(
    page, live_app: Flask, people, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    shift = {"seconds": 0.0}
    monkeypatch.setattr(
        "lms.web.learn.quiz_views.utcnow", lambda: utcnow() + dt.timedelta(seconds=shift["seconds"])
    )
    sign_in(page, "wangfang")
    page.goto("/learn/quizzes/stock-practice")
    page.click("text=Start attempt 1")
    box = page.locator("#message-text")
    box.fill("亲，在的，我帮您查一下库存，稍等哦")
    box.press("Enter")
    page.wait_for_selector(".sent-messages li:nth-child(1)")
    assert "within the 20-second standard" in page.inner_text("#reply-thread")
    assert box.input_value() == ""
    page.screenshot(path=str(ARTIFACTS / "reply-holding-line.png"), full_page=True)
    shift["seconds"] = 40.0  # the full answer comes 40 seconds later, as a real check would take
    box.fill("查好了，灰色有现货，16点前付款今天就能发出～")
    box.press("Enter")
    page.wait_for_selector(".sent-messages li:nth-child(2)")
    thread = page.inner_text("#reply-thread")
    assert "after 4" in thread and "查好了" in thread  # stamped by the server: after 40-some seconds
    assert page.locator(".wording-result").count() == 1  # the practice page has the wording box
    page.screenshot(path=str(ARTIFACTS / "reply-two-messages.png"), full_page=True)
    page.click("text=Save and finish")
    page.click("main button[type=submit]")
    page.wait_for_url("**/learn/attempts/*")
    assert "3 of 3 points" in page.inner_text(".result")
    page.screenshot(path=str(ARTIFACTS / "reply-result.png"), full_page=True)
    session = live_app.extensions["lms.db"].session()
    attempt = session.scalars(select(Attempt)).one()
    seconds = [m["seconds"] for m in attempt.items[0].response["messages"]]
    session.close()
    assert seconds[0] < 20 <= seconds[1] and attempt.score == 3.0
    assert page.csp_errors == []


def test_the_wording_box_flags_as_you_type(page, people) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "wangfang")
    page.goto("/learn/library")
    page.fill("#wording-text", "亲，加 微 信，全网最低价给你")
    page.wait_for_selector("#wording-result .rule-hit")
    result = page.inner_text("#wording-result")
    assert "加 微 信" in result and "全网最低价" in result and "只在天猫上沟通" in result
    page.screenshot(path=str(ARTIFACTS / "wording-box.png"), full_page=True)
    assert page.csp_errors == []


def test_qc_pastes_a_qianniu_transcript_and_sees_both_flagged_and_two_items_prefilled(
    page, live_app: Flask, people
) -> None:  # type: ignore[no-untyped-def]
    assert len(TRANSCRIPT.splitlines()) == 30
    sign_in(page, "qclead")
    page.goto("/qc/spot-checks/new")
    page.fill("#agent", "wangfang")
    page.fill("#transcript", TRANSCRIPT)
    page.get_by_role("button", name="Read the transcript").click()
    review = page.locator(".transcript-review")
    assert review.locator("mark.mark-block").first.inner_text() == "最好"
    assert "replied after 45 s (to L12)" in review.locator("#line-14").inner_text()
    assert review.locator("#line-14 .gap-late").count() == 1
    first = page.locator("fieldset.checklist-item", has_text="First reply within 20 seconds")
    platform = page.locator("fieldset.checklist-item", has_text="Platform rule applied correctly")
    assert first.locator("input[type=radio][value=pass]").is_checked()
    assert platform.locator("input[type=radio][value=fail]").is_checked()
    assert "L14 (45 s)" in first.locator("input[type=text]").input_value()
    assert "L14 “最好” (absolute-best)" in platform.locator("input[type=text]").input_value()
    assert page.locator(".prefilled").count() == 2
    page.screenshot(path=str(ARTIFACTS / "qc-transcript-read.png"), full_page=True)
    for fieldset in page.query_selector_all("fieldset.checklist-item"):
        if not fieldset.query_selector("input[type=radio]:checked"):
            fieldset.query_selector("input[type=radio][value=pass]").check()
    page.click("text=Save the spot check")
    page.wait_for_url("**/qc/spot-checks/*")
    assert "最好" in page.inner_text(".transcript-review")
    page.screenshot(path=str(ARTIFACTS / "qc-transcript-saved.png"), full_page=True)
    session = live_app.extensions["lms.db"].session()
    check_row = session.scalars(select(SpotCheck)).one()
    outcomes = {r.label: r.outcome for r in check_row.results}
    session.close()
    assert (
        outcomes["Platform rule applied correctly"] == "fail"
        and outcomes["First reply within 20 seconds"] == "pass"
    )
    assert page.csp_errors == []


def test_a_trainer_reads_the_rule_book_and_tries_a_text(page, live_app: Flask, people) -> None:  # type: ignore[no-untyped-def]
    session = live_app.extensions["lms.db"].session()
    bind(session)
    UserFactory(username="trainer", display_name="陈老师 Chen Jie", roles=["trainer"])
    session.commit()
    session.close()
    sign_in(page, "trainer")
    page.goto("/rulebook/")
    assert "广告法 第九条第三项" in page.inner_text("#cat-absolute_term")
    page.screenshot(path=str(ARTIFACTS / "rulebook.png"), full_page=False)
    page.click("text=Try a text")
    page.fill("#tester-text", "<script>alert(1)</script> 最佳赏味期12个月，全网最低价，加VX")
    page.wait_for_selector("#tester-result .rule-hit")
    result = page.inner_text("#tester-result")
    assert "<script>alert(1)</script>" in result  # shown as text, never run
    assert "“最佳赏味期” is an exemption" in result and "absolute-lowest-price" in result
    page.screenshot(path=str(ARTIFACTS / "rulebook-tester.png"), full_page=True)
    assert page.csp_errors == []
