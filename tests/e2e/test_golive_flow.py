"""In Chromium: Day N+1 for a cohort that started N working days ago; passing the last gating quiz
brings the certificate; the public verification page confirms it."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from lms.domain.curriculum.calendar_days import working_days_before
from lms.domain.curriculum.programme import load_schedule
from lms.models import GoLiveSignoff, Programme, User
from tests.domain.certification.test_golive import _complete_everything
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_quiz_flow import _answer, learner  # noqa: F401 - the drill quiz fixture, reused
from tests.factories import CohortFactory, UserFactory, bind

pytestmark = pytest.mark.e2e


@pytest.fixture
def almost_live(live_app: Flask, request: pytest.FixtureRequest) -> None:
    """Everything done but the last gating quiz (the drill stands in for it) and a trainer signed off."""
    request.getfixturevalue("learner")  # the drill quiz and the learner, from the quiz-flow test
    session = live_app.extensions["lms.db"].session()
    bind(session)
    schedule = load_schedule(session)
    start = working_days_before(dt.date.today(), 5, schedule.days_off, schedule.holidays)
    cohort = CohortFactory(name="Demo cohort", start_date=start)
    session.flush()
    user = session.scalars(select(User).where(User.username == "liuyang")).one()
    user.cohort_id = cohort.id
    session.commit()
    _complete_everything(session, user, signoff=False)
    programme = session.scalars(select(Programme)).one()
    programme.spec = {
        **programme.spec,
        "go_live": {
            **programme.spec["go_live"],
            "quizzes": [*programme.spec["go_live"]["quizzes"], "rules-drill"],
        },
    }
    trainer = UserFactory(roles=["trainer"])
    session.flush()
    session.add(
        GoLiveSignoff(user_id=user.id, trainer_id=trainer.id, comment="Ready.", at=dt.datetime.now(dt.UTC))
    )
    session.commit()
    session.close()


def test_day_certificate_and_verification(page, live_app: Flask, almost_live) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", "liuyang")
    page.fill("#password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_url("**/learn/")
    expected = 6  # five working days done, whatever today is
    assert f"Day {expected} of 15" in page.inner_text(".today")
    assert "Rules drill" in page.inner_text(".checklist")
    page.goto("/learn/quizzes/rules-drill")
    page.click("text=Start attempt 1")
    _answer(page, "Held by Alipay", "False", "72")
    assert "Passed" in page.inner_text("main")
    page.goto("/learn/")
    assert "You are certified to take live chats." in page.inner_text("main")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "today-certified.png"), full_page=True)
    page.click("text=Your certificate")
    page.screenshot(path=str(ARTIFACTS / "certificate.png"), full_page=True)
    href = page.get_attribute("a:has-text('Download PDF')", "href")
    response = page.request.get(href)
    assert response.ok and response.body().startswith(b"%PDF")
    code = page.url.rsplit("/", 1)[1]
    anonymous = page.context.browser.new_context(base_url=page.url.split("/certificates")[0])
    public_page = anonymous.new_page()
    public_page.goto(f"/verify/{code}")
    assert "Valid certificate" in public_page.inner_text("main")
    assert "刘洋 Liu Yang" in public_page.inner_text("main")
    anonymous.close()
    assert page.csp_errors == []
