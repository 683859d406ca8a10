"""The lesson reader's page as plain values, and the learner's done flags read beside it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import false
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.domain.assignments import assigning
from lms.domain.errors import NotFound
from lms.domain.learning import lesson_pages
from lms.domain.learning.lesson_pages import done_in_course, read_lesson_page
from lms.domain.learning.lessons import course_progress, mark_done
from tests.factories import CourseFactory, LessonFactory, UserFactory


def _course(db: Session):  # type: ignore[no-untyped-def]
    course = CourseFactory(slug="platform-rules", title="平台规则", title_en="Platform rules")
    lessons = [
        LessonFactory(
            course=course, slug=f"0{n}-step", title=f"第{n}课", title_en=f"Step {n}", position=n, day=n
        )
        for n in (1, 2, 3)
    ]
    LessonFactory(course=course, slug="04-old", position=4, active=False)
    db.commit()
    return course, lessons


def test_the_page_holds_the_lesson_its_course_and_the_active_lessons_in_order(db: Session) -> None:
    course, lessons = _course(db)
    page = read_lesson_page(db, "platform-rules", "02-step")
    assert (page.lesson.id, page.lesson.title, page.lesson.title_en, page.lesson.day) == (
        lessons[1].id,
        "第2课",
        "Step 2",
        2,
    )
    assert page.lesson.body == lessons[1].body
    assert (page.lesson.course.id, page.lesson.course.slug, page.lesson.course.title_en) == (
        course.id,
        "platform-rules",
        "Platform rules",
    )
    assert [head.slug for head in page.lessons] == ["01-step", "02-step", "03-step"]  # the retired one is not
    assert page.index == 1
    assert page.work_ahead is None  # no programme loaded


def test_a_missing_or_retired_lesson_or_an_unpublished_course_is_not_found(db: Session) -> None:
    course, _lessons = _course(db)
    for slug in ("04-old", "no-such-lesson"):
        with pytest.raises(NotFound):
            read_lesson_page(db, "platform-rules", slug)
    course.published = False
    db.commit()
    with pytest.raises(NotFound):
        read_lesson_page(db, "platform-rules", "01-step")


def test_a_lesson_retired_between_the_two_reads_is_not_found(db: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _course(db)
    # The course's list, read after the lesson was retired (a reading request on PostgreSQL has no
    # transaction between its statements), no longer holds it.
    monkeypatch.setattr(lesson_pages, "_LESSONS", lesson_pages._LESSONS.where(false()))
    with pytest.raises(NotFound):
        read_lesson_page(db, "platform-rules", "01-step")


def test_done_flags_count_as_the_course_progress_counts_them(db: Session) -> None:
    """Done lessons of this course only; a completion older than an open assignment of the course
    asks to be read again."""
    course, lessons = _course(db)
    agent, qc = UserFactory(), UserFactory(roles=("qc",))
    other = LessonFactory(course=CourseFactory(slug="house-rules"), slug="01-other")
    db.commit()
    for lesson in (lessons[0], lessons[2], other):
        mark_done(db, agent, lesson)
    db.commit()
    assert done_in_course(db, agent.id, course.id) == {lessons[0].id, lessons[2].id}
    now = utcnow() + dt.timedelta(seconds=1)
    assigning.assign(
        db,
        qc,
        [agent.id],
        course=course,
        now=now,
        due_on=now.date() + dt.timedelta(days=7),
        reason="Spot check: quoted the wrong return window",
        source="qc",
    )
    db.commit()
    assert done_in_course(db, agent.id, course.id) == set()
    assert not any(s.done for s in course_progress(db, agent, course).lessons)  # the same answer
