"""The desk's shape and its people items: nobody without a role or a store goes unnoticed; a trainer's scope."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.accounts.desk import Shortlist, agents_without_store, shortlist, trainer_scope, without_role
from lms.models import User
from tests.factories import CohortFactory, StoreFactory, UserFactory, add_store


def test_people_without_a_role_or_a_store(db: Session) -> None:
    UserFactory(roles=[], display_name="no role")
    UserFactory(roles=[], display_name="gone", active=False)
    agent = UserFactory(display_name="agent with store")
    UserFactory(display_name="new hire")
    UserFactory(roles=["trainer"], display_name="trainer")  # staff need no store
    db.flush()
    add_store(db, agent, StoreFactory(), main=True)
    db.commit()
    assert [u.display_name for u in without_role(db).first] == ["no role"]
    no_store = agents_without_store(db)
    assert no_store.count == 1 and no_store.first[0].display_name == "new hire"


def test_shortlist_counts_everything_and_lists_the_first_few(db: Session) -> None:
    for i in range(7):
        UserFactory(display_name=f"P{i}")
    db.commit()
    found = shortlist(db, select(User).order_by(User.display_name.desc()), limit=3)
    assert (
        found.count == 7 and found.more == 4 and [u.display_name for u in found.first] == ["P6", "P5", "P4"]
    )
    assert Shortlist[int]().more == 0


def test_a_trainer_covers_the_cohorts_they_lead_or_else_every_cohort(db: Session) -> None:
    lead, other = UserFactory(roles=["trainer"]), UserFactory(roles=["trainer"])
    db.flush()
    old = CohortFactory(trainer_id=lead.id, start_date=dt.date(2026, 9, 1))
    new = CohortFactory(trainer_id=lead.id, start_date=dt.date(2026, 11, 2))
    CohortFactory(trainer_id=None)
    db.commit()
    scope = trainer_scope(db, lead)
    assert scope.led and scope.ids == [new.id, old.id]
    everyone = trainer_scope(db, other)
    assert not everyone.led and len(everyone.cohorts) == 3
