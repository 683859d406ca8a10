"""A tier with a validity period: its exam is assigned before the end, a pass renews it, else it expires."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain import events
from lms.domain.curriculum.sync import sync_content
from lms.domain.tiers.renewal import assign_tier_recertification, tier_status
from lms.models import Assignment, Attempt, Programme, Quiz, TierAward, User
from lms.models.learning import GRADED
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

T = dt.datetime(2027, 5, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def synced(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    row = db.scalars(select(Programme)).one()
    tiers = [{**t, "valid_days": 180} if t["slug"] == "advanced" else t for t in row.spec["tiers"]]
    row.spec = {**row.spec, "tiers": tiers}
    db.commit()


def _advanced(db: Session) -> User:
    user = UserFactory()
    db.flush()
    db.add(TierAward(user_id=user.id, sequence=1, tier="advanced", kind="promotion", awarded_at=T, evidence={}))
    db.commit()
    return user


def test_a_tier_is_renewed_by_its_exam_before_it_ends_or_expires(app: Flask, db: Session, synced: None) -> None:
    renewing, lapsing = _advanced(db), _advanced(db)
    assert tier_status(db, renewing, T + dt.timedelta(days=100)).state == "valid"
    assert assign_tier_recertification(db, T + dt.timedelta(days=100)) == 0
    soon = T + dt.timedelta(days=160)
    assert tier_status(db, renewing, soon).state == "expiring"
    assert run_in_parallel(app, 3, lambda s: assign_tier_recertification(s, soon)) == []
    exam = db.scalars(select(Quiz).where(Quiz.slug == "tier-advanced-exam")).one()
    rows = db.scalars(select(Assignment).order_by(Assignment.user_id)).all()
    assert [(a.user_id, a.quiz_id, a.trigger) for a in rows] == [
        (renewing.id, exam.id, "recert"),
        (lapsing.id, exam.id, "recert"),
    ]
    attempt = Attempt(
        user_id=renewing.id,
        quiz_id=exam.id,
        number=1,
        status=GRADED,
        started_at=soon + dt.timedelta(days=1),
        submitted_at=soon + dt.timedelta(days=1, minutes=30),
        score=9,
        max_score=10,
        percent=90,
        passed=True,
    )
    db.add(attempt)
    db.flush()
    events.publish(events.attempt_graded, db, attempt=attempt, now=soon + dt.timedelta(days=1))
    db.commit()
    later = T + dt.timedelta(days=200)
    assert tier_status(db, renewing, later).state == "valid"
    assert db.scalar(select(func.count()).select_from(TierAward).where(TierAward.kind == "renewal")) == 1
    assert tier_status(db, lapsing, later).state == "expired"
