"""In Chromium on a 390-px phone: a new hire on day 10 drills ten cards, gets one wrong (Again, and
it comes back in the same session), finishes; the Today page shows the streak."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.calendar_days import working_days_before
from lms.domain.curriculum.programme import load_schedule
from lms.domain.curriculum.sync import sync_content
from lms.models import DrillCard, FaqEntry
from tests.e2e.conftest import ARTIFACTS, PHONE, assert_fits_a_phone, sign_in
from tests.factories import CohortFactory, UserFactory, bind

pytestmark = pytest.mark.e2e

#: The ten cards due today (one operation among them); the day's other cards were drilled before.
DUE = [
    "greeting",
    "holding-reply",
    "slow-reply-sorry",
    "working-hours",
    "ship-when",
    "ship-courier",
    "ship-free",
    "ship-remote",
    "ship-time-city",
    "track-parcel",
]


@pytest.fixture
def day_ten(live_app: Flask) -> dict[str, dict[str, FaqEntry]]:
    session = live_app.extensions["lms.db"].session()
    bind(session)
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(session, tree)
    session.commit()
    schedule = load_schedule(session)
    assert schedule is not None
    cohort = CohortFactory(
        name="Drill cohort",
        start_date=working_days_before(dt.date.today(), 9, schedule.days_off, schedule.holidays),
    )
    session.flush()
    user = UserFactory(username="xiaomei", display_name="小美", cohort_id=cohort.id)
    session.flush()
    now = dt.datetime.now(dt.UTC)
    entries = {e.question: e for e in session.scalars(select(FaqEntry).where(FaqEntry.day == 10))}
    for entry in entries.values():
        if entry.key not in DUE:
            session.add(
                DrillCard(
                    user_id=user.id,
                    entry_id=entry.id,
                    state=2,
                    step=None,
                    stability=3.0,
                    difficulty=5.0,
                    due=now + dt.timedelta(days=3),
                    last_review=now - dt.timedelta(days=1),
                    reps=1,
                    review_days=1,
                )
            )
    session.commit()
    found = {"by_question": {q: e for q, e in entries.items()}}
    session.expunge_all()
    session.close()
    return found


def test_a_new_hire_drills_ten_cards_on_a_phone(browser, live_server: str, day_ten) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, locale="en-US", **PHONE)
    page = context.new_page()
    try:
        sign_in(page, "xiaomei")
        page.goto("/learn/")
        assert "Streak: 0 days" in page.inner_text("main")
        page.click("text=Drill now")
        ARTIFACTS.mkdir(exist_ok=True)
        ratings: list[tuple[str, str]] = []
        wrong: str | None = None
        for _ in range(12):
            if page.locator(".drill-done").count():
                break
            assert_fits_a_phone(page)
            question = page.inner_text("#drill-q").split("\n", 1)[-1].strip()
            entry = day_ten["by_question"][question]
            assert entry.answer not in page.inner_text("main")  # never before answering
            if page.locator("#drill-text").count():
                if wrong is None:
                    wrong = question
                    page.fill("#drill-text", "好的亲")
                    page.screenshot(path=str(ARTIFACTS / "drill-card.png"), full_page=True)
                else:
                    page.fill("#drill-text", entry.answer.replace("\n", " "))
                page.press("#drill-text", "Enter")  # keyboard only: Enter answers
            else:
                for n, step in enumerate(entry.steps, start=1):
                    page.select_option(f"#step-{n}", label=step)
                page.focus("#drill-form button[type=submit]")
                page.keyboard.press("Enter")
            page.wait_for_selector(".drill-result")
            assert_fits_a_phone(page)
            rating = page.inner_text(".rating")
            ratings.append((question, rating))
            assert entry.answer in page.inner_text(".model-answer")
            if rating == "Again":
                assert "Key point" in page.inner_text(".drill-reasons")
                assert "comes back in this session" in page.inner_text("main")
                page.screenshot(path=str(ARTIFACTS / "drill-again.png"), full_page=True)
            page.keyboard.press("Enter")  # "Next card" has the focus
            page.wait_for_selector("#drill-q, .drill-done")
        assert page.locator(".drill-done").count() == 1, ratings
        assert [r for q, r in ratings if q == wrong] == ["Again", "Good"]  # seen again in the session
        assert [r for _q, r in ratings].count("Good") == 10 and len(ratings) == 11
        assert "Today: 11/20 cards" in page.inner_text("#drill-progress")
        page.screenshot(path=str(ARTIFACTS / "drill-done.png"), full_page=True)
        page.goto("/learn/")
        assert "Streak: 1 day" in page.inner_text(".drill-panel")
        assert "FAQ mastery" in page.inner_text(".checklist") and "Typing speed" in page.inner_text(
            ".checklist"
        )
        assert_fits_a_phone(page)
        page.screenshot(path=str(ARTIFACTS / "drill-today-streak.png"), full_page=True)
    finally:
        context.close()
