"""The trainer's cohort matrix: every learner against every go-live requirement, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.curriculum.programme import Schedule
from lms.models import (
    Attempt,
    Certificate,
    Cohort,
    Course,
    GoLiveSignoff,
    Lesson,
    LessonCompletion,
    Quiz,
    User,
)
from lms.models.certification import GO_LIVE
from lms.models.learning import GRADED, IN_PROGRESS

DONE, IN_PROGRESS_STATE, FAILED, OVERDUE, NOT_STARTED = "done", "in_progress", "failed", "overdue", "todo"


@dataclass
class MatrixRow:
    """One learner's states, column by column."""

    user: User
    cells: list[str]
    done: int
    expected: int
    live: bool
    signed_off: bool

    @property
    def behind(self) -> bool:
        """Behind schedule: something that should be done by today is not."""
        return self.done < self.expected


@dataclass
class Matrix:
    """Columns (requirements) and rows (learners)."""

    columns: list[tuple[str, str, int]]  # (kind, title, programme day)
    rows: list[MatrixRow] = field(default_factory=list)
    day: int = 0
    #: The columns' English titles (None where none is written), for English readers.
    titles_en: list[str | None] = field(default_factory=list)


def cohort_matrix(session: Session, cohort: Cohort, schedule: Schedule, today: dt.date) -> Matrix:
    """Learners × go-live requirements (quizzes passed, courses completed), with who is behind."""
    day = schedule.day_number(cohort.start_date, today)
    quiz_slugs = list(schedule.go_live.get("quizzes", []))
    course_slugs = list(schedule.go_live.get("courses", []))
    quizzes = {q.slug: q for q in session.scalars(select(Quiz).where(Quiz.slug.in_(quiz_slugs)))}
    courses = {c.slug: c for c in session.scalars(select(Course).where(Course.slug.in_(course_slugs)))}
    columns: list[tuple[str, str, int]] = []
    titles_en: list[str | None] = []
    for slug in course_slugs:
        if slug in courses:
            columns.append(("course", courses[slug].title, schedule.course_days.get(slug, (1, 1))[1]))
            titles_en.append(courses[slug].title_en)
    for slug in quiz_slugs:
        if slug in quizzes:
            columns.append(("quiz", quizzes[slug].title, schedule.quiz_days.get(slug, schedule.days)))
            titles_en.append(quizzes[slug].title_en)
    users = list(
        session.scalars(
            select(User).where(User.cohort_id == cohort.id, User.active.is_(True)).order_by(User.display_name)
        )
    )
    ids = [u.id for u in users]
    lesson_totals = dict(
        session.execute(
            select(Lesson.course_id, func.count()).where(Lesson.active.is_(True)).group_by(Lesson.course_id)
        )
        .tuples()
        .all()
    )
    lessons_done: dict[tuple[int, int], int] = {}
    for user_id, course_id, n in session.execute(
        select(LessonCompletion.user_id, Lesson.course_id, func.count())
        .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
        .where(LessonCompletion.user_id.in_(ids), Lesson.active.is_(True))
        .group_by(LessonCompletion.user_id, Lesson.course_id)
    ):
        lessons_done[(user_id, course_id)] = n
    attempt_state: dict[tuple[int, int], str] = {}
    for user_id, quiz_id, status, passed in session.execute(
        select(Attempt.user_id, Attempt.quiz_id, Attempt.status, Attempt.passed).where(
            Attempt.user_id.in_(ids)
        )
    ):
        key = (user_id, quiz_id)
        if status == GRADED and passed:
            attempt_state[key] = DONE
        elif attempt_state.get(key) != DONE:
            attempt_state[key] = IN_PROGRESS_STATE if status in (IN_PROGRESS, "submitted") else FAILED
    live = set(
        session.scalars(
            select(Certificate.user_id).where(
                Certificate.user_id.in_(ids), Certificate.kind == GO_LIVE, Certificate.revoked_at.is_(None)
            )
        )
    )
    signed = set(session.scalars(select(GoLiveSignoff.user_id).where(GoLiveSignoff.user_id.in_(ids))))
    matrix = Matrix(columns=columns, day=day, titles_en=titles_en)
    for user in users:
        cells: list[str] = []
        done = expected = 0
        for slug in course_slugs:
            course = courses.get(slug)
            if course is None:
                continue
            total, count = lesson_totals.get(course.id, 0), lessons_done.get((user.id, course.id), 0)
            due_day = schedule.course_days.get(slug, (1, 1))[1]
            state = DONE if total and count >= total else (IN_PROGRESS_STATE if count else NOT_STARTED)
            cells.append(OVERDUE if state != DONE and due_day < day else state)
            done += state == DONE
            expected += due_day < day
        for slug in quiz_slugs:
            quiz = quizzes.get(slug)
            if quiz is None:
                continue
            state = attempt_state.get((user.id, quiz.id), NOT_STARTED)
            due_day = schedule.quiz_days.get(slug, schedule.days)
            cells.append(OVERDUE if state in (NOT_STARTED, IN_PROGRESS_STATE) and due_day < day else state)
            done += state == DONE
            expected += due_day < day
        matrix.rows.append(
            MatrixRow(user, cells, done, min(expected, len(cells)), user.id in live, user.id in signed)
        )
    return matrix


def neutralise(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
