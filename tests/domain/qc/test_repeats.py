"""Repeated spot-check failures on one topic within the window escalate to one assignment."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.domain.qc.repeats import escalate_repeated_failures
from lms.models import Assignment, SpotCheck, SpotCheckResult, User
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

NOW = dt.datetime(2027, 3, 20, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def synced(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()


def _failed(db: Session, agent: User, days_ago: int, topic: str = "returns") -> SpotCheck:
    check_row = SpotCheck(
        agent_id=agent.id, checked_on=NOW.date() - dt.timedelta(days=days_ago), score=40, max_score=100, percent=40
    )
    check_row.results.append(
        SpotCheckResult(position=0, label="Return rules", points=10, topics=[topic], outcome="fail")
    )
    db.add(check_row)
    db.commit()
    return check_row


def test_three_failures_on_a_topic_within_the_window_assign_its_course_once(
    app: Flask, db: Session, synced: None
) -> None:
    repeat, twice, long_ago = UserFactory(), UserFactory(), UserFactory()
    db.flush()
    for days in (2, 9, 20):
        _failed(db, repeat, days)
    for days in (3, 10):
        _failed(db, twice, days)
    for days in (5, 45, 60):  # two of them before the 30-day window
        _failed(db, long_ago, days)
    assert run_in_parallel(app, 4, lambda s: escalate_repeated_failures(s, NOW)) == []
    assignment = db.scalars(select(Assignment)).one()
    assert assignment.user_id == repeat.id and assignment.trigger == "qc_repeat" and assignment.source == "qc"
    assert assignment.course is not None and "returns" in assignment.course.topics
    assert assignment.evidence is not None and len(assignment.evidence["spot_checks"]) == 3
    # A fourth failure is not a new run of three: nothing more.
    _failed(db, repeat, 0)
    assert escalate_repeated_failures(db, NOW + dt.timedelta(hours=1)) == 0
    db.commit()
    assert db.scalar(select(func.count()).select_from(Assignment)) == 1
