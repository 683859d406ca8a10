"""Reading lessons: what a learner may see, progress through a course, marking lessons done."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, load_only, undefer

from lms.db import utcnow
from lms.domain import events
from lms.domain.assignments.assigning import (
    close_for_course,
    close_listed,
    open_course_assignment,
    open_listing,
    read_since_assigned,
)
from lms.domain.errors import N_, NotFound
from lms.models import Course, Lesson, LessonCompletion, User


@dataclass
class LessonStatus:
    """A lesson and whether this learner has done it."""

    lesson: Lesson
    done: bool


@dataclass
class CourseProgress:
    """A learner's way through one course."""

    course: Course
    lessons: list[LessonStatus]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.lessons if s.done)

    @property
    def percent(self) -> int:
        """Share of lessons done, 0–100."""
        return round(100 * self.done_count / len(self.lessons)) if self.lessons else 0

    def next_to_read(self, after: Lesson) -> Lesson | None:
        """The lesson to go on to once `after` is read: the first one not done that comes after it in
        the course, else the first one not done before it (a learner who skipped ahead goes back to
        what they missed), else None (every lesson done)."""
        ids = [s.lesson.id for s in self.lessons]
        here = ids.index(after.id) + 1 if after.id in ids else 0
        ahead, behind = self.lessons[here:], self.lessons[:here]
        return next((s.lesson for s in (*ahead, *behind) if not s.done), None)

    @property
    def complete(self) -> bool:
        return bool(self.lessons) and self.done_count == len(self.lessons)


def visible_course(session: Session, slug: str) -> Course:
    """A published course, or NotFound (drafts do not exist for learners). Its lessons are not read
    here: the pages that list them read them with the learner's progress (`course_progress`)."""
    course = session.scalars(
        select(Course).where(Course.slug == slug, Course.published.is_(True))
    ).one_or_none()
    if course is None:
        raise NotFound(N_("No such course."))
    return course


#: The lesson with its course, in one query built once (the lesson reader's first read).
_VISIBLE_LESSON = (
    select(Lesson)
    .join(Course)
    .where(
        Course.slug == bindparam("course"),
        Course.published.is_(True),
        Lesson.slug == bindparam("lesson"),
        Lesson.active.is_(True),
    )
    .options(contains_eager(Lesson.course))
)


def visible_lesson(session: Session, course_slug: str, lesson_slug: str) -> Lesson:
    """An active lesson of a published course, or NotFound."""
    lesson = session.scalars(_VISIBLE_LESSON, {"course": course_slug, "lesson": lesson_slug}).one_or_none()
    if lesson is None:
        raise NotFound(N_("No such lesson."))
    return lesson


def done_lesson_ids(session: Session, user: User, lesson_ids: list[int]) -> set[int]:
    """Which of these lessons the user has marked done (one query); a lesson read before an open
    assignment of its course was given counts as not done, so the refresher asks for it again."""
    if not lesson_ids:
        return set()
    return set(session.scalars(_DONE, {"user_id": user.id, "lesson_ids": lesson_ids}))


#: Built once (the lesson reader and the course page ask on every view).
_DONE = (
    select(LessonCompletion.lesson_id)
    .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
    .where(
        LessonCompletion.user_id == bindparam("user_id"),
        LessonCompletion.lesson_id.in_(bindparam("lesson_ids", expanding=True)),
        read_since_assigned(bindparam("user_id")),
    )
)
#: A course's active lessons in order, without their bodies (a list shows titles, not texts).
_ACTIVE_LESSONS = (
    select(Lesson)
    .where(Lesson.course_id == bindparam("course_id"), Lesson.active.is_(True))
    .options(
        load_only(
            Lesson.id,
            Lesson.course_id,
            Lesson.slug,
            Lesson.title,
            Lesson.title_en,
            Lesson.day,
            Lesson.minutes,
            Lesson.position,
            Lesson.active,
        )
    )
    .order_by(Lesson.position, Lesson.id)
)


#: The same lessons, each with whether this learner has done it (as `done_lesson_ids` counts it).
_ACTIVE_LESSONS_DONE = _ACTIVE_LESSONS.add_columns(
    select(LessonCompletion.lesson_id)
    .where(
        LessonCompletion.user_id == bindparam("user_id"),
        LessonCompletion.lesson_id == Lesson.id,
        # All of them are of one course: naming it keeps the inner test off the outer lessons row.
        read_since_assigned(bindparam("user_id"), bindparam("course_id")),
    )
    .exists()
    .label("done")
)


#: The same with each lesson's Markdown bodies (the API's course document carries them).
_ACTIVE_LESSONS_DONE_WITH_BODIES = _ACTIVE_LESSONS_DONE.options(undefer(Lesson.body), undefer(Lesson.body_en))


def course_progress(session: Session, user: User, course: Course, *, bodies: bool = False) -> CourseProgress:
    """Each active lesson of the course with its done flag (one query: the lesson reader and the
    course page ask on every view); `bodies`: with the lessons' texts read in the same query (not one
    query per lesson when each is read)."""
    statement = _ACTIVE_LESSONS_DONE_WITH_BODIES if bodies else _ACTIVE_LESSONS_DONE
    rows = session.execute(statement, {"course_id": course.id, "user_id": user.id})
    return CourseProgress(course, [LessonStatus(lesson, bool(done)) for lesson, done in rows])


def mark_done(session: Session, user: User, lesson: Lesson) -> LessonCompletion:
    """Record the lesson as done (with the course version); doing it again changes nothing, unless an
    open assignment of the course came after the first reading: then it is read again, and may close it."""
    existing = session.scalars(
        select(LessonCompletion).where(
            LessonCompletion.user_id == user.id, LessonCompletion.lesson_id == lesson.id
        )
    ).one_or_none()
    if existing is not None:
        assignment = open_course_assignment(session, user.id, lesson.course_id)
        listing = open_listing(session, user.id, lesson.id)
        given = [a.assigned_at for a in ([assignment] if assignment is not None else []) + listing]
        if given and existing.done_at < max(given):
            now = utcnow()
            existing.done_at, existing.course_version = now, lesson.course.version
            session.flush()
            close_for_course(session, user, lesson.course_id, now)
            close_listed(session, user, lesson.id, now)
        return existing
    completion = LessonCompletion(user_id=user.id, lesson_id=lesson.id, course_version=lesson.course.version)
    try:
        with session.begin_nested():
            session.add(completion)
    except IntegrityError:
        # A parallel request (a double click) recorded it first.
        return session.scalars(
            select(LessonCompletion).where(
                LessonCompletion.user_id == user.id, LessonCompletion.lesson_id == lesson.id
            )
        ).one()
    now = completion.done_at or utcnow()
    close_for_course(session, user, lesson.course_id, now)
    close_listed(session, user, lesson.id, now)
    events.publish(events.lesson_done, session, user=user, lesson=lesson, now=now)
    return completion
