"""In Chromium: a learner passes the last gating exam and the trainer's desk lists them as ready; one
click signs off and they leave the list; an essay waits with its age; the QC lead sees the agents not
checked for 30 days. Then each role's desk on a desktop and on a 390-px phone, in English and Chinese;
an expired certificate's row on one line at a laptop's width."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from bench.desk import seed_team
from lms.content.specs import QuestionSpec
from lms.domain.authoring.question_import import import_questions
from lms.domain.curriculum.calendar_days import working_days_before
from lms.domain.curriculum.programme import load_schedule
from lms.models import (
    Attempt,
    AttemptItem,
    Certificate,
    GoLiveSignoff,
    Programme,
    Question,
    Quiz,
    SpotCheck,
    User,
)
from lms.models.certification import GO_LIVE
from tests.domain.certification.test_golive import _complete_everything
from tests.e2e.conftest import ARTIFACTS, PHONE, assert_fits_a_phone, sign_in
from tests.e2e.test_quiz_flow import _answer, learner  # noqa: F401 - the drill quiz fixture, reused
from tests.factories import CohortFactory, UserFactory, bind, certified_agent

pytestmark = pytest.mark.e2e

ESSAY = QuestionSpec(
    "patina",
    "essay",
    "A customer asks why the leather darkened. Explain patina.",
    2.0,
    ("care",),
    "",
    {"rubric": "x"},
)


def _essay_waiting(session, user: User, submitted: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    """A submitted essay waiting for a trainer (submitted at `submitted`)."""
    quiz = session.scalars(select(Quiz).where(Quiz.slug == "care-essay")).one_or_none()
    if quiz is None:
        import_questions(session, "care-essay", [ESSAY])
        quiz = session.scalars(select(Quiz).where(Quiz.slug == "care-essay")).one()
        quiz.title = "Leather care essay"
    version = session.scalar(select(Question.current_version_id).where(Question.quiz_id == quiz.id))
    attempt = Attempt(
        user_id=user.id,
        quiz_id=quiz.id,
        number=1,
        status="submitted",
        started_at=submitted,
        submitted_at=submitted,
    )
    session.add(attempt)
    session.flush()
    session.add(
        AttemptItem(
            attempt_id=attempt.id,
            position=0,
            question_key="patina",
            question_version_id=version,
            response={"text": "真皮会随着使用慢慢变深，这是正常的包浆。"},
            needs_review=True,
            max_score=2.0,
        )
    )


@pytest.fixture
def desk_team(live_app: Flask, request: pytest.FixtureRequest) -> None:
    """The demo cohort: liuyang has everything but the last gating quiz (the drill) and no sign-off;
    wangfang's essay has waited two days; three live agents, one never checked, one checked 40 days ago."""
    request.getfixturevalue("learner")  # the curriculum, the drill quiz and liuyang
    session = live_app.extensions["lms.db"].session()
    bind(session)
    now = dt.datetime.now(dt.UTC)
    schedule = load_schedule(session)
    trainer = UserFactory(username="trainer", display_name="陈老师 Chen Jie", roles=["trainer"])
    qc = UserFactory(username="qclead", display_name="孙丽 Sun Li", roles=["qc"])
    session.flush()
    start = working_days_before(now.date(), 5, schedule.days_off, schedule.holidays)
    cohort = CohortFactory(name="November new hires", start_date=start, trainer_id=trainer.id)
    session.flush()
    liuyang = session.scalars(select(User).where(User.username == "liuyang")).one()
    liuyang.cohort_id = cohort.id
    wangfang = UserFactory(username="wangfang", display_name="王芳 Wang Fang", cohort_id=cohort.id)
    session.commit()
    _complete_everything(session, liuyang, signoff=False)
    programme = session.scalars(select(Programme)).one()
    programme.spec = {
        **programme.spec,
        "go_live": {
            **programme.spec["go_live"],
            "quizzes": [*programme.spec["go_live"]["quizzes"], "rules-drill"],
        },
    }
    _essay_waiting(session, wangfang, now - dt.timedelta(days=2, hours=3))
    for username, name, checked_days_ago in (
        ("zhangwei", "张伟 Zhang Wei", None),
        ("lina", "李娜 Li Na", 40),
        ("chenjing", "陈静 Chen Jing", 5),
    ):
        agent = UserFactory(username=username, display_name=name)
        session.flush()
        session.add(Certificate(user_id=agent.id, kind=GO_LIVE, code=f"live-{username}", issued_at=now))
        if checked_days_ago is not None:
            session.add(
                SpotCheck(
                    agent_id=agent.id,
                    checker_id=qc.id,
                    checked_on=now.date() - dt.timedelta(days=checked_days_ago),
                    percent=85.0,
                    created_at=now - dt.timedelta(days=checked_days_ago),
                )
            )
    session.commit()
    session.close()


