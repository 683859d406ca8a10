"""A promotion period assigns its preparation to everyone live, once, lead_days before it starts."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.assignments.assigning import cancel
from lms.domain.certification.promotions import assign_promotion_prep
from lms.domain.curriculum.sync import sync_content
from lms.models import Assignment, Certificate, Programme, User
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

DOUBLE_11 = {
    "slug": "double-11",
    "name": "双十一",
    "name_en": "Double 11",
    "starts": "11-11",
    "lead_days": 14,
    "course": "value-talk",
    "quiz": None,
}


@pytest.fixture
def synced(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    row = db.scalars(select(Programme)).one()
    row.spec = {**row.spec, "promotions": [DOUBLE_11]}
    db.commit()


def _live(db: Session, issued: dt.datetime) -> User:
    user = UserFactory()
    db.flush()
    db.add(Certificate(user_id=user.id, kind="go-live", code=secrets.token_urlsafe(12), issued_at=issued, evidence={}))
    db.commit()
    return user


def test_a_calendar_period_assigns_once_to_everyone_live(app: Flask, db: Session, synced: None) -> None:
    before = dt.datetime(2027, 10, 20, 8, 0, tzinfo=dt.UTC)  # 22 days ahead: not yet
    inside = dt.datetime(2027, 10, 30, 8, 0, tzinfo=dt.UTC)
    live = [_live(db, inside - dt.timedelta(days=100)) for _ in range(2)]
    _lapsed = _live(db, inside - dt.timedelta(days=400))  # expired (a year's validity)
    _new_hire = UserFactory()
    db.commit()
    assert assign_promotion_prep(db, before) == 0
    assert run_in_parallel(app, 4, lambda s: assign_promotion_prep(s, inside)) == []
    rows = db.scalars(select(Assignment).order_by(Assignment.user_id)).all()
    assert [a.user_id for a in rows] == [u.id for u in live]
    assert all(a.trigger == "calendar" and a.course is not None and a.course.slug == "value-talk" for a in rows)
    assert all(a.due_on == dt.date(2027, 11, 10) and "双十一" in a.reason for a in rows)
    # Withdrawn by staff: it stays withdrawn for this period.
    admin = UserFactory(roles=["admin"])
    db.flush()
    cancel(db, admin, rows[0].id, inside)
    db.commit()
    assert assign_promotion_prep(db, inside + dt.timedelta(days=2)) == 0
    db.commit()
    assert db.scalar(select(func.count()).select_from(Assignment)) == 2
