"""A two-month KPI dip assigns one refresher, chosen by the weakest metric, once per dip."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.domain.kpi.dips import assign_kpi_refreshers
from lms.models import Assignment, KpiRecord, Store, User
from tests.concurrency import run_in_parallel
from tests.factories import StoreFactory, UserFactory, add_store

NOW = dt.datetime(2027, 3, 5, 8, 0, tzinfo=dt.UTC)
LOW = {  # conversion far below target, the rest close to it: conversion is the weakest metric
    "conversion_rate": 18,
    "avg_response_seconds": 16,
    "satisfaction": 97.5,
    "invite_rate": 88,
    "push_completion": 100,
}
GOOD = {**LOW, "conversion_rate": 42}


@pytest.fixture
def synced(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()


def _agent(db: Session, store: Store, months: dict[str, dict[str, float]]) -> User:
    user = UserFactory()
    db.flush()
    add_store(db, user, store, main=True)
    for month, values in months.items():
        db.add(KpiRecord(user_id=user.id, store_id=store.id, month=month, **values))
    db.commit()
    return user


def test_a_two_month_dip_assigns_one_refresher_by_the_weakest_metric(
    app: Flask, db: Session, synced: None
) -> None:
    store = StoreFactory()
    db.flush()
    dipped = _agent(db, store, {"2027-01": LOW, "2027-02": LOW})
    _once = _agent(db, store, {"2027-01": GOOD, "2027-02": LOW})  # one low month is no dip
    _fine = _agent(db, store, {"2027-01": GOOD, "2027-02": GOOD})
    errors = run_in_parallel(app, 4, lambda s: assign_kpi_refreshers(s, NOW))
    assert errors == []
    assignment = db.scalars(select(Assignment)).one()
    assert assignment.user_id == dipped.id and assignment.trigger == "kpi"
    assert assignment.course is not None and assignment.course.slug == "value-talk"
    assert assignment.evidence is not None
    assert assignment.evidence["weakest_metric"] == "conversion_rate"
    assert set(assignment.evidence["months"]) == {"2027-01", "2027-02"}
    assert all(score < 80 for score in assignment.evidence["months"].values())
    # The same dip going on for a third month assigns nothing more, even once the first is withdrawn.
    db.add(KpiRecord(user_id=dipped.id, store_id=store.id, month="2027-03", **LOW))
    assignment.closed_at, assignment.closed_how = NOW, "cancelled"
    db.commit()
    assert assign_kpi_refreshers(db, NOW + dt.timedelta(days=30)) == 0
    db.commit()
    assert db.scalar(select(func.count()).select_from(Assignment)) == 1
