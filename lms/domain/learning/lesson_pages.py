"""The lesson reader's page as plain values: the lesson with its course, the course's active lessons in
order and whether the programme lets learners work ahead. None of it depends on the reader, so the
web keeps it per process while the curriculum is unchanged (`lms/web/plan_cache.py`); what does
depend on the reader, which of the lessons they have done, is read on every view (`done_in_course`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lms.db import read_rows
from lms.domain.assignments.assigning import read_since_assigned
from lms.domain.curriculum.programme import WORK_AHEAD_COLUMN
from lms.domain.errors import N_, NotFound
from lms.models import Course, Lesson, LessonCompletion


@dataclass(frozen=True)
class CourseHead:
    """The course a lesson belongs to, as the reader names and links it."""

    id: int
    slug: str
    title: str
    title_en: str | None


@dataclass(frozen=True)
class LessonHead:
    """A lesson as a list and the previous/next links show it."""

    id: int
    slug: str
    title: str
    title_en: str | None
    day: int | None
    minutes: int


@dataclass(frozen=True)
class LessonText(LessonHead):
    """The lesson being read: its head, its texts and its course."""

    body: str
    body_en: str | None
    course: CourseHead


@dataclass(frozen=True)
class LessonPage:
    """Everything the reader shows that is the same for every learner."""

    lesson: LessonText
    lessons: tuple[LessonHead, ...]  # the course's active lessons, in order
    work_ahead: bool | None  # None before `lms content sync`

    @property
    def index(self) -> int:
        """Where the lesson stands among the course's lessons."""
        return next(i for i, head in enumerate(self.lessons) if head.id == self.lesson.id)


_HEAD = (Lesson.id, Lesson.slug, Lesson.title, Lesson.title_en, Lesson.day, Lesson.minutes)
_LESSON = (
    select(*_HEAD, Lesson.body, Lesson.body_en, Course.id, Course.slug, Course.title, Course.title_en)
    .add_columns(WORK_AHEAD_COLUMN)
    .join(Course, Course.id == Lesson.course_id)
    .where(
        Course.slug == bindparam("course"),
        Course.published.is_(True),
        Lesson.slug == bindparam("lesson"),
        Lesson.active.is_(True),
    )
)
_LESSONS = (
    select(*_HEAD)
    .where(Lesson.course_id == bindparam("course_id"), Lesson.active.is_(True))
    .order_by(Lesson.position, Lesson.id)
)


def read_lesson_page(session: Session, course_slug: str, lesson_slug: str) -> LessonPage:
    """An active lesson of a published course with its course's lessons (two statements), or NotFound."""
    row = read_rows(session, _LESSON, {"course": course_slug, "lesson": lesson_slug}).one_or_none()
    if row is None:
        raise NotFound(N_("No such lesson."))
    lesson_id, slug, title, title_en, day, minutes, body, body_en = row[:8]
    course, work_ahead = CourseHead(*row[8:12]), row[12]
    lesson = LessonText(lesson_id, slug, title, title_en, day, minutes, body or "", body_en, course)
    lessons = tuple(LessonHead(*r) for r in read_rows(session, _LESSONS, {"course_id": course.id}))
    if all(head.id != lesson_id for head in lessons):  # retired between the two reads (no transaction)
        raise NotFound(N_("No such lesson."))
    return LessonPage(lesson, lessons, None if work_ahead is None else bool(work_ahead))


#: The learner's done lessons of one course, counted as `course_progress` counts them: a lesson read
#: before an open assignment of its course was given is not done.
_DONE_IN_COURSE = select(LessonCompletion.lesson_id).where(
    LessonCompletion.user_id == bindparam("user_id"),
    LessonCompletion.lesson_id.in_(
        select(Lesson.id).where(Lesson.course_id == bindparam("course_id"), Lesson.active.is_(True))
    ),
    read_since_assigned(bindparam("user_id"), bindparam("course_id")),
)


def done_in_course(session: Session, user_id: int, course_id: int) -> set[int]:
    """Which of the course's active lessons this learner has done (one statement)."""
    return {
        lesson_id
        for (lesson_id,) in read_rows(session, _DONE_IN_COURSE, {"user_id": user_id, "course_id": course_id})
    }
