"""In Chromium: the loaded programme for staff, and a learner reading and finishing a lesson."""

from __future__ import annotations

import pytest
from flask import Flask

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from tests.e2e.conftest import ARTIFACTS
from tests.factories import UserFactory, bind

pytestmark = pytest.mark.e2e


@pytest.fixture
def curriculum(live_app: Flask) -> None:
    session = live_app.extensions["lms.db"].session()
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(session, tree)
    bind(session)
    UserFactory(username="chenjie", display_name="陈老师 Chen Jie", roles=["trainer"])
    UserFactory(username="lina", display_name="李娜 Li Na", roles=["learner"])
    session.commit()
    session.close()


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def test_trainer_sees_the_programme(page, curriculum) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, "chenjie")
    page.click("nav.mainnav >> text=Curriculum")
    page.wait_for_url("**/author/curriculum/")
    assert "Warehouse week" in page.inner_text("main")
    tree, _problems = check(PROJECT_ROOT)
    assert str(sum(len(quiz.questions) for quiz in tree.quizzes.values())) in page.inner_text(".stats")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "curriculum-trainer.png"), full_page=False)
    page.click("text=Alipay disputes: risk, evidence and the 72-hour window")
    assert "superficial conformity" in page.inner_text("article")
    assert page.csp_errors == []


def test_learner_reads_and_finishes_a_lesson(page, curriculum) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, "lina")
    page.click("text=Warehouse week: know every bag before you sell it")
    page.wait_for_url("**/learn/courses/warehouse-week")
    assert "0 of 10 lessons done" in page.inner_text("main")
    page.click("text=Why an agent starts in the warehouse")
    page.click("text=Mark as done")
    page.wait_for_url("**/lessons/02-the-catalogue")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lesson-reader.png"), full_page=False)
    page.goto("/learn/courses/warehouse-week")
    assert "1 of 10 lessons done" in page.inner_text("main")
    assert page.csp_errors == []
