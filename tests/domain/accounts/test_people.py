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


def test_a_store_code_is_short_unique_and_never_reads_as_another_store(db: Session) -> None:
    tmall = people.create_store(db, "Xingzhe Flagship", "tmall", " xz-tmall ")
    assert tmall.code == "XZ-TMALL"
    assert people.find_store_by_code(db, "Xz-Tmall") is tmall
    for name, code, fragment in [
        ("Outlet", "XZ-TMALL", "taken by “Xingzhe Flagship”"),
        ("Outlet", "x", "2–20 characters"),
        ("Outlet", "XZ TMALL", "2–20 characters"),
        ("Outlet", "店铺", "2–20 characters"),
        ("Outlet", "XINGZHE FLAGSHIP"[:7] + "!", "2–20 characters"),
        ("xz-tmall", None, "another store's code"),
    ]:
        with pytest.raises(DomainError, match=fragment):
            people.create_store(db, name, "taobao", code)
    named = people.create_store(db, "OUTLET", "taobao")
    with pytest.raises(Conflict, match="another store's name"):
        people.update_store(db, tmall, "Xingzhe Flagship", "tmall", "outlet")
    assert named.code is None and people.create_store(db, "Second", "jd").code is None  # many without a code


def test_renaming_a_store_keeps_its_code_and_is_audited(db: Session) -> None:
    store = people.create_store(db, "Xingzhe Flagship", "tmall", "XZ-TMALL")
    people.update_store(db, store, "行者旗舰店", "tmall", "XZ-TMALL")
    people.update_store(db, store, "行者旗舰店", "tmall", "XZ-TMALL")  # no change, no event
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.action.like("store.%")).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["store.create", "store.update"]
    assert events[0].after == {"name": "Xingzhe Flagship", "code": "XZ-TMALL", "platform": "tmall"}
    assert events[1].before["name"] == "Xingzhe Flagship" and events[1].after["name"] == "行者旗舰店"
    assert people.find_store_by_code(db, "XZ-TMALL") is store
