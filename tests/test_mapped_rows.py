"""Rows of every column made the session's objects: persistent, loaded, unchanged, relationships on
first use; an object already in the session kept, or refreshed when asked."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from lms.mapped_rows import MappedRows
from lms.models import Cohort, User
from tests.factories import UserFactory

COHORTS = MappedRows(Cohort)


def test_a_returned_row_is_the_object_the_orm_would_load(app: Flask, db: Session, count_queries) -> None:
    trainer = UserFactory(roles=["trainer"])
    db.commit()
    row = (
        db.connection()
        .execute(
            insert(COHORTS.table).returning(*COHORTS.columns),
            {"name": "十二月班 December", "start_date": trainer.created_at.date(), "trainer_id": trainer.id},
        )
        .one()
    )
    cohort = COHORTS.make(db, row)
    state = inspect(cohort)
    assert state.persistent and not state.modified and state.expired_attributes == set()
    assert {"trainer", "members"} <= state.unloaded and not state.unloaded & set(COHORTS.keys)
    with count_queries() as counted:
        assert db.get(Cohort, cohort.id) is cohort and cohort.name == "十二月班 December"
        assert cohort.trainer is trainer  # a many-to-one already in the session: no statement
    assert counted.count == 0
    cohort.name = "十二月班"
    db.commit()  # a later change is written as on any loaded row
    db.expire_all()
    assert db.scalar(select(Cohort.name).where(Cohort.id == cohort.id)) == "十二月班"


def test_an_object_already_in_the_session_is_kept_or_refreshed(app: Flask, db: Session) -> None:
    person = UserFactory(display_name="李娜")
    db.commit()
    users = MappedRows(User)
    row = list(db.connection().execute(select(*users.columns).where(User.id == person.id)).one())
    row[users.keys.index("display_name")] = "李娜 Li Na"
    assert users.make(db, row) is person and person.display_name == "李娜"
    assert users.make(db, row, refresh=True) is person and person.display_name == "李娜 Li Na"
    assert not inspect(person).modified
