"""In Chromium: a learner plays "cheaper elsewhere" twice — leading with value (Gold), then offering
a discount and writing 最便宜 (a failed turn, a flagged run) — and the transcripts say why; the
go-live checklist counts the scenario; a trainer writes a four-node scenario, plays it as a learner,
publishes it, and the learner finds it among the practice chats."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from tests.domain.practice.test_runs import BAD, GOLD
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.factories import CohortFactory, UserFactory, bind

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(live_app: Flask) -> None:
    session = live_app.extensions["lms.db"].session()
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(session, tree)
    bind(session)
    cohort = CohortFactory(name="December cohort", start_date=dt.date.today() - dt.timedelta(days=20))
    session.flush()
    UserFactory(username="zhaolei", display_name="赵磊 Zhao Lei", cohort_id=cohort.id)
    UserFactory(username="trainerli", display_name="李老师 Li", roles=["trainer"])
    session.commit()
    session.close()


def _say(page, text: str, turn: int) -> None:  # type: ignore[no-untyped-def]
    page.fill("#practice-text", text)
    page.press("#practice-text", "Enter")
    page.wait_for_selector(f"#practice-thread[data-server-now] >> text={text[:12]}")
    page.wait_for_function(
        "n => !document.querySelector('input[name=turn]') || document.querySelector('input[name=turn]').value == n",
        arg=str(turn + 1),
    )


def test_gold_then_a_flagged_run_and_the_checklist(page, people) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "zhaolei")
    page.goto("/learn/")
    checklist = page.inner_text(".checklist")
    assert "Cheaper elsewhere" in checklist and "Silver or better needed" in checklist
    page.goto("/practice/")
    page.click("tr:has-text('Cheaper elsewhere') button:has-text('Start')")
    page.wait_for_selector("#practice-text")
    assert "typing" in page.inner_text("#practice-thread") or page.is_visible(".chat-shopper")
    for turn, text in enumerate(GOLD, start=1):
        _say(page, text, turn)
    page.wait_for_selector("#practice-result")
    result = page.inner_text("#practice-result")
    assert "Gold" in result and "order placed" in result
    assert "Key point met" in page.inner_text("#practice-thread")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "practice-gold.png"), full_page=True)
    page.goto("/learn/")
    assert "practice chat passed" in page.inner_text(".checklist")

    page.goto("/practice/cheaper-elsewhere")
    page.click("button:has-text('Start a chat')")
    page.wait_for_selector("#practice-text")
    _say(page, BAD, 1)
    _say(page, "好吧亲，249也行，给你便宜点。", 2)
    page.wait_for_selector("#practice-result")
    thread = page.inner_text("#practice-thread")
    assert "flagged" in page.inner_text("#practice-result")
    assert "failed: red line" in thread and "最便宜" in thread and "absolute-lowest-price" in thread
    assert "discount-private" in thread and "a discount offered" in thread
    page.screenshot(path=str(ARTIFACTS / "practice-flagged.png"), full_page=True)
    history = page.goto("/practice/cheaper-elsewhere")
    assert history is not None and history.ok
    assert "Gold" in page.inner_text("main") and "flagged" in page.inner_text("main")


def test_a_trainer_writes_previews_and_publishes_a_scenario(page, people, browser) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "trainerli")
    page.goto("/practice/manage")
    page.click("text=Write a scenario")
    page.fill("#slug", "gift-ask")
    page.fill("#title", "能送个礼物吗")
    page.fill("#persona", "想给男朋友买钱包的学生")
    page.select_option("#mood", "friendly")
    page.fill("#node-0-id", "ask")
    page.fill("#node-0-shopper", "买钱包能送个小礼物吗？")
    page.fill("#node-0-key_points", "礼盒 / 防尘袋\n保养卡")
    page.fill("#node-0-model", "亲，钱包本身就带礼盒、防尘袋和保养卡，送人很体面哦。")
    page.fill("#node-0-branches", "discount -> ask-again\nmet -> bought\nalways -> ask-again")
    page.fill("#node-1-id", "ask-again")
    page.fill("#node-1-shopper", "那真的什么都不送吗？")
    page.fill("#node-1-key_points", "礼盒")
    page.fill("#node-1-branches", "met -> bought\nalways -> left")
    page.fill("#node-2-id", "bought")
    page.select_option("#node-2-end", "order_placed")
    page.fill("#node-2-shopper", "好吧，那我拍了。")
    page.fill("#node-3-id", "left")
    page.select_option("#node-3-end", "left_unhappy")
    page.fill("#node-3-shopper", "那算了。")
    page.click("text=Check and save as a draft")
    page.wait_for_url("**/practice/manage/gift-ask/draft")
    assert "draft" in page.inner_text("main")
    page.click("button:has-text('Play it as a learner')")
    page.wait_for_selector("#practice-text")
    _say(page, "亲，钱包本身就带礼盒、防尘袋和保养卡，送人很体面哦。", 1)
    page.wait_for_selector("#practice-result")
    assert "order placed" in page.inner_text("#practice-result")
    page.goto("/practice/manage/gift-ask/draft")
    page.click("button:has-text('Publish')")
    assert "published" in page.inner_text("main")
    page.goto("/practice/manage/cheaper-elsewhere")
    assert "Where runs fail" in page.inner_text("main") and "Leaderboard" in page.inner_text("main")

    learner = browser.new_context(base_url=page.url.split("/practice")[0], locale="en-US")
    other = learner.new_page()
    sign_in(other, "zhaolei")
    other.goto("/practice/")
    assert "能送个礼物吗" in other.inner_text("main")
    learner.close()
