"""A course's major revision assigns a refresher, once, to exactly the people who learned the old version."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.domain.assignments.refreshers import assign_refreshers
from lms.domain.learning.lessons import mark_done
from lms.models import Assignment, Course, CourseRevision, Lesson
from tests.concurrency import run_in_parallel
from tests.domain.curriculum.test_sync import _copy_curriculum, _sync
from tests.factories import UserFactory


def _bump(root: Path, course: str, version: str) -> None:
    course_file = root / "courses" / course / "course.toml"
    text = course_file.read_text(encoding="utf-8")
    bumped = re.sub(r'^version = "[0-9.]+"$', f'version = "{version}"', text, count=1, flags=re.MULTILINE)
    assert bumped != text
    course_file.write_text(bumped, encoding="utf-8")


def _next_minor(root: Path, course: str) -> str:
    """The course's shipped version with its minor part counted up (whatever the curriculum is at)."""
    text = (root / "courses" / course / "course.toml").read_text(encoding="utf-8")
    major, minor = re.search(r'^version = "([0-9]+)\.([0-9]+)', text, flags=re.MULTILINE).groups()  # type: ignore[union-attr]
    return f"{major}.{int(minor) + 1}"


def _learned(db: Session, slug: str) -> list[int]:
    """Three people: one read a lesson of the course, one read another course, one read nothing."""
    reader, other, idle = UserFactory(), UserFactory(), UserFactory()
    lesson = db.scalars(select(Lesson).join(Course).where(Course.slug == slug)).first()
    elsewhere = db.scalars(select(Lesson).join(Course).where(Course.slug == "value-talk")).first()
    assert lesson is not None and elsewhere is not None
    mark_done(db, reader, lesson)
    mark_done(db, other, elsewhere)
    db.commit()
    return [reader.id, other.id, idle.id]


def test_major_bump_assigns_the_people_on_the_old_version_once(db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    reader, _other, _idle = _learned(db, "platform-rules")
    _bump(root, "platform-rules", "3.0")
    _sync(db, root)
    now = utcnow()
    run = assign_refreshers(db, now, due_days=14)
    db.commit()
    assert (run.revisions, run.assigned) == (1, 1)
    assignment = db.scalars(select(Assignment)).one()
    assert assignment.user_id == reader and assignment.source == "revision"
    assert assignment.due_on == now.date() + dt.timedelta(days=14) and assignment.revision_id is not None
    again = assign_refreshers(db, now, due_days=14)
    assert (again.revisions, again.assigned) == (0, 0)
    assert db.scalars(select(CourseRevision)).one().handled_at is not None


def test_minor_bumps_assign_nothing(db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    _learned(db, "platform-rules")
    _bump(root, "platform-rules", _next_minor(root, "platform-rules"))
    _sync(db, root)
    assert assign_refreshers(db, utcnow(), due_days=14).assigned == 0
    assert db.scalar(select(func.count()).select_from(Assignment)) == 0


def test_parallel_runs_assign_each_person_once(app: Flask, db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    readers = [_learned(db, "house-rules")[0] for _ in range(3)]
    _bump(root, "house-rules", "3.0")
    _sync(db, root)
    errors = run_in_parallel(app, 4, lambda session: assign_refreshers(session, utcnow(), due_days=7))
    assert errors == []
    assert sorted(db.scalars(select(Assignment.user_id))) == sorted(readers)
