"""In Chromium: QC records a failing spot check, assigns the suggested refresher; the agent sees it,
reads the course again and the assignment closes itself."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.domain.qc.checklist import ensure_default_checklist
from lms.models import Assignment
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.factories import UserFactory, bind

pytestmark = pytest.mark.e2e

TRANSCRIPT = """顾客：我的包怎么还没到？都三天了！
客服：这不是我们的问题，是快递慢。
顾客：你这什么态度？
客服：我们已经发货了，您自己查物流吧。"""


@pytest.fixture
def team(live_app: Flask) -> None:
    session = live_app.extensions["lms.db"].session()
    tree, _problems = check(PROJECT_ROOT)
    sync_content(session, tree)
    ensure_default_checklist(session)
    bind(session)
    UserFactory(username="qclead", display_name="孙丽 Sun Li", roles=["qc"])
    UserFactory(username="wangfang", display_name="王芳 Wang Fang")
    session.commit()
    session.close()


def test_spot_check_to_closed_refresher(page, browser, live_server: str, live_app: Flask, team) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "qclead")
    page.goto("/qc/spot-checks/new")
    page.fill("#agent", "王芳")  # the matches are suggested as QC types (htmx fills the datalist)
    page.wait_for_selector("#agent-options option[value=wangfang]", state="attached")
    page.fill("#agent", "wangfang")
    page.fill("#transcript", TRANSCRIPT)
    for fieldset in page.query_selector_all("fieldset.checklist-item"):
        legend = fieldset.query_selector("legend").inner_text()
        failing = "No argument" in legend or "Rating invitation" in legend
        fieldset.query_selector(f"input[value={'fail' if failing else 'pass'}]").check()
        if failing:
            fieldset.query_selector("input[type=text]").fill(
                "Blamed the courier and argued instead of apologising"
            )
    page.screenshot(path=str(ARTIFACTS / "qc-spot-check-form.png"), full_page=True)
    page.click("text=Save the spot check")
    assert "70 %" in page.inner_text(".page-head")  # 70 of 100 points
    assert "House rules: how we serve at Xingzhe" in page.inner_text(".suggestions")
    page.screenshot(path=str(ARTIFACTS / "qc-spot-check.png"), full_page=True)
    page.locator(".suggestion-course", has_text="House rules").get_by_role("button", name="Assign").click()
    assert "Assigned to 王芳 Wang Fang." in page.inner_text(".flashes")
    assert page.csp_errors == []

    agent = browser.new_context(base_url=live_server, locale="en-US", viewport={"width": 1366, "height": 800})
    learner = agent.new_page()
    sign_in(learner, "wangfang")
    learner.wait_for_url("**/learn/")
    assert "House rules: how we serve at Xingzhe" in learner.inner_text(".assignments-panel")
    assert learner.inner_text(".nav-count") == "1"
    learner.screenshot(path=str(ARTIFACTS / "qc-learner-assigned.png"), full_page=True)
    learner.click(".assignments-panel a:has-text('House rules')")
    lessons = [a.get_attribute("href") for a in learner.query_selector_all("main a[href*='/lessons/']")]
    assert len(set(lessons)) == 6
    for href in dict.fromkeys(lessons):
        learner.goto(href)
        learner.click("text=Mark as done")
    learner.goto("/learn/assignments")
    assert "Nothing assigned to you right now." in learner.inner_text("main")
    assert "completed" in learner.inner_text("main")
    agent.close()

    session = live_app.extensions["lms.db"].session()
    assignment = session.scalars(select(Assignment)).one()
    assert assignment.closed_how == "completed" and assignment.spot_check_id is not None
    session.close()
