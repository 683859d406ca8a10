"""Every learner's Today page shares one plan of the programme and one copy of its go-live rules per
process, read again as soon as a course, lesson, quiz, practice chat or the programme changes."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.calendar_days import working_days_before
from lms.domain.curriculum.sync import sync_content
from lms.models import Lesson, Programme, Quiz, Scenario
from lms.web import plan_cache
from tests.factories import CohortFactory


def plan_reads(statements: list[str]) -> list[str]:
    """The plan's own statements: lessons listed for the Today page (other parts count lessons)."""
    return [
        s
        for s in statements
        if " ".join(s.split()).startswith("SELECT lessons.course_id, lessons.id, lessons.slug")
    ]


@pytest.fixture
def on_day_three(db: Session, login_as):  # type: ignore[no-untyped-def]
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    cohort = CohortFactory(start_date=working_days_before(dt.date.today(), 2))
    db.flush()
    return login_as("learner", cohort_id=cohort.id)


def test_the_plan_is_reused_and_read_again_when_the_curriculum_changes(
    client: FlaskClient, db: Session, on_day_three, count_queries, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.post("/language", data={"locale": "zh_Hans", "next": "/learn/"})  # titles as written
    client.get("/learn/")
    with count_queries() as again:
        page = client.get("/learn/").get_data(as_text=True)
    assert not plan_reads(again.statements)
    lesson = db.scalars(select(Lesson).where(Lesson.slug == "01-why-the-warehouse")).one()
    assert lesson.title in page

    lesson.title = "为什么客服要先下仓库（新版）"
    db.commit()
    assert "为什么客服要先下仓库（新版）" in client.get("/learn/").get_data(as_text=True)  # at once

    lesson.active = False  # retired from the course file
    db.commit()
    assert "为什么客服要先下仓库（新版）" not in client.get("/learn/").get_data(as_text=True)

    quiz = db.scalars(select(Quiz).where(Quiz.slug == "warehouse-week-check")).one()
    quiz.published = False
    db.commit()
    with count_queries() as after_edit:
        page = client.get("/learn/").get_data(as_text=True)
    assert plan_reads(after_edit.statements) and quiz.title not in page

    monkeypatch.setattr(plan_cache, "MAX_AGE", 0.0)  # and at least once a minute, whatever happened
    with count_queries() as aged:
        client.get("/learn/")
    assert plan_reads(aged.statements)


def gate_rule_reads(statements: list[str]) -> list[str]:
    """The go-live rules' own statements: the gating quizzes and practice chats by slug."""
    flat = [" ".join(s.split()) for s in statements]
    return [s for s in flat if s.startswith(("SELECT quizzes.id", "SELECT scenarios.id")) and "IN (" in s]


def test_the_go_live_rules_are_reused_and_read_again_when_the_curriculum_changes(
    client: FlaskClient, db: Session, on_day_three, count_queries
) -> None:
    client.post("/language", data={"locale": "zh_Hans", "next": "/learn/"})
    client.get("/learn/")
    with count_queries() as again:
        page = client.get("/learn/").get_data(as_text=True)
    assert not gate_rule_reads(again.statements)
    programme = db.scalars(select(Programme)).one()
    gate = programme.spec["go_live"]
    quiz = db.scalars(select(Quiz).where(Quiz.slug == gate["quizzes"][0])).one()
    chat = db.scalars(select(Scenario).where(Scenario.slug == gate["scenarios"][0])).one()
    assert quiz.title in page and chat.title in page

    quiz.title = "仓库周小测（新版）"
    db.commit()
    with count_queries() as after_edit:
        page = client.get("/learn/").get_data(as_text=True)
    assert gate_rule_reads(after_edit.statements) and "仓库周小测（新版）" in page  # at once

    chat.title = "练习对话：催发货（新版）"
    db.commit()
    assert "练习对话：催发货（新版）" in client.get("/learn/").get_data(as_text=True)

    # The programme no longer gates on that quiz: the checklist drops it at once.
    programme.spec = {**programme.spec, "go_live": {**gate, "quizzes": gate["quizzes"][1:]}}
    db.commit()
    assert "仓库周小测（新版）" not in client.get("/learn/").get_data(as_text=True)


def test_the_cohort_matrix_shares_the_kept_rules_and_shows_an_edit_at_once(
    client: FlaskClient, db: Session, login_as, count_queries
) -> None:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    cohort = CohortFactory(start_date=working_days_before(dt.date.today(), 4))
    db.flush()
    login_as("trainer")
    client.post("/language", data={"locale": "zh_Hans", "next": "/"})
    path = f"/author/cohorts/{cohort.id}"
    client.get(path)
    with count_queries() as again:
        page = client.get(path).get_data(as_text=True)
    assert not gate_rule_reads(again.statements)
    programme = db.scalars(select(Programme)).one()
    gate = programme.spec["go_live"]
    quiz = db.scalars(select(Quiz).where(Quiz.slug == gate["quizzes"][-1])).one()
    assert quiz.title[:20] in page

    quiz.title = "平台规则终考（新版）"
    db.commit()
    assert "平台规则终考（新版）" in client.get(path).get_data(as_text=True)  # at once

    # The programme stops gating on it: its column goes at once (the schedule is kept too).
    programme.spec = {**programme.spec, "go_live": {**gate, "quizzes": gate["quizzes"][:-1]}}
    db.commit()
    assert "平台规则终考（新版）" not in client.get(path).get_data(as_text=True)


def test_the_today_page_reads_the_tier_ladder_from_the_kept_schedule_and_shows_an_edit_at_once(
    client: FlaskClient, db: Session, on_day_three, count_queries
) -> None:
    from lms.models import TierAward

    db.add(TierAward(user_id=on_day_three.id, sequence=1, tier="advanced", evidence={}))
    db.commit()
    client.post("/language", data={"locale": "zh_Hans", "next": "/learn/"})
    client.get("/learn/")
    with count_queries() as again:
        page = client.get("/learn/").get_data(as_text=True)
    assert "高级客服" in page and "精英客服" in page  # the tier, and the next one's name
    assert not any(s.startswith("SELECT programmes.id") for s in again.statements), again.statements

    programme = db.scalars(select(Programme)).one()
    tiers = [
        {**t, "name": "精英客服（新版）"} if t["slug"] == "elite" else t for t in programme.spec["tiers"]
    ]
    programme.spec = {**programme.spec, "tiers": tiers}
    db.commit()
    assert "精英客服（新版）" in client.get("/learn/").get_data(as_text=True)  # at once
