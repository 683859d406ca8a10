"""The desk's overdue work: in a trainer's cohorts (most overdue first), and what QC handed out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from lms.domain.assignments.desk import overdue_from_qc, overdue_in_cohorts
from lms.models import Assignment, User
from tests.factories import CohortFactory, CourseFactory, UserFactory

TODAY = dt.date(2026, 11, 24)


def _assign(
    db: Session, user: User, course_id: int, due_days: int, source: str, closed: bool = False
) -> None:
    db.add(
        Assignment(
            user_id=user.id,
            course_id=course_id,
            due_on=TODAY + dt.timedelta(days=due_days),
            source=source,
            closed_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC) if closed else None,
        )
    )


def test_overdue_in_cohorts_and_from_qc(db: Session) -> None:
    mine, other = CohortFactory(), CohortFactory()
    course, course2 = CourseFactory(), CourseFactory()
    db.flush()
    a, b, c = UserFactory(cohort_id=mine.id), UserFactory(cohort_id=mine.id), UserFactory(cohort_id=other.id)
    db.flush()
    _assign(db, a, course.id, -2, "trainer")
    _assign(db, b, course.id, -9, "spot_check")
    _assign(db, b, course2.id, -1, "qc", closed=True)  # done: not overdue
    _assign(db, c, course.id, -5, "qc")
    _assign(db, a, course2.id, 3, "qc")  # not due yet
    db.commit()
    in_mine = overdue_in_cohorts(db, [mine.id], TODAY)
    assert in_mine.count == 2 and [x.user_id for x in in_mine.first] == [b.id, a.id]
    from_qc = overdue_from_qc(db, TODAY, limit=1)
    assert from_qc.count == 2 and from_qc.first[0].user_id == b.id and from_qc.more == 1
    assert overdue_in_cohorts(db, [], TODAY).count == 0
