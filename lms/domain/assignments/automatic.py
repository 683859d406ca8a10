"""Work the system assigns on its own (recertification, what changed, KPI dips, QC repeats, promotion
periods): each action is claimed once by a key, so parallel `lms jobs run` never act twice.

A claim is an `INSERT … ON CONFLICT DO NOTHING` of its key in the same transaction as the assignment:
of two racing runs one inserts and assigns, the other's insert waits (PostgreSQL) or is serialised
(SQLite) and then does nothing. A withdrawn automatic assignment stays withdrawn: its claim remains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lms.domain.assignments.assigning import assign
from lms.domain.errors import N_
from lms.models import Assignment, AutoClaim, Course, Quiz

#: Where each trigger's assignment is filed among the four sources (the trigger says exactly why).
SOURCE_OF = {
    "recert": "trainer",
    "changed": "revision",
    "kpi": "trainer",
    "qc_repeat": "qc",
    "calendar": "trainer",
}

#: The badge each trigger shows on staff pages (translated where shown).
TRIGGER_LABELS = {
    "recert": N_("Recertification"),
    "changed": N_("What changed"),
    "kpi": N_("KPI dip"),
    "qc_repeat": N_("Repeated QC failures"),
    "calendar": N_("Promotion period"),
}


def claim(session: Session, keys: dict[str, int | None], now: dt.datetime) -> set[str]:
    """Claim each key (key → user id) once; returns the keys this call claimed."""
    if not keys:
        return set()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"key": key, "user_id": user_id, "at": now} for key, user_id in keys.items()]
    return set(
        session.execute(insert(AutoClaim).on_conflict_do_nothing().returning(AutoClaim.key), rows).scalars()
    )


def claimed(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these keys were claimed already."""
    wanted = list(keys)
    if not wanted:
        return set()
    return set(session.scalars(select(AutoClaim.key).where(AutoClaim.key.in_(wanted))))


def assign_once(
    session: Session,
    key: str,
    user_id: int,
    *,
    trigger: str,
    course: Course | None = None,
    quiz: Quiz | None = None,
    due_on: dt.date,
    reason: str,
    now: dt.datetime,
    evidence: dict[str, Any] | None = None,
    items: dict[str, Any] | None = None,
    revision_id: int | None = None,
) -> Assignment | None:
    """Assign the work to one person under a claim key: the first call assigns, every later one
    (or a parallel one) does nothing. None when the key was claimed already or the person has the
    same work open (the open one stands; the claim is spent all the same)."""
    if key not in claim(session, {key: user_id}, now):
        return None
    result = assign(
        session,
        None,
        [user_id],
        course=course,
        quiz=quiz,
        due_on=due_on,
        reason=reason,
        source=SOURCE_OF[trigger],
        now=now,
        revision_id=revision_id,
    )
    if not result.created:
        return None
    assignment_id = result.created[0]
    session.execute(
        update(Assignment)
        .where(Assignment.id == assignment_id)
        .values(trigger=trigger, evidence=evidence, items=items)
    )
    session.execute(update(AutoClaim).where(AutoClaim.key == key).values(assignment_id=assignment_id))
    assignment = session.get(Assignment, assignment_id)
    if assignment is not None:
        session.refresh(assignment)
    return assignment
