"""The programme's schedule as the lesson reader reads it: one value, agreeing with the whole schedule."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from lms.domain.curriculum.programme import load_schedule
from lms.domain.learning.lessons import lesson_to_read
from lms.models import Programme
from tests.factories import CourseFactory, LessonFactory


def _a_lesson(db: Session) -> None:
    LessonFactory(course=CourseFactory(slug="rules"), slug="first")
    db.commit()


def test_before_the_curriculum_is_loaded_there_is_no_answer(db: Session) -> None:
    assert load_schedule(db) is None
    _a_lesson(db)
    lesson, work_ahead = lesson_to_read(db, "rules", "first")
    assert lesson.slug == "first" and work_ahead is None


@pytest.mark.parametrize(
    ("stored", "allowed"),
    [({"allow_work_ahead": True}, True), ({"allow_work_ahead": False}, False), ({}, True)],
)
def test_the_one_value_agrees_with_the_parsed_schedule(db: Session, stored: dict, allowed: bool) -> None:
    db.add(Programme(slug="onboarding", title="新人培训", spec={"days": 15, **stored}, content_hash="x"))
    db.commit()
    schedule = load_schedule(db)
    assert schedule is not None and schedule.allow_work_ahead is allowed
    # the lesson reader reads the same answer with the lesson, in the lesson's statement
    _a_lesson(db)
    assert lesson_to_read(db, "rules", "first")[1] is allowed
