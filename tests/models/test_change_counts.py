"""The change counters move with every write to the tables of their topic (migration 0020's
triggers), once per statement or more, and not with writes elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from lms.domain.curriculum.programme import plan_fingerprint
from lms.domain.tiers.leaderboard import fingerprint as floor_fingerprint
from lms.models import Certificate, ChangeCount, Course, KpiRecord, Lesson, Quiz, TierAward, User
from lms.models.change_counts import FLOOR, PLAN
from tests.factories import CourseFactory, LessonFactory, StoreFactory, UserFactory

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


def changes(db: Session, topic: str) -> int:
    return db.scalar(select(ChangeCount.changes).where(ChangeCount.topic == topic)) or 0


def moves(db: Session, write: Callable[[], object]) -> tuple[int, int]:
    """How far one committed write moves (plan, floor)."""
    before = changes(db, PLAN), changes(db, FLOOR)
    write()
    db.commit()
    return changes(db, PLAN) - before[0], changes(db, FLOOR) - before[1]


def test_curriculum_writes_move_the_plan_and_nothing_else(db: Session) -> None:
    course = CourseFactory()
    lesson = LessonFactory(course=course)
    db.commit()
    assert (
        moves(db, lambda: db.execute(update(Course).where(Course.id == course.id).values(title="仓库周")))[0]
        >= 1
    )
    assert moves(db, lambda: db.execute(update(Lesson).values(active=False)))[0] >= 1
    quiz = Quiz(slug="warehouse-week-check", title="仓库周测验", course_id=course.id)
    assert moves(db, lambda: db.add(quiz))[0] >= 1
    assert moves(db, lambda: db.delete(lesson)) == (1, 0)
    # Not the plan: people, KPI, completions.
    assert moves(db, lambda: UserFactory())[0] == 0


@pytest.mark.parametrize("renamed", [True, False])
def test_people_move_the_floor_when_added_removed_or_switched_on_or_off(db: Session, renamed: bool) -> None:
    assert moves(db, lambda: UserFactory()) == (0, 1)
    user = db.scalars(select(User)).first()
    assert user is not None
    if renamed:  # a rename is not in the floor's fingerprint (its cache's age bounds it)
        assert moves(db, lambda: db.execute(update(User).values(display_name="王芳"))) == (0, 0)
    else:
        assert moves(db, lambda: db.execute(update(User).values(active=False))) == (0, 1)
    # On PostgreSQL the foreign keys' actions (certificates, tier steps, KPI records and authored
    # content pointing at the person) are statements of their own, and move their topics too.
    assert moves(db, lambda: db.execute(delete(User).where(User.id == user.id)))[1] >= 1


def test_certificates_tier_steps_and_kpi_move_the_floor(db: Session) -> None:
    agent, store = UserFactory(), StoreFactory()
    db.commit()
    certificate = {"user_id": agent.id, "kind": "go_live", "code": "GL-TEST-1", "issued_at": NOW}
    assert moves(db, lambda: db.execute(insert(Certificate).values(**certificate)))[1] >= 1
    assert moves(db, lambda: db.execute(update(Certificate).values(revoked_at=NOW)))[1] >= 1
    award = {"user_id": agent.id, "sequence": 1, "tier": "advanced", "awarded_at": NOW}
    assert moves(db, lambda: db.execute(insert(TierAward).values(**award)))[1] >= 1
    kpi = [
        {"user_id": agent.id, "store_id": store.id, "month": f"2026-{m:02d}", "imported_at": NOW}
        for m in range(1, 13)
    ]
    moved = moves(db, lambda: db.execute(insert(KpiRecord), kpi))
    assert moved[0] == 0 and moved[1] >= 1  # once per statement on PostgreSQL, per row on SQLite
    assert moves(db, lambda: db.execute(delete(KpiRecord)))[1] >= 1
    assert db.scalar(select(func.count()).select_from(KpiRecord)) == 0


def test_the_fingerprints_read_the_counters(db: Session, count_queries) -> None:
    with count_queries() as counter:
        plan, floor = plan_fingerprint(db), floor_fingerprint(db)
    assert counter.count == 2
    CourseFactory()
    db.commit()
    db.expire_all()
    assert plan_fingerprint(db) != plan and floor_fingerprint(db) != floor  # the floor reads the plan's tiers
    now_plan = plan_fingerprint(db)
    UserFactory()
    db.commit()
    assert plan_fingerprint(db) == now_plan and floor_fingerprint(db) != floor
