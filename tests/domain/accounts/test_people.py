"""Accounts: users, roles, stores, cohorts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.accounts import people
from lms.domain.curriculum.calendar_days import working_days_before
from lms.domain.errors import Conflict, DomainError
from lms.models import AuditEvent
from lms.models.audit import AuditLogIsAppendOnly
from tests.factories import StoreFactory, UserFactory


def test_main_store_can_move_between_stores(db: Session) -> None:
    a, b, c = StoreFactory(name="A"), StoreFactory(name="B"), StoreFactory(name="C")
    user = people.create_user(db, people.UserData("agent", "Agent", stores=["A", "B"]))
    db.commit()
    people.set_stores(db, user, [b, a, c])
    db.commit()
    assert [(link.store.name, link.is_main) for link in user.store_links] == [
        ("B", True),
        ("A", False),
        ("C", False),
    ]


def test_an_agent_works_in_at_most_three_stores(db: Session) -> None:
    for name in "ABCD":
        StoreFactory(name=name)
    with pytest.raises(DomainError, match="at most 3"):
        people.create_user(db, people.UserData("agent", "Agent", stores=list("ABCD")))


def test_usernames_are_unique_without_case(db: Session) -> None:
    people.create_user(db, people.UserData("Wang.Fang", "Wang"))
    with pytest.raises(Conflict):
        people.create_user(db, people.UserData("wang.fang", "Another"))


def test_unknown_roles_are_refused() -> None:
    with pytest.raises(DomainError, match="Unknown role"):
        people.parse_roles(["learner", "pilot"])


def test_audit_events_cannot_be_changed_or_deleted(db: Session) -> None:
    user = UserFactory()
    db.commit()
    people.set_active(db, user, False)
    db.commit()
    event = db.scalars(select(AuditEvent)).first()
    assert event is not None
    event.action = "something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()
    db.rollback()
    db.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()


def test_working_days_before_skips_weekends() -> None:
    monday = dt.date(2026, 11, 23)
    assert working_days_before(monday, 0) == monday
    assert working_days_before(monday, 1) == dt.date(2026, 11, 20)  # Friday
    assert working_days_before(monday, 5) == dt.date(2026, 11, 16)
    sunday = dt.date(2026, 11, 29)
    assert working_days_before(sunday, 0) == dt.date(2026, 11, 27)