def test_ready_sign_off_essay_age_and_unchecked_agents(browser, page, live_app: Flask, desk_team) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "liuyang")
    page.wait_for_url("**/learn/")
    page.goto("/learn/quizzes/rules-drill")
    page.click("text=Start attempt 1")
    _answer(page, "Held by Alipay", "False", "72")
    assert "Passed" in page.inner_text("main")
    page.context.clear_cookies()

    sign_in(page, "trainer")
    page.wait_for_url("**/staff/")
    ready = page.locator("#ready")
    assert "刘洋 Liu Yang" in ready.inner_text() and "November new hires" in ready.inner_text()
    assert ready.locator(".desk-count").inner_text() == "1"
    grading = page.locator("#grading").inner_text()
    assert (
        "王芳 Wang Fang" in grading
        and "waiting 2 days" in grading
        and "The oldest has waited 2 days" in grading
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desk-trainer-ready.png"), full_page=True)
    ready.get_by_role("button", name="Sign off 刘洋 Liu Yang for go-live").click()
    page.wait_for_url("**/staff/")
    assert "刘洋 Liu Yang is signed off" in page.inner_text(".flashes")
    assert "刘洋 Liu Yang" not in page.locator("#ready").inner_text()
    assert "Nobody is waiting for your sign-off." in page.locator("#ready").inner_text()
    session = live_app.extensions["lms.db"].session()
    liuyang = session.scalars(select(User).where(User.username == "liuyang")).one()
    assert session.scalars(select(GoLiveSignoff).where(GoLiveSignoff.user_id == liuyang.id)).one()
    assert session.scalars(select(Certificate).where(Certificate.user_id == liuyang.id)).one().valid
    session.close()
    page.context.clear_cookies()

    sign_in(page, "qclead")
    page.wait_for_url("**/staff/")
    unchecked = page.locator("#unchecked")
    text = unchecked.inner_text()
    # liuyang has just gone live, zhangwei was never checked, lina last 40 days ago; chenjing 5 days ago
    assert "Live agents not checked for 30 days" in text
    assert unchecked.locator(".desk-count").inner_text() == "3"
    assert (
        "张伟 Zhang Wei" in text
        and "never checked" in text
        and "李娜 Li Na" in text
        and "刘洋 Liu Yang" in text
    )
    assert "陈静 Chen Jing" not in text
    assert text.index("张伟 Zhang Wei") < text.index("李娜 Li Na")  # never checked first
    page.fill("#desk-days", "3")
    page.click("#unchecked button[type=submit]")
    assert "陈静 Chen Jing" in page.locator("#unchecked").inner_text()
    assert page.csp_errors == []


def test_each_roles_desk_on_desktop_and_phone_in_both_languages(
    browser, live_server: str, live_app: Flask, desk_team
) -> None:  # type: ignore[no-untyped-def]
    session = live_app.extensions["lms.db"].session()
    bind(session)
    UserFactory(username="admin", display_name="周敏 Zhou Min", roles=["admin"])
    UserFactory(username="chief", display_name="吴强 Wu Qiang", roles=["trainer", "qc", "admin"])
    trainer = session.scalars(select(User).where(User.username == "trainer")).one()
    seed_team(session, trainer, 30, dt.datetime.now(dt.UTC), prefix="team")
    session.commit()
    session.close()
    ARTIFACTS.mkdir(exist_ok=True)
    for locale in ("en", "zh_Hans"):
        for username in ("trainer", "qclead", "admin", "chief"):
            for device, options in (
                ("desktop", {"viewport": {"width": 1366, "height": 900}}),
                ("phone", PHONE),
            ):
                context = browser.new_context(base_url=live_server, locale="en-US", **options)
                page = context.new_page()
                errors: list[str] = []
                page.on(
                    "console",
                    lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None,
                )
                sign_in(page, username)
                page.wait_for_url("**/staff/")
                if locale == "zh_Hans":
                    with page.expect_navigation():
                        page.select_option("#lang-select", "zh_Hans")
                    assert "员工工作台" in page.inner_text("main")
                if device == "phone":
                    assert_fits_a_phone(page)
                page.screenshot(
                    path=str(ARTIFACTS / f"desk-{username}-{device}-{locale}.png"), full_page=True
                )
                assert errors == []
                if locale == "zh_Hans":  # leave the account in English for the next round
                    with page.expect_navigation():
                        page.select_option("#lang-select", "en")
                context.close()


def test_an_expired_certificates_date_stays_beside_the_name_on_a_laptop(
    browser, live_server: str, live_app: Flask, desk_team
) -> None:  # type: ignore[no-untyped-def]
    """At 1280 px a desk card is a third of the page: the holder's name and the bold "ended …" date
    share one line, as "ends …" does on the expiring list beside it."""
    session = live_app.extensions["lms.db"].session()
    bind(session)
    cohort = session.scalars(select(User).where(User.username == "wangfang")).one().cohort_id
    for name, days_ago in (("欧阳晓雯 Ouyang Xiaowen", 400), ("周敏 Zhou Min", 350)):
        certified_agent(session, days_ago, display_name=name, cohort_id=cohort)
    session.close()
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, "trainer")
    page.wait_for_url("**/staff/")
    for card, name in (("#expired", "欧阳晓雯 Ouyang Xiaowen"), ("#expiring", "周敏 Zhou Min")):
        row = page.locator(f"{card} .desk-list li").filter(has_text=name)
        what = row.locator(".desk-what").bounding_box()
        when = row.locator(".desk-when").bounding_box()
        assert what and when and when["x"] > what["x"] + what["width"], (card, what, when)
        assert abs(when["y"] - what["y"]) < what["height"], (card, what, when)
    context.close()
