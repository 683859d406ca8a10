"""Reading the loaded curriculum: the programme overview staff and learners see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lms.domain.transaction_memo import remembered
from lms.models import Course, FaqEntry, Lesson, Product, Programme, Question, QuestionVersion, Quiz

PROGRAMME_SLUG = "onboarding"


@dataclass
class CourseSummary:
    """A course with what it holds."""

    course: Course
    lessons: list[Lesson]
    first_day: int | None = None
    last_day: int | None = None
    quizzes: list[QuizSummary] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        """Estimated time for all its lessons."""
        return sum(lesson.minutes for lesson in self.lessons)


@dataclass
class QuizSummary:
    """A quiz with its question count and the types it uses."""

    quiz: Quiz
    questions: int
    types: dict[str, int]
    day: int | None = None


@dataclass
class CurriculumOverview:
    """Everything loaded, in programme order."""

    programme: Programme | None
    courses: list[CourseSummary]
    loose_quizzes: list[QuizSummary]
    faq_entries: int
    products: int

    @property
    def lesson_count(self) -> int:
        return sum(len(c.lessons) for c in self.courses)

    @property
    def question_count(self) -> int:
        return sum(q.questions for c in self.courses for q in c.quizzes) + sum(
            q.questions for q in self.loose_quizzes
        )

    @property
    def quiz_count(self) -> int:
        return sum(len(c.quizzes) for c in self.courses) + len(self.loose_quizzes)


def get_programme(session: Session) -> Programme | None:
    """The onboarding programme, if loaded (read once per transaction)."""
    return remembered(session, "programme", lambda: session.scalars(_PROGRAMME).one_or_none())


_PROGRAMME = select(Programme).where(Programme.slug == PROGRAMME_SLUG)


def overview(session: Session, *, published_only: bool = False) -> CurriculumOverview:
    """The curriculum in programme order, in a fixed number of queries."""
    programme = get_programme(session)
    spec: dict[str, Any] = programme.spec if programme else {}
    days = {c["course"]: (c["first_day"], c["last_day"]) for c in spec.get("courses", [])}
    quiz_days = {q["quiz"]: q["day"] for q in spec.get("quizzes", [])}
    stmt = select(Course).options(selectinload(Course.lessons).defer(Lesson.body))
    if published_only:
        stmt = stmt.where(Course.published.is_(True))
    courses = list(session.scalars(stmt))
    type_counts: dict[int, dict[str, int]] = {}
    for quiz_id, qtype, count in session.execute(
        select(Question.quiz_id, QuestionVersion.type, func.count())
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.active.is_(True))
        .group_by(Question.quiz_id, QuestionVersion.type)
    ):
        type_counts.setdefault(quiz_id, {})[qtype] = count
    quiz_stmt = select(Quiz)
    if published_only:
        quiz_stmt = quiz_stmt.where(Quiz.published.is_(True))
    summaries = {}
    for quiz in session.scalars(quiz_stmt.order_by(Quiz.slug)):
        types = type_counts.get(quiz.id, {})
        summaries[quiz.id] = QuizSummary(quiz, sum(types.values()), types, quiz_days.get(quiz.slug))
    by_course: dict[int | None, list[QuizSummary]] = {}
    for summary in summaries.values():
        by_course.setdefault(summary.quiz.course_id, []).append(summary)
    course_summaries = []
    for course in courses:
        first, last = days.get(course.slug, (None, None))
        quizzes = sorted(by_course.pop(course.id, []), key=lambda s: (s.day or 99, s.quiz.slug))
        lessons = [lesson for lesson in course.lessons if lesson.active]
        course_summaries.append(CourseSummary(course, lessons, first, last, quizzes))
    course_summaries.sort(key=lambda c: (c.first_day or 99, c.course.slug))
    loose = [s for group in by_course.values() for s in group]
    faq = session.scalar(select(func.count()).select_from(FaqEntry).where(FaqEntry.active.is_(True)))
    products = session.scalar(select(func.count()).select_from(Product).where(Product.active.is_(True)))
    return CurriculumOverview(programme, course_summaries, loose, faq or 0, products or 0)
