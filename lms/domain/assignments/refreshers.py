"""Refresher training: a course's major revision assigns it again to everyone who learned the old version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.domain.assignments.assigning import assign, older_version_learners
from lms.models import Certificate, Course, CourseRevision
from lms.models.certification import GO_LIVE


@dataclass
class RefresherRun:
    """What one pass over the pending revisions did."""

    revisions: int = 0
    assigned: int = 0


def assign_refreshers(session: Session, now: dt.datetime, due_days: int) -> RefresherRun:
    """Handle each unhandled major revision of a course marked "refresher on major change", once.

    The revision is claimed with a conditional UPDATE, so two runs in parallel never both handle it; the
    assignments' unique index would refuse duplicates anyway.
    """
    run = RefresherRun()
    pending = session.scalars(
        select(CourseRevision.id)
        .where(CourseRevision.major.is_(True), CourseRevision.handled_at.is_(None))
        .order_by(CourseRevision.id)
    ).all()
    for revision_id in pending:
        claimed = session.execute(
            update(CourseRevision)
            .where(CourseRevision.id == revision_id, CourseRevision.handled_at.is_(None))
            .values(handled_at=now)
            .returning(CourseRevision.id)
        ).first()
        if not claimed:
            continue  # another run took it
        revision = session.get(CourseRevision, revision_id)
        assert revision is not None
        course = session.get(Course, revision.course_id)
        run.revisions += 1
        if course is None or not course.refresher_on_major or not course.published:
            continue
        # Go-live holders whose certificate records its content get only what changed (certification's
        # "what changed" refresher), not the whole course again.
        holders = set(
            session.scalars(
                select(Certificate.user_id).where(
                    Certificate.kind == GO_LIVE,
                    Certificate.revoked_at.is_(None),
                    Certificate.content_version.is_not(None),
                )
            )
        )
        people = [p for p in older_version_learners(session, course, before=revision.at) if p not in holders]
        if not people:
            continue
        result = assign(
            session,
            None,
            people,
            course=course,
            due_on=now.date() + dt.timedelta(days=due_days),
            reason=f"{course.title}: version {revision.to_version} — {revision.note}".strip(" —")
            if revision.note
            else f"{course.title}: version {revision.to_version}",
            source="revision",
            now=now,
            revision_id=revision.id,
        )
        run.assigned += result.count
    return run
