"""In Chromium: a zh-CN browser reads the curriculum in Chinese; switched to English it reads the English.

A small bilingual curriculum (tests/data/bilingual) is loaded; the learner has no saved language, so
the first visit follows the browser. The chat reply question asks for Chinese in both languages.
"""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.factories import CohortFactory, UserFactory, bind

pytestmark = pytest.mark.e2e

FIXTURE = PROJECT_ROOT / "tests" / "data" / "bilingual"


@pytest.fixture
def learner(live_app: Flask) -> None:
    session = live_app.extensions["lms.db"].session()
    tree, problems = check(FIXTURE)
    assert problems == []
    sync_content(session, tree)
    bind(session)
    UserFactory(username="wangfang", display_name="王芳", locale="", cohort=CohortFactory(name="一期"))
    session.commit()
    session.close()


@pytest.fixture
def zh_page(browser: object, live_server: str):  # type: ignore[no-untyped-def]
    """A Chinese browser (Accept-Language zh-CN)."""
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.csp_errors = errors
    yield pg
    context.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"bilingual-{name}.png"), full_page=True)


def _reply_question(page) -> None:  # type: ignore[no-untyped-def]
    page.locator(".qnav a").nth(2).click()
    expect(page.locator("#message-text")).to_be_visible()  # the chat composer


def test_chinese_first_then_english_beside_it(zh_page, learner) -> None:  # type: ignore[no-untyped-def]
    page = zh_page
    sign_in(page, "wangfang")
    # Today page, in Chinese (the browser's language).
    page.goto("/learn/")
    main = page.inner_text("main")
    assert "20秒首响" in main and "接待基本功小测" in main
    assert "The 20-second first response" not in main
    _shot(page, "today-zh")
    page.goto("/learn/courses/desk-basics")
    main = page.inner_text("main")
    assert "接待基本功" in main and "先回应再查询" in main and "Desk basics" not in main
    page.goto("/learn/courses/desk-basics/lessons/01-first-response")
    expect(page.locator("h1")).to_have_text("20秒首响")
    expect(page.locator(".chat-agent")).to_contain_text("亲，我帮您查一下库存")
    assert "Answer first" not in page.inner_text("main")
    _shot(page, "lesson-zh")
    page.goto("/learn/library")
    expect(page.locator(".faq-entry h2").first).to_have_text("今天下单什么时候发货？")
    _shot(page, "library-zh")
    page.goto("/learn/quizzes/desk-basics-check")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".question-text")).to_contain_text("顾客问36升旅行双肩包有没有灰色现货")
    expect(page.locator(".option").first).to_contain_text("20秒内先回一句稳住顾客的话")
    _shot(page, "question-zh")
    _reply_question(page)
    expect(page.locator(".bubble.customer")).to_contain_text("灰色的还有货吗？")
    expect(page.locator(".reply-language")).to_contain_text("请用中文回复")
    _shot(page, "reply-zh")

    # Switch to English: the same pages show the English versions.
    page.select_option("#lang-select", "en")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".question-text")).to_contain_text("Reply to this shopper.")
    expect(page.locator(".bubble.customer")).to_contain_text("灰色的还有货吗？")  # the shopper writes Chinese
    expect(page.locator(".bubble.customer .gloss")).to_have_text("Do you still have the grey one?")
    expect(page.locator(".reply-language")).to_contain_text("Write your reply in Chinese")
    _shot(page, "reply-en")
    page.locator(".qnav a").nth(0).click()
    expect(page.locator(".question-text")).to_contain_text("A shopper asks whether the 36 L travel backpack")
    expect(page.locator(".option").first).to_contain_text("Send a holding reply within 20 seconds")
    _shot(page, "question-en")
    page.goto("/learn/courses/desk-basics/lessons/01-first-response")
    expect(page.locator("h1")).to_have_text("The 20-second first response")
    expect(page.locator(".chat-agent")).to_contain_text("Let me check the stock for you")
    assert "顾客发来第一句话" not in page.inner_text("main")
    _shot(page, "lesson-en")
    page.goto("/learn/courses/desk-basics")
    assert "Desk basics" in page.inner_text("main")
    page.goto("/learn/")
    main = page.inner_text("main")
    assert "The 20-second first response" in main and "Desk basics check" in main
    assert "20秒首响" not in main
    _shot(page, "today-en")
    page.goto("/learn/library")
    expect(page.locator(".faq-entry h2").first).to_have_text("When will my order ship?")
    expect(page.locator(".faq-entry .chat-agent").first).to_contain_text("亲，16点前付款的订单当天发出")
    _shot(page, "library-en")
    # The choice is remembered, although the browser still asks for Chinese.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.csp_errors == []
